import assert from "node:assert/strict";
import {
  AbortError,
  ConnectionClosedError,
  encodeRes,
  Peer,
  RemoteError,
  type RequestContext,
  StreamOverflowError,
  type WireMap,
} from "../../src/protocol/mod.ts";
import { createTestLoopbackPair } from "../../src/protocol/testing/test_loopback.ts";
import { connectPeers, delay, framesOf, makeHandler, waitFor } from "./_util.ts";

/** Yields `count` items `{i}`, then ends; records its context. */
function counting(count: number, seen: RequestContext[] = []) {
  return makeHandler({
    stream: async function* (_method, _params, ctx) {
      seen.push(ctx);
      for (let i = 0; i < count; i++) yield { i };
    },
    call: () => Promise.resolve({ pong: true }),
  });
}

/** Yields until aborted, one item per tick. */
function endless(seen: RequestContext[] = []) {
  return makeHandler({
    stream: async function* (_method, _params, ctx) {
      seen.push(ctx);
      for (let i = 0; !ctx.signal.aborted; i++) {
        yield { i };
        await delay(0);
      }
    },
    call: () => Promise.resolve({ pong: true }),
  });
}

Deno.test("Peer.stream() delivers every item in order and ends", async () => {
  await using pair = await connectPeers(counting(100));
  const items: WireMap[] = [];
  for await (const item of pair.client.stream("input.subscribe")) items.push(item);
  assert.deepEqual(items, Array.from({ length: 100 }, (_, i) => ({ i })));
  const frames = framesOf(pair.serverConn.sent).filter((f) => f.type === "res");
  assert.deepEqual(frames.map((f) => f.type === "res" && [f.seq, f.end]), [
    ...Array.from({ length: 100 }, (_, i) => [i, false]),
    [100, true],
  ]);
  assert.equal(framesOf(pair.clientConn.sent).some((f) => f.type === "cancel"), false);
});

Deno.test("Peer.stream() sends its REQ only on the first next()", async () => {
  await using pair = await connectPeers(counting(1));
  const stream = pair.client.stream("display.subscribe", { fps: 5 });
  await delay(5);
  assert.equal(framesOf(pair.clientConn.sent).some((f) => f.type === "req"), false);
  assert.deepEqual(await stream.next(), { done: false, value: { i: 0 } });
  assert.deepEqual(framesOf(pair.clientConn.sent).find((f) => f.type === "req"), {
    v: 1,
    type: "req",
    id: 1,
    method: "display.subscribe",
    stream: true,
    params: { fps: 5 },
  });
  assert.deepEqual(await stream.next(), { done: true, value: undefined });
});

Deno.test("Peer.stream() break sends CANCEL and the server handler is aborted", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(endless(seen));
  for await (const item of pair.client.stream("display.subscribe")) {
    if (item.i === 3) break;
  }
  const cancel = framesOf(pair.clientConn.sent).find((f) => f.type === "cancel");
  assert.deepEqual(cancel, { v: 1, type: "cancel", id: 1, reason: "caller cancelled" });
  await waitFor(() => seen[0]!.signal.aborted);
  assert.deepEqual(await pair.client.call("ping"), { pong: true });
});

Deno.test("Peer.stream() abort ends the stream with AbortError and sends CANCEL", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(endless(seen));
  const controller = new AbortController();
  const stream = pair.client.stream("display.subscribe", {}, { signal: controller.signal });
  await stream.next();
  controller.abort();
  await assert.rejects(
    (async () => {
      for (;;) if ((await stream.next()).done) return;
    })(),
    AbortError,
  );
  assert.ok(framesOf(pair.clientConn.sent).some((f) => f.type === "cancel"));
  await waitFor(() => seen[0]!.signal.aborted);
});

Deno.test("Peer.stream() rejects with the error RES after the items before it", async () => {
  await using pair = await connectPeers(makeHandler({
    stream: async function* () {
      yield { i: 0 };
      yield { i: 1 };
      throw new RemoteError("permission_denied", "Screen capture was denied");
    },
  }));
  const items: WireMap[] = [];
  await assert.rejects(
    (async () => {
      for await (const item of pair.client.stream("display.subscribe")) items.push(item);
    })(),
    (error: unknown) => error instanceof RemoteError && error.code === "permission_denied",
  );
  assert.deepEqual(items, [{ i: 0 }, { i: 1 }]);
  const last = framesOf(pair.serverConn.sent).at(-1);
  assert.equal(last?.type === "res" && last.seq, 2, "the error end carries the item count");
});

