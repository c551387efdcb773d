import assert from "node:assert/strict";
import {
  CodecError,
  type Connection,
  ConnectionClosedError,
  createLoopbackPair,
  encodeHello,
  encodeMsgpack,
  encodeRes,
  Peer,
  RemoteError,
  type WireMap,
} from "../../src/protocol/mod.ts";
import { createTestLoopbackPair } from "../../src/protocol/testing/test_loopback.ts";
import { connectPeers, delay, framesOf, makeHandler, waitFor } from "./_util.ts";

/** A started client peer whose server side is driven by hand. */
function clientWithRawServer(options: { onError?: (e: unknown, c: string) => void } = {}) {
  const [clientConn, raw] = createTestLoopbackPair();
  const client = new Peer(clientConn, { role: "client", ...options });
  client.start();
  return { client, clientConn, raw };
}

Deno.test("Peer.push() reaches onPush handlers; a failing handler does not stop the others", async () => {
  const reported: string[] = [];
  await using pair = await connectPeers(undefined, {
    client: { onError: (_e, context) => reported.push(context) },
  });
  const got: [string, WireMap][] = [];
  const failing = pair.client.onPush(() => {
    throw new Error("handler bug");
  });
  const failingAsync = pair.client.onPush(() => Promise.reject(new Error("async bug")));
  const recording = pair.client.onPush((topic, payload) => void got.push([topic, payload]));
  await pair.server.push("session.evicted", { reason: "replaced" });
  await pair.server.push("future.topic");
  await waitFor(() => got.some(([topic]) => topic === "future.topic"));
  assert.deepEqual(got, [["session.evicted", { reason: "replaced" }], ["future.topic", {}]]);
  recording[Symbol.dispose]();
  failing[Symbol.dispose]();
  failingAsync[Symbol.dispose]();
  // A handler registered now sees the next push; by then a disposed one would have seen it too.
  const witnessed: string[] = [];
  const witness = pair.client.onPush((_topic, payload) =>
    void witnessed.push(String(payload.reason))
  );
  await pair.server.push("session.evicted", { reason: "again" });
  await waitFor(() => witnessed.includes("again"));
  witness[Symbol.dispose]();
  assert.equal(got.length, 2, "a disposed handler gets nothing");
  // Both failing handlers ran for both earlier pushes; their errors were reported, not thrown.
  assert.equal(reported.length, 4);
  assert.ok(reported.every((context) => context.startsWith("PUSH handler")));
  assert.deepEqual(framesOf(pair.serverConn.sent).at(-1), {
    v: 1,
    type: "push",
    topic: "session.evicted",
    payload: { reason: "again" },
  });
});

Deno.test("Peer delivers a PUSH sent right before the peer closes", async () => {
  await using pair = await connectPeers(undefined);
  const got: string[] = [];
  using _ = pair.client.onPush((_topic, payload) => void got.push(String(payload.reason)));
  await pair.server.push("session.evicted", { reason: "server_shutdown" });
  pair.server.close("evicted");
  await pair.client.closed;
  assert.deepEqual(got, ["server_shutdown"]);
});

Deno.test("Peer ignores a second HELLO after the exchange", async () => {
  const reported: string[] = [];
  await using pair = await connectPeers(undefined, {
    client: { onError: (_e, context) => reported.push(context) },
  });
  const first = pair.client.remoteHello;
  await pair.serverConn.send(encodeHello({ role: "server", capabilities: { changed: true } }));
  await waitFor(() => reported.length === 1);
  assert.equal(pair.client.remoteHello, first);
  assert.deepEqual(pair.client.remoteHello?.capabilities, {});
  assert.equal(pair.client.isClosed, false);
});

Deno.test("Peer drops a late RES and a RES for an unknown id", async () => {
  const { client, raw } = clientWithRawServer();
  await raw.send(encodeRes({ id: 999, result: { stray: true } }));
  const call = client.call("m", {}, { timeoutMs: 10 });
  await assert.rejects(call, /timed out/);
  await raw.send(encodeRes({ id: 1, result: { late: true } }));
  const second = client.call("m");
  await raw.receive(); // REQ 1
  await raw.receive(); // CANCEL 1
  await raw.receive(); // REQ 2
  await raw.send(encodeRes({ id: 2, result: { fresh: true } }));
  assert.deepEqual(await second, { fresh: true });
  client.close();
});

