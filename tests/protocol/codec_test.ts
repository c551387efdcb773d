import assert from "node:assert/strict";
import { Decoder } from "@msgpack/msgpack";
import {
  CodecError,
  decodeMsgpack,
  encodeMsgpack,
  float64,
  FrameTooLargeError,
  resolveLimits,
} from "../../src/protocol/mod.ts";
import { bytes, fromHex, toHex } from "./_util.ts";

const ascii = (text: string): number[] => Array.from(new TextEncoder().encode(text));
/** `{"a": <value bytes>}` */
const inMap = (...value: (number | number[] | Uint8Array)[]): Uint8Array =>
  bytes(0x81, 0xa1, 0x61, ...value);

function deepArrays(depth: number): Uint8Array {
  const out = new Uint8Array(3 + depth + 1);
  out.set([0x81, 0xa1, 0x61]);
  out.fill(0x91, 3, 3 + depth); // [[[[...]]]]
  out[3 + depth] = 0xc0;
  return out;
}

const hostile: { name: string; input: Uint8Array; message: RegExp }[] = [
  { name: "empty input", input: bytes(), message: /empty message/ },
  {
    name: "truncated map",
    input: bytes(0x82, 0xa1, 0x61, 0x01, 0xa1, 0x62),
    message: /truncated data at byte 6/,
  },
  {
    name: "map claiming more entries than bytes",
    input: bytes(0x82, 0xa1, 0x61, 0x01),
    message: /map at byte 0 claims 2 entries but 3 bytes remain/,
  },
  { name: "truncated str", input: inMap(0xa5, ...ascii("ab")), message: /claims 5 bytes/ },
  { name: "truncated uint32", input: inMap(0xce, 0x00, 0x01), message: /truncated data/ },
  {
    name: "str32 claiming 4 GiB",
    input: inMap(0xdb, 0xff, 0xff, 0xff, 0xff),
    message: /str of 4294967295 bytes exceeds the limit/,
  },
  {
    name: "bin32 claiming 16 MiB more than present",
    input: inMap(0xc6, 0x01, 0x00, 0x00, 0x00, 0x01),
    message: /bin at byte 3 claims 16777216 bytes but 1 remain/,
  },
  {
    name: "array32 claiming 4 billion elements",
    input: inMap(0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0),
    message: /array of 4294967295 elements exceeds the limit/,
  },
  {
    name: "array32 claiming more elements than bytes",
    input: inMap(0xdd, 0x00, 0x01, 0x00, 0x00, 0xc0),
    message: /array at byte 3 claims 65536 elements but 1 bytes remain/,
  },
  {
    name: "map32 claiming more entries than bytes",
    input: bytes(0xdf, 0x00, 0x00, 0x10, 0x00, 0xa1, 0x61),
    message: /map at byte 0 claims 4096 entries but 2 bytes remain/,
  },
  { name: "nesting a million deep", input: deepArrays(1_000_000), message: /deeper than 128/ },
  { name: "nesting one past the limit", input: deepArrays(128), message: /deeper than 128/ },
  { name: "fixext1", input: inMap(0xd4, 0x01, 0x00), message: /ext type at byte 3/ },
  { name: "ext8", input: inMap(0xc7, 0x01, 0x05, 0x00), message: /ext type at byte 3/ },
  {
    name: "timestamp ext",
    input: inMap(0xd6, 0xff, 0x00, 0x00, 0x00, 0x00),
    message: /ext type at byte 3/,
  },
  { name: "reserved byte 0xc1", input: inMap(0xc1), message: /invalid byte 0xc1/ },
  { name: "trailing bytes", input: bytes(0x80, 0x00, 0x00), message: /2 trailing bytes/ },
  { name: "two maps", input: bytes(0x80, 0x80), message: /1 trailing bytes/ },
  { name: "array at top level", input: bytes(0x91, 0x01), message: /expected map, received array/ },
  { name: "int at top level", input: bytes(0x05), message: /expected map, received int/ },
  { name: "str at top level", input: bytes(0xa1, 0x61), message: /expected map, received str/ },
  { name: "nil at top level", input: bytes(0xc0), message: /expected map, received nil/ },
  { name: "bin key", input: bytes(0x81, 0xc4, 0x01, 0x61, 0x01), message: /key at byte 1 is bin/ },
  { name: "int key", input: bytes(0x81, 0x01, 0x01), message: /key at byte 1 is int/ },
  { name: "map key", input: bytes(0x81, 0x80, 0x01), message: /key at byte 1 is map/ },
  { name: "nil key", input: bytes(0x81, 0xc0, 0x01), message: /key at byte 1 is nil/ },
  {
    name: "int key in a nested map",
    input: inMap(0x81, 0x07, 0x01),
    message: /key at byte 4 is int/,
  },
  {
    name: "invalid UTF-8 continuation",
    input: inMap(0xa2, 0xc3, 0x28),
    message: /invalid UTF-8 in str at byte 3/,
  },
  { name: "overlong UTF-8", input: inMap(0xa2, 0xc0, 0xaf), message: /invalid UTF-8/ },
  { name: "UTF-16 surrogate", input: inMap(0xa3, 0xed, 0xa0, 0x80), message: /invalid UTF-8/ },
  {
    name: "code point above U+10FFFF",
    input: inMap(0xa4, 0xf4, 0x90, 0x80, 0x80),
    message: /UTF-8/,
  },
  { name: "cut multibyte sequence", input: inMap(0xa2, 0x61, 0xe2), message: /invalid UTF-8/ },
  { name: "invalid UTF-8 in a key", input: bytes(0x81, 0xa1, 0xff, 0x01), message: /UTF-8/ },
  {
    name: "__proto__ key",
    input: bytes(0x81, 0xa9, ...ascii("__proto__"), 0x80),
    message: /__proto__ is not allowed/,
  },
];

