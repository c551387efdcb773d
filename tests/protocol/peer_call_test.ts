import assert from "node:assert/strict";
import {
  AbortError,
  CapabilityUnsupportedError,
  CodecError,
  ConnectionClosedError,
  createLoopbackPair,
  InvalidStateError,
  Peer,
  PermissionDeniedError,
  RemoteError,
  type RequestContext,
  resolveLimits,
  TimeoutError,
} from "../../src/protocol/mod.ts";
import { connectPeers, framesOf, makeHandler, waitFor } from "./_util.ts";

/** A handler whose calls wait until cancelled, recording their signals. */
function hangingHandler(seen: RequestContext[]) {
  return makeHandler({
    call: (_method, _params, ctx) => {
      seen.push(ctx);
      return new Promise((_, reject) => {
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
      });
    },
  });
}

Deno.test("Peer.call() resolves with the result map, or null for no result", async () => {
  await using pair = await connectPeers(makeHandler({
    call: (method, params) =>
      Promise.resolve(method === "none" ? undefined : { method, got: params }),
  }));
  assert.deepEqual(await pair.client.call("fs.stat", { path: "/" }), {
    method: "fs.stat",
    got: { path: "/" },
  });
  assert.equal(await pair.client.call("none"), null);
  const reqs = framesOf(pair.clientConn.sent).filter((f) => f.type === "req");
  assert.deepEqual(reqs.map((f) => f.type === "req" && f.id), [1, 2]);
});

Deno.test("Peer.call() rejects with the RemoteError subclass of the error RES", async () => {
  await using pair = await connectPeers(makeHandler({
    call: (method) => {
      if (method === "denied") return Promise.reject(new PermissionDeniedError("Denied by policy"));
      if (method === "unsupported") {
        return Promise.reject(new CapabilityUnsupportedError("ui.tree", "x11"));
      }
      return Promise.reject(new RemoteError("not_found", "No such file: '/x'", { path: "/x" }));
    },
  }));
  await assert.rejects(pair.client.call("denied"), PermissionDeniedError);
  await assert.rejects(pair.client.call("unsupported"), (error: unknown) => {
    assert.ok(error instanceof CapabilityUnsupportedError);
    assert.equal(error.capability, "ui.tree");
    assert.equal(error.backend, "x11");
    return true;
  });
  await assert.rejects(pair.client.call("fs.read"), (error: unknown) => {
    assert.ok(error instanceof RemoteError);
    assert.equal(error.code, "not_found");
    assert.deepEqual(error.details, { path: "/x" });
    return true;
  });
});

Deno.test("Peer.call() times out with TimeoutError and sends CANCEL", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(hangingHandler(seen));
  await assert.rejects(pair.client.call("slow.method", {}, { timeoutMs: 20 }), (error: unknown) => {
    assert.ok(error instanceof TimeoutError);
    assert.match(error.message, /Call 'slow\.method' timed out after 20 ms/);
    return true;
  });
  const frames = framesOf(pair.clientConn.sent);
  assert.deepEqual(frames.at(-1), { v: 1, type: "cancel", id: 1, reason: "caller cancelled" });
  await waitFor(() => seen[0]?.signal.aborted === true);
  // The server answers the CANCEL with `cancelled`; the client drops that late RES.
  const answer = () =>
    framesOf(pair.serverConn.sent).find((f) => f.type === "res" && f.id === 1 && f.end);
  await waitFor(() => answer() !== undefined);
  const res = answer();
  assert.equal(res?.type === "res" ? res.error?.code : undefined, "cancelled");
});

Deno.test("Peer.call() uses defaultCallTimeoutMs when the call gives none", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(hangingHandler(seen), {
    client: { defaultCallTimeoutMs: 15 },
  });
  await assert.rejects(pair.client.call("slow"), /timed out after 15 ms/);
});

