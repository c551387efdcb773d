import assert from "node:assert/strict";
import {
  DEFAULT_LIMITS,
  encodeCancel,
  encodeMsgpack,
  encodeReq,
  type Frame,
  FrameTooLargeError,
  RemoteError,
  type RequestContext,
  resolveLimits,
  TimeoutError,
} from "../../src/protocol/mod.ts";
import { framesOf, makeHandler, rawSession, waitFor } from "./_util.ts";

/** The error part of a RES frame, or fails. */
function errorOf(frame: Frame): { code: string; message: string; details: unknown } | null {
  assert.equal(frame.type, "res");
  return frame.type === "res" ? frame.error : null;
}

Deno.test("Peer answers a malformed REQ with invalid_argument and keeps the session (H7)", async () => {
  await using s = await rawSession(makeHandler({ call: () => Promise.resolve({ ok: true }) }));
  const malformed = [
    { type: "req", id: 5, method: "m", params: [1, 2] },
    { type: "req", id: 6, method: 42 },
    { type: "req", id: 7, method: "m", stream: "yes" },
  ];
  for (const frame of malformed) {
    await s.raw.send(encodeMsgpack(frame));
    const answer = await s.nextFrame();
    assert.equal(answer.type === "res" && answer.id, frame.id);
    const error = errorOf(answer);
    assert.equal(error?.code, "invalid_argument");
    assert.match(error?.message ?? "", /^Invalid REQ frame: /);
  }
  await s.raw.send(encodeReq({ id: 8, method: "m" }));
  const ok = await s.nextFrame();
  assert.deepEqual(ok, {
    v: 1,
    type: "res",
    id: 8,
    seq: 0,
    end: true,
    result: { ok: true },
    error: null,
  });
  assert.equal(s.server.isClosed, false);
});