for (const { name, input, message } of hostile) {
  Deno.test(`decodeMsgpack() rejects hostile input: ${name}`, () => {
    assert.throws(() => decodeMsgpack(input), (e: unknown) => {
      assert.ok(e instanceof CodecError);
      assert.match(e.message, /^Cannot decode frame: /);
      assert.match(e.message, message);
      return true;
    });
  });
}

Deno.test("decodeMsgpack() rejects a frame over the frame limit before scanning it", () => {
  const limits = resolveLimits({ maxFrameBytes: 32 * 1024 * 1024 });
  const input = new Uint8Array(limits.maxFrameBytes + 1);
  input[0] = 0x80; // would be a valid map followed by trailing bytes
  assert.throws(() => decodeMsgpack(input, { limits }), (e: unknown) => {
    assert.ok(e instanceof FrameTooLargeError);
    assert.equal(e.size, limits.maxFrameBytes + 1);
    assert.equal(e.limit, limits.maxFrameBytes);
    assert.match(e.message, /33554433 bytes exceed the limit of 33554432/);
    return true;
  });
});

const small = resolveLimits({
  maxFrameBytes: 64,
  maxStringBytes: 4,
  maxBinaryBytes: 4,
  maxArrayLength: 3,
  maxMapLength: 2,
  maxDepth: 3,
});
const limitCases: { name: string; input: Uint8Array; message: RegExp }[] = [
  {
    name: "maxFrameBytes",
    input: inMap(0xc4, 70, ...new Array(70).fill(0)),
    message: /75 bytes exceed the limit of 64/,
  },
  { name: "maxStringBytes", input: inMap(0xa5, ...ascii("abcde")), message: /str of 5 bytes/ },
  { name: "maxBinaryBytes", input: inMap(0xc4, 5, 1, 2, 3, 4, 5), message: /bin of 5 bytes/ },
  { name: "maxArrayLength", input: inMap(0x94, 1, 2, 3, 4), message: /array of 4 elements/ },
  {
    name: "maxMapLength",
    input: bytes(0x83, 0xa1, 0x61, 1, 0xa1, 0x62, 2, 0xa1, 0x63, 3),
    message: /map of 3 entries/,
  },
  { name: "maxDepth", input: inMap(0x91, 0x91, 0x90), message: /deeper than 3 levels/ },
];

for (const { name, input, message } of limitCases) {
  Deno.test(`decodeMsgpack() enforces ${name}`, () => {
    assert.throws(() => decodeMsgpack(input, { limits: small }), message);
  });
}

