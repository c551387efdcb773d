/**
 * The post-scan reader against `@msgpack/msgpack`'s Decoder: the same values
 * for every encoding of every type (hand-built bytes for the widths encoders
 * rarely pick) and for generated documents.
 */

import assert from "node:assert/strict";
import { Decoder, encode } from "@msgpack/msgpack";
import {
  CodecError,
  decodeMsgpack,
  encodeMsgpack,
  Float64,
  float64,
} from "../../src/protocol/mod.ts";
import { bytes, fromHex } from "./_util.ts";

const library = new Decoder();

/** `{"a": <value>}` with the value given as hex. */
const inMap = (hex: string): Uint8Array => fromHex(`81 a1 61 ${hex}`);

const ENCODINGS: [string, string][] = [
  ["positive fixint", "7f"],
  ["negative fixint", "e0"],
  ["uint8", "cc ff"],
  ["uint16", "cd ff fe"],
  ["uint32", "ce ff ff ff fe"],
  ["uint64 (safe)", "cf 00 1f ff ff ff ff ff ff"],
  ["uint64 (above 2^53)", "cf ff ff ff ff ff ff ff ff"],
  ["int8", "d0 80"],
  ["int16", "d1 80 00"],
  ["int32", "d2 80 00 00 00"],
  ["int64 (safe)", "d3 ff e0 00 00 00 00 00 01"],
  ["int64 (most negative)", "d3 80 00 00 00 00 00 00 00"],
  ["int64 (-1)", "d3 ff ff ff ff ff ff ff ff"],
  ["float32", "ca 3f c0 00 00"],
  ["float32 NaN", "ca 7f c0 00 00"],
  ["float64", "cb 40 49 00 00 00 00 00 00"],
  ["float64 -0", "cb 80 00 00 00 00 00 00 00"],
  ["float64 infinity", "cb 7f f0 00 00 00 00 00 00"],
  ["nil", "c0"],
  ["false", "c2"],
  ["true", "c3"],
  ["fixstr empty", "a0"],
  ["fixstr", "a3 61 62 63"],
  ["str8", "d9 03 78 79 7a"],
  ["str16", "da 00 02 c3 a9"],
  ["str32", "db 00 00 00 04 f0 9f 98 80"],
  ["bin8", "c4 02 01 02"],
  ["bin16", "c5 00 01 ff"],
  ["bin32", "c6 00 00 00 00"],
  ["fixarray", "92 01 a1 62"],
  ["array16", "dc 00 02 c0 c3"],
  ["array32", "dd 00 00 00 01 90"],
  ["fixmap", "82 a1 78 01 a1 79 02"],
  ["map16", "de 00 01 a1 6b 80"],
  ["map32", "df 00 00 00 01 a1 6b 91 80"],
  ["duplicate keys (last wins)", "82 a1 6b 01 a1 6b 02"],
];

for (const [name, hex] of ENCODINGS) {
  Deno.test(`decodeMsgpack() decodes ${name} like @msgpack/msgpack`, () => {
    const input = inMap(hex);
    assert.deepEqual(decodeMsgpack(input), library.decode(input));
  });
}

Deno.test("decodeMsgpack() returns bin values as views into the input", () => {
  const input = inMap("c4 02 01 02");
  const bin = decodeMsgpack(input).a as Uint8Array;
  assert.equal(bin.buffer, input.buffer);
  assert.equal(bin.byteOffset, 5);
});

Deno.test("decodeMsgpack() keeps repeated short strings apart when they differ", () => {
  // Same length, same hash bucket or not: every string must come back as sent.
  const words = [
    "alpha",
    "alphb",
    "bravo",
    "éclat",
    "éclat",
    "alpha",
    "z".repeat(24),
    "z".repeat(25),
  ];
  for (let round = 0; round < 3; round++) {
    for (const word of words) assert.equal(decodeMsgpack(encodeMsgpack({ w: word })).w, word);
  }
});

Deno.test("decodeMsgpack() refuses a __proto__ key at any depth", () => {
  const nested = bytes(0x81, 0xa1, 0x61, 0x81, 0xa9, ...new TextEncoder().encode("__proto__"), 1);
  assert.throws(() => decodeMsgpack(nested), (e: unknown) => {
    assert.ok(e instanceof CodecError);
    assert.match(e.message, /^Cannot decode frame: The key __proto__ is not allowed/);
    return true;
  });
});

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ["id", "type", "x", "y", "path", "method", "données", "k".repeat(30), ""];

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 9 : 11));
  const n = next();
  switch (pick) {
    case 0:
      return null;
    case 1:
      return n < 0.5;
    case 2:
      return Math.floor((n - 0.5) * 2 ** (1 + Math.floor(next() * 53)));
    case 3:
      return (n - 0.5) * 10 ** Math.floor(next() * 20 - 10);
    case 4:
      return float64(Math.floor(n * 1000));
    case 5:
      return KEYS[Math.floor(n * KEYS.length)]! + (n < 0.3 ? String(n) : "");
    case 6:
      return "€".repeat(Math.floor(n * 100));
    case 7:
      return crypto.getRandomValues(new Uint8Array(Math.floor(n * 300)));
    case 8:
      return Math.floor(n * 300) - 150;
    case 9:
      return Array.from({ length: Math.floor(n * 20) }, () => randomValue(next, depth + 1));
    default:
      return randomMap(next, depth + 1);
  }
}

function randomMap(next: () => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const size = Math.floor(next() * 20);
  for (let i = 0; i < size; i++) {
    out[KEYS[Math.floor(next() * KEYS.length)]! + (next() < 0.5 ? i : "")] = randomValue(
      next,
      depth,
    );
  }
  return out;
}

Deno.test("decodeMsgpack() matches @msgpack/msgpack on 2000 generated documents", () => {
  const next = prng(20240601);
  for (let i = 0; i < 2000; i++) {
    const doc = randomMap(next, 0);
    for (const encoded of [encodeMsgpack(doc), encode(plain(doc))]) {
      assert.deepEqual(decodeMsgpack(encoded), library.decode(encoded), `document ${i}`);
    }
  }
});

/** The document with Float64 markers unwrapped (for the library's encoder). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Float64) return value.value;
  if (value instanceof Uint8Array || value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}