Deno.test("Peer answers a REQ with a __proto__ key at any depth with invalid_argument and keeps the session", async () => {
  await using s = await rawSession(makeHandler({ call: () => Promise.resolve({ ok: true }) }));
  // JSON.parse makes "__proto__" an own key, as a msgpack map from the network would.
  const frames = [
    '{"type":"req","id":11,"method":"m","params":{"__proto__":{"polluted":true}}}',
    '{"type":"req","id":12,"method":"m","params":{"a":[{"b":{"__proto__":1}}]}}',
    '{"type":"req","id":13,"method":"m","__proto__":{}}',
  ];
  for (const json of frames) {
    const frame = JSON.parse(json);
    await s.raw.send(encodeMsgpack(frame));
    const answer = await s.nextFrame();
    assert.equal(answer.type === "res" && answer.id, frame.id);
    assert.deepEqual(errorOf(answer), {
      code: "invalid_argument",
      message: "Invalid REQ frame: the key '__proto__' is not allowed",
      details: {},
    });
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  await s.raw.send(encodeReq({ id: 14, method: "m" }));
  const ok = await s.nextFrame();
  assert.deepEqual(ok.type === "res" && ok.result, { ok: true });
});

Deno.test("Peer closes the session on a REQ without a usable id", async () => {
  await using s = await rawSession(makeHandler({}));
  await s.raw.send(encodeMsgpack({ type: "req", method: "m" }));
  const closedWith = await s.server.closed;
  assert.match(
    closedWith.message,
    /protocol violation: Invalid REQ frame: missing 'id' \(no usable id\)/,
  );
});

Deno.test("Peer closes the session on undecodable data", async () => {
  const cases = [
    { name: "not msgpack", bytes: Uint8Array.of(0xc1), error: /invalid byte 0xc1/ },
    {
      name: "not a map",
      bytes: Uint8Array.of(0x93, 1, 2, 3),
      error: /expected map, received array/,
    },
    {
      name: "unknown type",
      bytes: encodeMsgpack({ type: "bye" }),
      error: /unknown frame type 'bye'/,
    },
    {
      name: "version 2",
      bytes: encodeMsgpack({ v: 2, type: "req", id: 1, method: "m" }),
      error: /unsupported protocol version 2/,
    },
    { name: "ext type", bytes: Uint8Array.of(0x81, 0xa1, 0x61, 0xd4, 0, 0), error: /ext type/ },
  ];
  for (const { name, bytes, error } of cases) {
    await using s = await rawSession(makeHandler({}));
    await s.raw.send(bytes);
    const closedWith = await s.server.closed;
    assert.match(closedWith.message, /^Connection closed: protocol violation: /, name);
    assert.match(closedWith.message, error, name);
    assert.equal(s.raw.state, "closed", name);
  }
});

Deno.test("Peer answers requests beyond maxInFlight with busy", async () => {
  const seen: RequestContext[] = [];
  await using s = await rawSession(
    makeHandler({
      call: (_m, _p, ctx) => {
        seen.push(ctx);
        return new Promise((resolve) =>
          ctx.signal.addEventListener("abort", () => resolve(null), { once: true })
        );
      },
    }),
    { maxInFlight: 2 },
  );
  for (let id = 1; id <= 4; id++) await s.raw.send(encodeReq({ id, method: "slow" }));
  for (const id of [3, 4]) {
    const answer = await s.nextFrame();
    assert.equal(answer.type === "res" && answer.id, id);
    assert.equal(errorOf(answer)?.code, "busy");
    assert.match(errorOf(answer)?.message ?? "", /Too many requests in flight: the limit is 2/);
  }
  assert.equal(seen.length, 2);
  assert.equal(s.server.inboundInFlight, 2);
  // Cancelling one frees a slot once its handler settles.
  await s.raw.send(encodeCancel({ id: 1, reason: "caller cancelled" }));
  assert.equal(errorOf(await s.nextFrame())?.code, "cancelled");
  await waitFor(() => s.server.inboundInFlight === 1);
  await s.raw.send(encodeReq({ id: 5, method: "slow" }));
  await waitFor(() => seen.length === 3);
});

Deno.test("Peer gives a cancelled request's slot to the next caller before its handler settles", async () => {
  const seen: RequestContext[] = [];
  const settle: (() => void)[] = [];
  await using s = await rawSession(
    makeHandler({
      // A handler that winds down slowly after its cancellation (a killed child, a closed file).
      call: (_m, _p, ctx) => {
        seen.push(ctx);
        return new Promise((resolve) => settle.push(() => resolve(null)));
      },
    }),
    { maxInFlight: 2 },
  );
  for (const id of [1, 2]) await s.raw.send(encodeReq({ id, method: "slow" }));
  await waitFor(() => seen.length === 2);
  for (const id of [1, 2]) {
    await s.raw.send(encodeCancel({ id, reason: "caller cancelled" }));
    assert.equal(errorOf(await s.nextFrame())?.code, "cancelled");
  }
  // Both handlers still run, yet the next request is served, not refused.
  assert.equal(s.server.inboundInFlight, 2);
  await s.raw.send(encodeReq({ id: 3, method: "slow" }));
  await waitFor(() => seen.length === 3);
  // The backlog of cancelled-but-running handlers is bounded too (4 × the limit = 8).
  for (let id = 3; id <= 8; id++) {
    if (id > 3) {
      await s.raw.send(encodeReq({ id, method: "slow" }));
      await waitFor(() => seen.length === id);
    }
    await s.raw.send(encodeCancel({ id, reason: "flood" }));
    assert.equal(errorOf(await s.nextFrame())?.code, "cancelled");
  }
  await s.raw.send(encodeReq({ id: 9, method: "slow" }));
  const refused = await s.nextFrame();
  assert.equal(refused.type === "res" && refused.id, 9);
  assert.equal(errorOf(refused)?.code, "busy");
  assert.match(errorOf(refused)?.message ?? "", /Too many cancelled requests/);
  assert.equal(seen.length, 8);
  for (const release of settle) release();
  await waitFor(() => s.server.inboundInFlight === 0);
});

Deno.test("Peer answers a handler's plain Error with internal and a safe message", async () => {
  const reported: [unknown, string][] = [];
  await using s = await rawSession(
    makeHandler({
      call: () => Promise.reject(new Error("open /home/alice/.secret failed")),
    }),
    { onError: (error, context) => reported.push([error, context]) },
  );
  await s.raw.send(encodeReq({ id: 1, method: "fs.read" }));
  const error = errorOf(await s.nextFrame());
  assert.deepEqual(error, {
    code: "internal",
    message: "Internal error while handling 'fs.read' (Error)",
    details: {},
  });
  assert.equal(reported.length, 1);
  assert.match((reported[0]![0] as Error).message, /\.secret/);
  assert.match(reported[0]![1], /handling 'fs\.read'/);
});

Deno.test("Peer maps a handler's TimeoutError to timeout and thrown non-errors to internal", async () => {
  await using s = await rawSession(makeHandler({
    call: (method) =>
      method === "slow"
        ? Promise.reject(new TimeoutError("Command timed out after 5 s"))
        : Promise.reject("a string"),
  }));
  await s.raw.send(encodeReq({ id: 1, method: "slow" }));
  assert.deepEqual(errorOf(await s.nextFrame()), {
    code: "timeout",
    message: "Command timed out after 5 s",
    details: {},
  });
  await s.raw.send(encodeReq({ id: 2, method: "odd" }));
  assert.equal(errorOf(await s.nextFrame())?.code, "internal");
});

Deno.test("Peer sends exactly one cancelled RES for a cancelled handler", async () => {
  const seen: RequestContext[] = [];
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await using s = await rawSession(makeHandler({
    call: async (_m, _p, ctx) => {
      seen.push(ctx);
      await finished; // ignores the signal on purpose
      return { late: true };
    },
  }));
  await s.raw.send(encodeReq({ id: 9, method: "slow" }));
  await waitFor(() => seen.length === 1);
  await s.raw.send(encodeCancel({ id: 9, reason: "caller cancelled" }));
  await s.raw.send(encodeCancel({ id: 9, reason: "caller cancelled" }));
  assert.deepEqual(await s.nextFrame(), {
    v: 1,
    type: "res",
    id: 9,
    seq: 0,
    end: true,
    result: null,
    error: { code: "cancelled", message: "cancelled", details: {} },
  });
  assert.ok(seen[0]!.signal.aborted);
  finish();
  await waitFor(() => s.server.inboundInFlight === 0);
  // A later request's answer comes after any late answer to 9 would have.
  await s.raw.send(encodeReq({ id: 10, method: "slow" }));
  const next = await s.nextFrame();
  assert.equal(next.type === "res" ? next.id : next.type, 10);
  const answersFor9 = framesOf(s.serverConn.sent).filter((f) => f.type === "res" && f.id === 9);
  assert.equal(answersFor9.length, 1);
});

Deno.test("Peer cancels a stream handler and reports its seq in the cancelled RES", async () => {
  const seen: RequestContext[] = [];
  await using s = await rawSession(makeHandler({
    stream: async function* (_m, _p, ctx) {
      seen.push(ctx);
      yield { i: 0 };
      yield { i: 1 };
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    },
  }));
  await s.raw.send(encodeReq({ id: 4, method: "input.subscribe", stream: true }));
  await s.nextFrame();
  await s.nextFrame();
  await s.raw.send(encodeCancel({ id: 4 }));
  const final = await s.nextFrame();
  assert.equal(final.type === "res" && final.seq, 2);
  assert.equal(errorOf(final)?.code, "cancelled");
  assert.ok(seen[0]!.signal.aborted);
});

Deno.test("Peer without a handler answers internal 'no dispatcher registered'", async () => {
  await using s = await rawSession(undefined);
  await s.raw.send(encodeReq({ id: 1, method: "display.capture" }));
  assert.deepEqual(errorOf(await s.nextFrame()), {
    code: "internal",
    message: "no dispatcher registered",
    details: {},
  });
});

Deno.test("Peer ignores CANCEL for unknown ids and handles ids up to 2^53-1", async () => {
  await using s = await rawSession(
    makeHandler({ call: (_m, _p, ctx) => Promise.resolve({ id: ctx.id }) }),
  );
  await s.raw.send(encodeCancel({ id: 12345 }));
  const big = Number.MAX_SAFE_INTEGER;
  await s.raw.send(encodeReq({ id: big, method: "m" }));
  const answer = await s.nextFrame();
  assert.equal(answer.type === "res" && answer.id, big);
  assert.deepEqual(answer.type === "res" && answer.result, { id: big });
});

Deno.test("Peer answers a result over the frame limit with invalid_argument (H11)", async () => {
  await using s = await rawSession(
    makeHandler({ call: () => Promise.resolve({ data: new Uint8Array(4096) }) }),
    { limits: resolveLimits({ maxFrameBytes: 1024 }) },
  );
  await s.raw.send(encodeReq({ id: 1, method: "fs.read" }));
  const error = errorOf(await s.nextFrame());
  assert.equal(error?.code, "invalid_argument");
  assert.match(
    error?.message ?? "",
    /The result of 'fs\.read' is \d+ bytes, over the frame limit of 1024 bytes/,
  );
  assert.deepEqual(Object.keys(error?.details as object), ["size", "limit"]);
});

Deno.test("Peer answers an unencodable result with internal", async () => {
  await using s = await rawSession(makeHandler({
    call: () => Promise.resolve([1, 2] as unknown as Record<string, unknown>),
  }));
  await s.raw.send(encodeReq({ id: 1, method: "m" }));
  const error = errorOf(await s.nextFrame());
  assert.equal(error?.code, "internal");
  assert.match(error?.message ?? "", /'result' must be a map or nil/);
});

Deno.test("Peer numbers stream items seq 0..n-1 and ends with seq n", async () => {
  await using s = await rawSession(makeHandler({
    stream: async function* () {
      for (let i = 0; i < 3; i++) yield { i };
    },
  }));
  await s.raw.send(encodeReq({ id: 2, method: "input.subscribe", stream: true }));
  const frames = [
    await s.nextFrame(),
    await s.nextFrame(),
    await s.nextFrame(),
    await s.nextFrame(),
  ];
  assert.deepEqual(frames.map((f) => f.type === "res" && [f.seq, f.end, f.result]), [
    [0, false, { i: 0 }],
    [1, false, { i: 1 }],
    [2, false, { i: 2 }],
    [3, true, null],
  ]);
});

Deno.test("Peer answers a second REQ with an id still in flight with invalid_argument", async () => {
  await using s = await rawSession(makeHandler({
    call: (_m, _p, ctx) =>
      new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve(null))),
  }));
  await s.raw.send(encodeReq({ id: 1, method: "slow" }));
  await s.raw.send(encodeReq({ id: 1, method: "slow" }));
  const answer = await s.nextFrame();
  assert.equal(errorOf(answer)?.code, "invalid_argument");
  assert.match(errorOf(answer)?.message ?? "", /Request id 1 is already in flight/);
});

