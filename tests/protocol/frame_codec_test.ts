import assert from "node:assert/strict";
import {
  CodecError,
  decodeFrame,
  encodeCancel,
  encodeFrame,
  encodeHello,
  encodeMsgpack,
  encodePush,
  encodeReq,
  encodeRes,
  Float64,
  float64,
  type Frame,
  resolveLimits,
  type WireMap,
} from "../../src/protocol/mod.ts";
import { fromHex, toHex } from "./_util.ts";

const FIXTURES = new URL("../fixtures/frames/", import.meta.url);

interface GoldenCase {
  type: string;
  name: string;
  /** Builds the frame through the public encoders (Float64 where the field is float-typed). */
  build(): Uint8Array;
  /** The decoded map from vectors.json. */
  decoded: Frame;
  /** Dotted paths of float-typed fields, wrapped in Float64 when re-encoding a decoded frame. */
  floats?: string[];
}

const golden: GoldenCase[] = [
  {
    type: "hello",
    name: "client_hello",
    build: () => encodeHello({ role: "client" }),
    decoded: {
      v: 1,
      type: "hello",
      role: "client",
      principal: "",
      auth: {},
      capabilities: {},
      error: null,
    },
  },
  {
    type: "hello",
    name: "server_hello_busy",
    build: () => encodeHello({ role: "server", error: { code: "busy", message: "x" } }),
    decoded: {
      v: 1,
      type: "hello",
      role: "server",
      principal: "",
      auth: {},
      capabilities: {},
      error: { code: "busy", message: "x", details: {} },
    },
  },
  {
    type: "req",
    name: "req_cursor_position",
    build: () => encodeReq({ id: 1, method: "display.cursor_position" }),
    decoded: {
      v: 1,
      type: "req",
      id: 1,
      method: "display.cursor_position",
      stream: false,
      params: {},
    },
  },
  {
    type: "req",
    name: "req_display_subscribe_stream",
    build: () =>
      encodeReq({
        id: 2,
        method: "display.subscribe",
        stream: true,
        params: { display_id: null, fps: 30, region: null },
      }),
    decoded: {
      v: 1,
      type: "req",
      id: 2,
      method: "display.subscribe",
      stream: true,
      params: { display_id: null, fps: 30, region: null },
    },
  },
  {
    type: "res",
    name: "res_point_result",
    build: () => encodeRes({ id: 1, result: { x: float64(50), y: float64(60) } }),
    decoded: {
      v: 1,
      type: "res",
      id: 1,
      seq: 0,
      end: true,
      result: { x: 50, y: 60 },
      error: null,
    },
    floats: ["result.x", "result.y"],
  },
  {
    type: "res",
    name: "res_nil_result",
    build: () => encodeRes({ id: 1 }),
    decoded: { v: 1, type: "res", id: 1, seq: 0, end: true, result: null, error: null },
  },
  {
    type: "res",
    name: "res_error_cancelled",
    build: () => encodeRes({ id: 3, error: { code: "cancelled", message: "cancelled" } }),
    decoded: {
      v: 1,
      type: "res",
      id: 3,
      seq: 0,
      end: true,
      result: null,
      error: { code: "cancelled", message: "cancelled", details: {} },
    },
  },
  {
    type: "cancel",
    name: "cancel_caller_cancelled",
    build: () => encodeCancel({ id: 2, reason: "caller cancelled" }),
    decoded: { v: 1, type: "cancel", id: 2, reason: "caller cancelled" },
  },
  {
    type: "push",
    name: "push_session_evicted",
    build: () => encodePush({ topic: "session.evicted", payload: { reason: "admin_disconnect" } }),
    decoded: {
      v: 1,
      type: "push",
      topic: "session.evicted",
      payload: { reason: "admin_disconnect" },
    },
  },
];

function withFloats(frame: Frame, paths: string[]): Frame {
  const copy = structuredClone(frame) as unknown as WireMap;
  for (const path of paths) {
    const keys = path.split(".");
    let target = copy;
    for (const key of keys.slice(0, -1)) target = target[key] as WireMap;
    const last = keys.at(-1)!;
    target[last] = new Float64(target[last] as number);
  }
  return copy as unknown as Frame;
}