Deno.test("Peer.call() rejects with AbortError on abort and sends CANCEL", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(hangingHandler(seen));
  const controller = new AbortController();
  const pending = pair.client.call("slow", {}, { signal: controller.signal });
  await waitFor(() => seen.length === 1);
  controller.abort(new Error("user pressed Ctrl-C"));
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof AbortError);
    assert.match(error.message, /Call 'slow' was aborted/);
    assert.match(String((error.cause as Error).message), /Ctrl-C/);
    return true;
  });
  assert.deepEqual(framesOf(pair.clientConn.sent).at(-1), {
    v: 1,
    type: "cancel",
    id: 1,
    reason: "caller cancelled",
  });
  await waitFor(() => seen[0]!.signal.aborted);
});

Deno.test("Peer.call() with an aborted signal sends nothing", async () => {
  await using pair = await connectPeers(makeHandler({}));
  const before = pair.clientConn.sent.length;
  await assert.rejects(pair.client.call("m", {}, { signal: AbortSignal.abort() }), AbortError);
  assert.equal(pair.clientConn.sent.length, before);
});

Deno.test("Peer.call() does not send CANCEL when the result arrived in time", async () => {
  await using pair = await connectPeers(makeHandler({ call: () => Promise.resolve({ ok: 1 }) }));
  await pair.client.call("fast", {}, { timeoutMs: 1000 });
  assert.equal(framesOf(pair.clientConn.sent).some((f) => f.type === "cancel"), false);
});

Deno.test("Peer.call() fails every pending call with ConnectionClosedError when the peer closes", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(hangingHandler(seen));
  const calls = [1, 2, 3].map((i) => pair.client.call(`m${i}`));
  await waitFor(() => seen.length === 3);
  pair.server.close("shutting down");
  for (const call of calls) {
    await assert.rejects(call, (error: unknown) => {
      assert.ok(error instanceof ConnectionClosedError);
      assert.match(error.message, /shutting down/);
      return true;
    });
  }
  assert.ok(seen.every((ctx) => ctx.signal.aborted), "inbound handlers are aborted");
  await assert.rejects(pair.client.call("later"), /Cannot call 'later': the peer is closed/);
});

Deno.test("Peer.call() fails with ConnectionClosedError when closed locally", async () => {
  const seen: RequestContext[] = [];
  await using pair = await connectPeers(hangingHandler(seen));
  const pending = pair.client.call("m");
  await waitFor(() => seen.length === 1);
  pair.client.close("bye");
  await assert.rejects(pending, /Peer closed: bye/);
  assert.equal((await pair.client.closed).message, "Peer closed: bye");
});

Deno.test("Peer.call() before start() throws InvalidStateError", async () => {
  const [a, b] = createLoopbackPair();
  const client = new Peer(a, { role: "client" });
  await assert.rejects(client.call("m"), InvalidStateError);
  b.close();
});

Deno.test("Peer.call() rejects params over the frame limit without sending", async () => {
  await using pair = await connectPeers(makeHandler({}), {
    client: { limits: resolveLimits({ maxFrameBytes: 256 }) },
  });
  const before = pair.clientConn.sent.length;
  await assert.rejects(
    pair.client.call("fs.write", { data: new Uint8Array(1000) }),
    (error: unknown) =>
      error instanceof CodecError && /exceed the limit of 256/.test(error.message),
  );
  assert.equal(pair.clientConn.sent.length, before);
  await assert.rejects(
    pair.client.call("m", { when: new Date() }),
    /unsupported value of type Date/,
  );
});

Deno.test("Peer.call() pipelines many calls and matches answers by id", async () => {
  await using pair = await connectPeers(makeHandler({
    call: async (_method, params) => {
      await new Promise((resolve) => setTimeout(resolve, (params.n as number) % 3));
      return { n: params.n };
    },
  }));
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, n) => pair.client.call("echo", { n })),
  );
  assert.deepEqual(results, Array.from({ length: 50 }, (_, n) => ({ n })));
});