Deno.test("Peer never answers with code protocol: a handler's protocol error goes out as internal", async () => {
  await using s = await rawSession(makeHandler({
    call: () => Promise.reject(new RemoteError("protocol", "Upstream sent a bad frame")),
  }));
  await s.raw.send(encodeReq({ id: 1, method: "m" }));
  assert.deepEqual(errorOf(await s.nextFrame()), {
    code: "internal",
    message: "Upstream sent a bad frame",
    details: {},
  });
});

Deno.test("Peer closes the session on a frame over maxFrameBytes", async () => {
  await using s = await rawSession(makeHandler({}), {
    limits: resolveLimits({ maxFrameBytes: 512 }),
  });
  await s.raw.send(encodeReq({ id: 1, method: "fs.write", params: { data: new Uint8Array(600) } }));
  const closedWith = await s.server.closed;
  assert.match(
    closedWith.message,
    /protocol violation: Cannot decode frame: \d+ bytes exceed the limit of 512/,
  );
  assert.ok(closedWith.cause instanceof FrameTooLargeError);
});

Deno.test("Peer answers busy to large requests beyond one frame limit in flight, never to small ones", async () => {
  const MiB = 1024 * 1024;
  const release: (() => void)[] = [];
  await using s = await rawSession(
    makeHandler({
      call: (_m, params) =>
        params.hold === true
          ? new Promise((resolve) => release.push(() => resolve({ ok: true })))
          : Promise.resolve({ ok: true }),
    }),
    { limits: resolveLimits({ maxFrameBytes: 4 * MiB, maxBinaryBytes: 4 * MiB }) },
  );
  const req = (id: number, size: number) =>
    encodeReq({ id, method: "fs.write", params: { hold: true, data: new Uint8Array(size) } });
  await s.raw.send(req(1, 3 * MiB)); // runs (held)
  await s.raw.send(req(2, 2 * MiB)); // 3 + 2 MiB > 4 MiB: busy
  const busy = await s.nextFrame();
  assert.equal(busy.type === "res" && busy.id, 2);
  assert.equal(errorOf(busy)?.code, "busy");
  assert.match(errorOf(busy)!.message, /^Too much request data in flight/);
  await s.raw.send(encodeReq({ id: 3, method: "m" })); // small: runs at once
  const small = await s.nextFrame();
  assert.deepEqual(small.type === "res" && [small.id, small.result], [3, { ok: true }]);
  release.shift()!();
  const first = await s.nextFrame();
  assert.deepEqual(first.type === "res" && [first.id, first.result], [1, { ok: true }]);
  await s.raw.send(req(4, 2 * MiB)); // room again
  await waitFor(() => release.length === 1);
  release.shift()!();
  const done = await s.nextFrame();
  assert.deepEqual(done.type === "res" && [done.id, done.result], [4, { ok: true }]);
});