Deno.test("decodeMsgpack() accepts nesting exactly at maxDepth", () => {
  assert.deepEqual(decodeMsgpack(inMap(0x91, 0x90), { limits: small }), { a: [[]] });
  assert.deepEqual(decodeMsgpack(deepArrays(127)).a !== undefined, true);
});

Deno.test("decodeMsgpack() accepts every valid encoding of a value", () => {
  const cases: { name: string; input: Uint8Array; expected: unknown }[] = [
    { name: "fixstr", input: inMap(0xa1, 0x78), expected: "x" },
    { name: "str8", input: inMap(0xd9, 0x01, 0x78), expected: "x" },
    { name: "str16", input: inMap(0xda, 0x00, 0x01, 0x78), expected: "x" },
    { name: "str32", input: inMap(0xdb, 0, 0, 0, 1, 0x78), expected: "x" },
    { name: "uint64", input: inMap(0xcf, 0, 0, 0, 0, 0, 0, 0, 5), expected: 5 },
    { name: "float32", input: inMap(0xca, 0x3f, 0xc0, 0, 0), expected: 1.5 },
    { name: "float64 whole", input: inMap(0xcb, 0x40, 0x49, 0, 0, 0, 0, 0, 0), expected: 50 },
    { name: "negative fixint", input: inMap(0xff), expected: -1 },
    { name: "map16", input: inMap(0xde, 0x00, 0x00), expected: {} },
    { name: "array16", input: inMap(0xdc, 0x00, 0x01, 0xc3), expected: [true] },
    { name: "multibyte UTF-8", input: inMap(0xa4, 0xf0, 0x9f, 0x98, 0x80), expected: "😀" },
  ];
  for (const { name, input, expected } of cases) {
    assert.deepEqual(decodeMsgpack(input).a, expected, name);
  }
});

Deno.test("decodeMsgpack() returns bins as Uint8Array views, copied with copyBinary", () => {
  const input = inMap(0xc4, 3, 1, 2, 3);
  const view = decodeMsgpack(input).a as Uint8Array;
  assert.ok(view instanceof Uint8Array);
  assert.deepEqual(Array.from(view), [1, 2, 3]);
  const copied = decodeMsgpack(input, { copyBinary: true }).a as Uint8Array;
  input.fill(0);
  assert.deepEqual(Array.from(view), [0, 0, 0], "the view follows the input buffer");
  assert.deepEqual(Array.from(copied), [1, 2, 3], "the copy does not");
});

Deno.test("decodeMsgpack() names the message in errors with label", () => {
  assert.throws(
    () => decodeMsgpack(bytes(0x90), { label: "handshake message" }),
    /^CodecError: Cannot decode handshake message: expected map, received array$/,
  );
});

Deno.test("encodeMsgpack() matches @msgpack/msgpack for plain values", () => {
  const value = {
    ints: [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1],
    negatives: [
      -1,
      -32,
      -33,
      -128,
      -129,
      -32768,
      -32769,
      -(2 ** 31),
      -(2 ** 31) - 1,
      -(2 ** 53 - 1),
    ],
    floats: [0.5, -1.25, 1e300, Number.MIN_VALUE],
    strings: ["", "a".repeat(31), "a".repeat(32), "é".repeat(200), "x".repeat(70_000), "😀"],
    bins: [new Uint8Array(0), new Uint8Array(255), new Uint8Array(256), new Uint8Array(65536)],
    nested: { deep: { list: [null, true, false, { k: "v" }] } },
    bigArray: new Array(70_000).fill(1),
  };
  const mine = encodeMsgpack(value);
  const decoded = new Decoder().decode(mine);
  assert.deepEqual(decoded, value);
  assert.equal(toHex(mine), toHex(new Uint8Array(mine)));
});

Deno.test("encodeMsgpack() writes Float64 as float64 and whole numbers as ints", () => {
  assert.equal(
    toHex(encodeMsgpack({ x: float64(50), y: 60 })),
    "82a178cb4049000000000000a1793c",
  );
  assert.equal(toHex(encodeMsgpack({ n: 2 ** 53 })), "81a16ecb4340000000000000");
  assert.equal(toHex(encodeMsgpack({ n: NaN })), "81a16ecb7ff8000000000000");
});

