import assert from "node:assert/strict";
import {
  decodeFrame,
  encodeMsgpack,
  ErrorInfoSchema,
  FrameSchema,
  HelloFrameSchema,
  isWireMap,
  ReqFrameSchema,
  ResFrameSchema,
  type WireMap,
} from "../../src/protocol/mod.ts";

/** Decodes a hand-built map through the whole receive path. */
const receive = (map: WireMap) => decodeFrame(encodeMsgpack(map));

Deno.test("decodeFrame() applies the defaults of absent keys", () => {
  const cases: { name: string; input: WireMap; expected: WireMap }[] = [
    {
      name: "hello",
      input: { type: "hello", role: "server" },
      expected: {
        v: 1,
        type: "hello",
        role: "server",
        principal: "",
        auth: {},
        capabilities: {},
        error: null,
      },
    },
    {
      name: "req",
      input: { type: "req", id: 3, method: "m" },
      expected: { v: 1, type: "req", id: 3, method: "m", stream: false, params: {} },
    },
    {
      name: "res",
      input: { type: "res", id: 3 },
      expected: { v: 1, type: "res", id: 3, seq: 0, end: true, result: null, error: null },
    },
    {
      name: "cancel",
      input: { type: "cancel", id: 3 },
      expected: { v: 1, type: "cancel", id: 3, reason: "" },
    },
    {
      name: "push",
      input: { type: "push", topic: "t" },
      expected: { v: 1, type: "push", topic: "t", payload: {} },
    },
    {
      name: "error info",
      input: { type: "res", id: 3, error: {} },
      expected: {
        v: 1,
        type: "res",
        id: 3,
        seq: 0,
        end: true,
        result: null,
        error: { code: "internal", message: "", details: {} },
      },
    },
  ];
  for (const { name, input, expected } of cases) {
    assert.deepEqual(receive(input), expected, name);
  }
});

Deno.test("decodeFrame() ignores unknown keys at every level but keeps free maps intact", () => {
  const frame = receive({
    v: 1,
    type: "res",
    id: 1,
    future_key: "x",
    result: { keep: 1, nested: { also: true } },
    error: null,
  });
  assert.deepEqual(frame, {
    v: 1,
    type: "res",
    id: 1,
    seq: 0,
    end: true,
    result: { keep: 1, nested: { also: true } },
    error: null,
  });
  const hello = receive({
    type: "hello",
    role: "server",
    extra: [1],
    error: { code: "busy", message: "m", details: { a: 1 }, hint: "unknown" },
  });
  assert.deepEqual(hello.type === "hello" && hello.error, {
    code: "busy",
    message: "m",
    details: { a: 1 },
  });
});

Deno.test("decodeFrame() accepts the reference's lax scalars", () => {
  // A REQ whose id is the float64 1.0 and whose stream flag is the int 0.
  const enc = (text: string) => [0xa0 | text.length, ...new TextEncoder().encode(text)];
  const floatId = Uint8Array.from([
    0x84,
    ...enc("type"),
    ...enc("req"),
    ...enc("id"),
    ...[0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0],
    ...enc("method"),
    ...enc("m"),
    ...enc("stream"),
    0x00,
  ]);
  assert.deepEqual(decodeFrame(floatId), {
    v: 1,
    type: "req",
    id: 1,
    method: "m",
    stream: false,
    params: {},
  });
  const cases: { input: WireMap; field: string; expected: unknown }[] = [
    { input: { type: "req", id: 1, method: "m", stream: 1 }, field: "stream", expected: true },
    { input: { type: "res", id: 1, end: 0 }, field: "end", expected: false },
    { input: { type: "res", id: 1, end: 1 }, field: "end", expected: true },
    { input: { v: 1.0, type: "cancel", id: 5.0 }, field: "id", expected: 5 },
  ];
  for (const { input, field, expected } of cases) {
    assert.equal((receive(input) as unknown as WireMap)[field], expected, JSON.stringify(input));
  }
});

Deno.test("decodeFrame() rejects what the reference's models reject", () => {
  const cases: { name: string; input: WireMap; error: RegExp }[] = [
    { name: "fractional id", input: { type: "req", id: 1.5, method: "m" }, error: /'id'/ },
    { name: "string id", input: { type: "cancel", id: "1" }, error: /'id'/ },
    { name: "bool 2", input: { type: "req", id: 1, method: "m", stream: 2 }, error: /'stream'/ },
    {
      name: "nil params",
      input: { type: "req", id: 1, method: "m", params: null },
      error: /params/,
    },
    {
      name: "list params",
      input: { type: "req", id: 1, method: "m", params: [] },
      error: /params/,
    },
    {
      name: "bin result",
      input: { type: "res", id: 1, result: new Uint8Array(1) },
      error: /result/,
    },
    { name: "string result", input: { type: "res", id: 1, result: "x" }, error: /result/ },
    { name: "bad role", input: { type: "hello", role: "admin" }, error: /role/ },
    { name: "missing topic", input: { type: "push" }, error: /missing 'topic'/ },
    { name: "unsafe id", input: { type: "res", id: 2 ** 60 }, error: /'id'/ },
    { name: "version string", input: { v: "1", type: "push", topic: "t" }, error: /version '1'/ },
    { name: "version 0", input: { v: 0, type: "push", topic: "t" }, error: /version 0/ },
  ];
  for (const { name, input, error } of cases) {
    assert.throws(() => receive(input), error, name);
  }
});

Deno.test("decodeFrame() reads an unknown error code as internal", () => {
  const frame = receive({ type: "res", id: 1, error: { code: "teapot", message: "m" } });
  assert.equal(frame.type === "res" && frame.error?.code, "internal");
  assert.equal(ErrorInfoSchema.parse({ code: "busy" }).code, "busy");
});

Deno.test("decodeFrame() fast path agrees with FrameSchema", () => {
  const inputs: WireMap[] = [
    { type: "req", id: 1, method: "a.b" },
    { type: "req", id: 2, method: "a.b", stream: true, params: { x: [1] }, extra: 1 },
    { v: 1, type: "res", id: 3, seq: 2, end: false, result: { i: 1 } },
    { type: "res", id: 4, result: null, error: null },
    { type: "res", id: 5, error: { code: "not_found", message: "gone" } },
    { type: "cancel", id: 6, reason: "caller done" },
    { type: "req", id: 7, method: "m", stream: 0 },
    { type: "push", topic: "session.evicted", payload: { reason: "x" } },
  ];
  for (const input of inputs) {
    assert.deepEqual(receive(input), FrameSchema.parse(input), JSON.stringify(input));
  }
});

Deno.test("schemas accept only plain maps for free-map fields", () => {
  assert.equal(isWireMap({}), true);
  assert.equal(isWireMap(Object.create(null)), true);
  assert.equal(isWireMap([]), false);
  assert.equal(isWireMap(new Uint8Array(1)), false);
  assert.equal(isWireMap(new Map()), false);
  assert.equal(isWireMap(null), false);
  assert.equal(
    ReqFrameSchema.safeParse({ type: "req", id: 1, method: "m", params: [] }).success,
    false,
  );
  assert.equal(ResFrameSchema.safeParse({ type: "res", id: 1, result: new Date() }).success, false);
  assert.equal(
    HelloFrameSchema.safeParse({ type: "hello", role: "client", auth: 1 }).success,
    false,
  );
});