Deno.test("Peer answers a REQ that breaks a codec limit with invalid_argument and goes on", async () => {
  const calls: string[] = [];
  await using s = await rawSession(
    makeHandler({
      call: (method) => {
        calls.push(method);
        return Promise.resolve({ ok: true });
      },
    }),
    { limits: { ...DEFAULT_LIMITS, maxArrayLength: 65_536, maxMapLength: 65_536 } },
  );
  const hostile = [
    // argv of a million nils: the array header claims more than the limit.
    encodeMsgpack(
      { v: 1, type: "req", id: 7, method: "process.exec", params: { argv: [] } },
    ),
    encodeMsgpack({ v: 1, type: "req", id: 8, method: "m", params: { bad: "x" } }),
  ];
  // Build the million-nil REQ by hand: a prefix, the array header, then the nils.
  const prefix = encodeMsgpack({ v: 1, type: "req", id: 9, method: "process.exec" });
  const million = new Uint8Array(prefix.length + 1 + 7 + 5 + 1_000_000);
  million.set(prefix);
  million[0] = 0x85; // five entries now: v, type, id, method, params
  let at = prefix.length;
  million.set([0xa6, ...new TextEncoder().encode("params")], at);
  at += 7;
  million[at++] = 0x81; // params: one entry
  million.set([0xa4, ...new TextEncoder().encode("argv")], at);
  at += 5;
  million[at++] = 0xdd; // array 32
  new DataView(million.buffer).setUint32(at, 1_000_000);
  at += 4;
  million.fill(0xc0, at);
  const framed = million.subarray(0, at + 1_000_000);
  const started = performance.now();
  await s.raw.send(framed);
  const answer = await s.nextFrame();
  const ms = performance.now() - started;
  console.log(`a REQ with a 1M-element argv answered by the server in ${ms.toFixed(2)} ms`);
  assert.equal(answer.type === "res" && answer.id, 9);
  assert.equal(errorOf(answer)?.code, "invalid_argument");
  assert.match(errorOf(answer)?.message ?? "", /array of 1000000 elements exceeds the limit/);
  // Invalid UTF-8 inside params is answered too.
  const badText = encodeMsgpack({ v: 1, type: "req", id: 10, method: "m", params: { t: "ab" } });
  badText[badText.length - 1] = 0xff;
  await s.raw.send(badText);
  const textAnswer = await s.nextFrame();
  assert.equal(textAnswer.type === "res" && textAnswer.id, 10);
  assert.equal(errorOf(textAnswer)?.code, "invalid_argument");
  // The session goes on.
  for (const bytes of hostile) await s.raw.send(bytes);
  for (const id of [7, 8]) {
    const ok = await s.nextFrame();
    assert.equal(ok.type === "res" && ok.id, id);
  }
  assert.deepEqual(calls, ["process.exec", "m"]);
});