for (const c of golden) {
  Deno.test(`encode*() and decodeFrame() match the golden fixture ${c.type}/${c.name}`, async () => {
    const hex = (await Deno.readTextFile(new URL(`${c.type}/${c.name}.hex`, FIXTURES))).trim();
    const wire = fromHex(hex);
    // Built through the encoders: byte for byte.
    assert.equal(toHex(c.build()), hex);
    // Decoded: the vector's values, validated into a typed frame.
    const frame = decodeFrame(wire);
    assert.deepEqual(frame, c.decoded);
    // Re-encoded from the decoded frame (floats marked): byte for byte again.
    assert.equal(toHex(encodeFrame(withFloats(frame, c.floats ?? []))), hex);
  });
}

Deno.test("encodeFrame() round-trips every frame type with non-default values", () => {
  const frames: Frame[] = [
    {
      v: 1,
      type: "hello",
      role: "server",
      principal: "p",
      auth: { a: 1 },
      capabilities: { capabilities: ["display.capture"], limits: {} },
      error: { code: "permission_denied", message: "no", details: { why: "policy" } },
    },
    {
      v: 1,
      type: "req",
      id: 2 ** 53 - 1,
      method: "fs.write",
      stream: false,
      params: { path: "/tmp/x", data: new Uint8Array([0, 255]) },
    },
    {
      v: 1,
      type: "res",
      id: 9,
      seq: 4,
      end: false,
      result: { items: [1, "two", null, { three: 3.5 }] },
      error: null,
    },
    { v: 1, type: "cancel", id: 77, reason: "" },
    { v: 1, type: "push", topic: "custom.topic", payload: {} },
  ];
  for (const frame of frames) {
    assert.deepEqual(decodeFrame(encodeFrame(frame)), frame, frame.type);
  }
});

Deno.test("encode*() reject fields the reference would not accept", () => {
  const cases: { name: string; run: () => unknown; error: RegExp }[] = [
    {
      name: "unsafe id",
      run: () => encodeReq({ id: 2 ** 53, method: "m" }),
      error: /safe integer/,
    },
    { name: "fractional id", run: () => encodeCancel({ id: 1.5 }), error: /safe integer/ },
    {
      name: "list result",
      run: () => encodeRes({ id: 1, result: [1] as unknown as WireMap }),
      error: /'result' must be a map or nil/,
    },
    { name: "negative seq", run: () => encodeRes({ id: 1, seq: -1 }), error: /'seq' must be/ },
    {
      name: "unknown error code",
      run: () => encodeRes({ id: 1, error: { code: "oops" as "internal" } }),
      error: /unknown error code 'oops'/,
    },
    {
      name: "bad role",
      run: () => encodeHello({ role: "admin" as "client" }),
      error: /'role' must be/,
    },
    {
      name: "params not a map",
      run: () => encodeReq({ id: 1, method: "m", params: "x" as unknown as WireMap }),
      error: /'params' must be a map/,
    },
    {
      name: "non-string method",
      run: () => encodeReq({ id: 1, method: 5 as unknown as string }),
      error: /'method' must be a string/,
    },
  ];
  for (const { name, run, error } of cases) {
    assert.throws(run, (e: unknown) => e instanceof TypeError && error.test(e.message), name);
  }
});

Deno.test("encodeReq() enforces the frame limit with CodecError", () => {
  const limits = resolveLimits({ maxFrameBytes: 128 });
  assert.throws(
    () =>
      encodeReq({ id: 1, method: "fs.write", params: { data: new Uint8Array(200) } }, { limits }),
    (e: unknown) =>
      e instanceof CodecError && /Cannot encode REQ: \d+ bytes exceed/.test(e.message),
  );
});

Deno.test("decodeFrame() rejects a valid map that is not a valid frame", () => {
  const cases: { name: string; frame: WireMap; error: RegExp }[] = [
    { name: "no type", frame: { v: 1 }, error: /missing 'type'/ },
    { name: "unknown type", frame: { type: "bye" }, error: /unknown frame type 'bye'/ },
    { name: "wrong version", frame: { v: 2, type: "req", id: 1, method: "m" }, error: /version 2/ },
    { name: "req without id", frame: { type: "req", method: "m" }, error: /missing 'id'/ },
    {
      name: "res with list result",
      frame: { type: "res", id: 1, result: [] },
      error: /'result' expected a map/,
    },
  ];
  for (const { name, frame, error } of cases) {
    const bytes = encodeMsgpack(frame);
    assert.throws(() => decodeFrame(bytes), (e: unknown) => {
      assert.ok(e instanceof CodecError, name);
      assert.match(e.message, error, name);
      return true;
    });
  }
});