Deno.test("Peer fails only the call whose RES is malformed", async () => {
  const { client, raw } = clientWithRawServer();
  const bad = client.call("a");
  const good = client.call("b");
  await raw.send(encodeMsgpack({ type: "res", id: 1, result: [1, 2] }));
  await raw.send(encodeRes({ id: 2, result: { ok: true } }));
  await assert.rejects(bad, (error: unknown) => {
    assert.ok(error instanceof RemoteError);
    assert.equal(error.code, "protocol");
    assert.match(error.message, /Invalid RES frame: 'result' expected a map/);
    return true;
  });
  assert.deepEqual(await good, { ok: true });
  assert.equal(client.isClosed, false);
  client.close();
});

Deno.test("Peer fails pending calls with ConnectionClosedError on a protocol violation", async () => {
  const { client, raw } = clientWithRawServer();
  const pending = client.call("m");
  await raw.send(Uint8Array.of(0x92, 0x01, 0x02));
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof ConnectionClosedError);
    assert.match(error.message, /protocol violation: Cannot decode frame: expected map/);
    assert.ok(error.cause instanceof CodecError);
    return true;
  });
  assert.equal(raw.state, "closed");
});

Deno.test("Peer keeps the transport's error as the close cause", async () => {
  const [a, b] = createLoopbackPair();
  const failing: Connection = {
    send: (m) => a.send(m),
    receive: () => Promise.reject(new Error("decryption failed")),
    close: (reason) => a.close(reason),
    get state() {
      return a.state;
    },
    closed: a.closed,
    remoteAddr: a.remoteAddr,
  };
  const client = new Peer(failing, { role: "client" });
  client.start();
  const closedWith = await client.closed;
  assert.match(closedWith.message, /Connection failed: decryption failed/);
  assert.equal((closedWith.cause as Error).message, "decryption failed");
  b.close();
});

Deno.test("Peer sends frames in call order even over a connection with slow sends", async () => {
  const [a, b] = createLoopbackPair();
  const order: number[] = [];
  let inSend = 0;
  let overlapped = false;
  const slow: Connection = {
    async send(message) {
      inSend++;
      if (inSend > 1) overlapped = true;
      await delay(message.length % 3); // varying latency, as with async encryption
      order.push(message.length);
      inSend--;
      await a.send(message);
    },
    receive: () => a.receive(),
    close: (reason) => a.close(reason),
    get state() {
      return a.state;
    },
    closed: a.closed,
    remoteAddr: a.remoteAddr,
  };
  const server = new Peer(b, {
    role: "server",
    handler: makeHandler({ call: (method) => Promise.resolve({ method }) }),
  });
  server.start();
  const client = new Peer(slow, { role: "client" });
  client.start();
  const methods = Array.from({ length: 20 }, (_, i) => "m".repeat(i + 1));
  await Promise.all(methods.map((method) => client.call(method)));
  assert.equal(overlapped, false, "one send at a time");
  assert.deepEqual(order, [...order].sort((x, y) => x - y), "REQs left in call order");
  client.close();
  await server.closed;
});

Deno.test("Peer ids start at 1 and are shared by calls and streams", async () => {
  await using pair = await connectPeers(makeHandler({
    call: () => Promise.resolve(null),
    stream: async function* () {
      yield {};
    },
  }));
  await pair.client.call("a");
  for await (const _ of pair.client.stream("b"));
  await pair.client.call("c");
  const ids = framesOf(pair.clientConn.sent).flatMap((f) => f.type === "req" ? [f.id] : []);
  assert.deepEqual(ids, [1, 2, 3]);
});

Deno.test("Peer.close() is idempotent and settles closed once", async () => {
  await using pair = await connectPeers(undefined);
  pair.client.close("first");
  pair.client.close("second");
  assert.equal((await pair.client.closed).message, "Peer closed: first");
  assert.equal(pair.client.isClosed, true);
  await assert.rejects(pair.client.push("t"), ConnectionClosedError);
  const server = await pair.server.closed;
  assert.match(server.message, /first/);
});

Deno.test("new Peer() rejects invalid options", () => {
  const [a, b] = createLoopbackPair();
  assert.throws(() => new Peer(a, { role: "client", maxInFlight: 0 }), /maxInFlight/);
  assert.throws(() => new Peer(a, { role: "client", helloTimeoutMs: -1 }), /helloTimeoutMs/);
  assert.throws(() => new Peer(a, { role: "client", limits: { maxDepth: 0 } }), /maxDepth/);
  assert.throws(() => new Peer(a, { role: "admin" as "client" }), /role/);
  b.close();
});