Deno.test("Peer.stream() delivers a non-nil result on the end frame as a final item", async () => {
  // A hand-driven server that ends with a result (the reference never does this).
  const [clientConn, raw] = createTestLoopbackPair();
  const client = new Peer(clientConn, { role: "client" });
  client.start();
  const stream = client.stream("custom.stream");
  const first = stream.next();
  await raw.receive(); // the REQ
  await raw.send(encodeRes({ id: 1, seq: 0, end: false, result: { n: 1 } }));
  await raw.send(encodeRes({ id: 1, seq: 1, end: true, result: { summary: true } }));
  assert.deepEqual(await first, { done: false, value: { n: 1 } });
  assert.deepEqual(await stream.next(), { done: false, value: { summary: true } });
  assert.deepEqual(await stream.next(), { done: true, value: undefined });
  client.close();
});

Deno.test("Peer.stream() consumer that stops reading fails only its stream", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(endless(seen), { client: { streamQueueSize: 8 } });
  const stream = pair.client.stream("input.subscribe");
  assert.deepEqual(await stream.next(), { done: false, value: { i: 0 } });
  // Stop reading: the producer keeps going until the buffer overflows.
  await waitFor(() => framesOf(pair.clientConn.sent).some((f) => f.type === "cancel"));
  await waitFor(() => seen[0]!.signal.aborted);
  // The session is fine: other calls and streams still work.
  assert.deepEqual(await pair.client.call("ping"), { pong: true });
  const other: WireMap[] = [];
  for await (const item of pair.client.stream("input.subscribe")) {
    other.push(item);
    if (other.length === 3) break;
  }
  assert.equal(other.length, 3);
  // The slow stream yields what it buffered, then the overflow error.
  const buffered: WireMap[] = [];
  await assert.rejects(
    (async () => {
      for (;;) {
        const step = await stream.next();
        if (step.done) return;
        buffered.push(step.value);
      }
    })(),
    (error: unknown) => {
      assert.ok(error instanceof StreamOverflowError);
      assert.match(error.message, /Stream 'input\.subscribe' overflowed/);
      return true;
    },
  );
  assert.deepEqual(buffered, Array.from({ length: 8 }, (_, i) => ({ i: i + 1 })));
  assert.equal(pair.client.isClosed, false);
});

Deno.test("Peer.stream() with drop-oldest keeps the newest items for a slow consumer", async () => {
  await using pair = await connectPeers(counting(50));
  const stream = pair.client.stream("display.subscribe", {}, { overflow: "drop-oldest" });
  assert.deepEqual(await stream.next(), { done: false, value: { i: 0 } });
  await waitFor(() => framesOf(pair.serverConn.sent).some((f) => f.type === "res" && f.end));
  const rest: WireMap[] = [];
  for await (const item of stream) rest.push(item);
  assert.deepEqual(rest, [{ i: 48 }, { i: 49 }]);
  assert.equal(framesOf(pair.clientConn.sent).some((f) => f.type === "cancel"), false);
});

Deno.test("Peer.stream() fails with ConnectionClosedError when the peer closes", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(makeHandler({
    stream: async function* (_m, _p, ctx) {
      seen.push(ctx);
      yield { i: 0 };
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    },
  }));
  const stream = pair.client.stream("input.subscribe");
  assert.deepEqual(await stream.next(), { done: false, value: { i: 0 } });
  const waiting = stream.next();
  pair.server.close("server stopped");
  await assert.rejects(waiting, ConnectionClosedError);
  assert.deepEqual(await stream.next(), { done: true, value: undefined });
  assert.ok(seen[0]!.signal.aborted);
});

Deno.test("Peer.stream() return() after the end sends no CANCEL", async () => {
  await using pair = await connectPeers(counting(2));
  const stream = pair.client.stream("s");
  const items: WireMap[] = [];
  for await (const item of stream) items.push(item);
  await stream.return();
  assert.equal(items.length, 2);
  assert.equal(framesOf(pair.clientConn.sent).some((f) => f.type === "cancel"), false);
});