Deno.test("encodeMsgpack() writes binary data as bin, never as a map", () => {
  const expected = "81a162c403010203";
  const buffer = Uint8Array.of(1, 2, 3).buffer;
  assert.equal(toHex(encodeMsgpack({ b: buffer })), expected);
  assert.equal(toHex(encodeMsgpack({ b: new Uint8Array(buffer) })), expected);
  assert.equal(toHex(encodeMsgpack({ b: new DataView(buffer) })), expected);
  const offsetView = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
  assert.equal(toHex(encodeMsgpack({ b: offsetView })), expected);
});

Deno.test("encodeMsgpack() writes nil for undefined and null", () => {
  assert.equal(toHex(encodeMsgpack({ a: undefined, b: null })), "82a161c0a162c0");
});

Deno.test("encodeMsgpack() writes Maps with string keys and bigints", () => {
  assert.equal(toHex(encodeMsgpack({ m: new Map([["k", 1]]) })), "81a16d81a16b01");
  assert.equal(toHex(encodeMsgpack({ n: 2n ** 63n })), "81a16ecf8000000000000000");
  assert.equal(toHex(encodeMsgpack({ n: 5n })), "81a16e05");
});

Deno.test("encodeMsgpack() rejects values msgpack cannot carry", () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  const cases: { name: string; value: Record<string, unknown>; message: RegExp }[] = [
    { name: "Date", value: { d: new Date(0) }, message: /unsupported value of type Date/ },
    { name: "Set", value: { s: new Set([1]) }, message: /unsupported value of type Set/ },
    { name: "function", value: { f: () => 1 }, message: /unsupported value of type function/ },
    { name: "symbol", value: { s: Symbol("x") }, message: /unsupported value of type symbol/ },
    { name: "class instance", value: { c: new (class Thing {})() }, message: /type Thing/ },
    { name: "cycle", value: cycle, message: /nesting is deeper than 128 levels/ },
    {
      name: "non-string Map key",
      value: { m: new Map([[1, 1]]) },
      message: /keys must be strings/,
    },
    { name: "bigint over 64 bits", value: { n: 2n ** 64n }, message: /does not fit in 64 bits/ },
  ];
  for (const { name, value, message } of cases) {
    assert.throws(() => encodeMsgpack(value), (e: unknown) => {
      assert.ok(e instanceof CodecError, name);
      assert.match(e.message, /^Cannot encode frame: /, name);
      assert.match(e.message, message, name);
      return true;
    });
  }
});

Deno.test("encodeMsgpack() rejects a result over maxFrameBytes with FrameTooLargeError", () => {
  const limits = resolveLimits({ maxFrameBytes: 100 });
  assert.throws(
    () => encodeMsgpack({ b: new Uint8Array(200) }, { limits }),
    (e: unknown) => e instanceof FrameTooLargeError && e.size === 205 && e.limit === 100,
  );
});

Deno.test("encodeMsgpack() round-trips a large binary through decodeMsgpack", () => {
  const big = new Uint8Array(8 * 1024 * 1024).map((_, i) => i & 0xff);
  const decoded = decodeMsgpack(encodeMsgpack({ data: big })).data as Uint8Array;
  assert.equal(decoded.length, big.length);
  assert.equal(decoded[12345], 12345 & 0xff);
  assert.equal(toHex(fromHex("0aff")), "0aff");
});

Deno.test("encodeMsgpack() hands out large messages that later encodes never overwrite", () => {
  const first = new Uint8Array(5 * 1024 * 1024).fill(0xa5);
  const firstBytes = encodeMsgpack({ data: first });
  // Two bins past the growth threshold in one message, then small and large messages again.
  const two = encodeMsgpack({ a: new Uint8Array(3 * 1024 * 1024).fill(1), b: first });
  encodeMsgpack({ small: 1 });
  encodeMsgpack({ data: new Uint8Array(6 * 1024 * 1024).fill(0x5a) });
  const decoded = decodeMsgpack(firstBytes).data as Uint8Array;
  assert.equal(decoded.length, first.length);
  assert.ok(decoded.every((b) => b === 0xa5));
  const both = decodeMsgpack(two);
  assert.ok((both.a as Uint8Array).every((b) => b === 1));
  assert.deepEqual(both.b, first);
});
