/**
 * The value decoder behind `decodeMsgpack`, for bytes that `scanMsgpack`
 * already accepted.
 *
 * The scan checks everything that can be wrong with a message (lengths
 * against the limits and the remaining input, nesting depth, ext types, the
 * reserved byte, string keys, UTF-8, trailing bytes) without allocating, so
 * what is left is building the values. `@msgpack/msgpack`'s general Decoder
 * (a state stack, lax checks, a decoder object per call) cost more than the
 * rest of receiving a small RPC frame; this reader builds the same values
 * (tested against the library on generated documents) in one recursive pass:
 *
 * - maps are plain objects (a later duplicate key wins); a `__proto__` key is
 *   refused, as the library refuses it;
 * - 64-bit integers become the nearest number (`hi * 2^32 + lo`);
 * - bin values are `subarray` views into the input (the caller copies the
 *   input when it may be reused);
 * - short ASCII strings come from a small cache, so repeated keys and method
 *   names are not decoded again.
 *
 * @module
 */

import type { WireMap } from "./handler.ts";

const textDecoder = new TextDecoder();
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);

/** Strings of at most this many bytes go through the cache. */
const CACHED_MAX = 24;
/** Slots of the string cache (a power of two; a string lives in the slot of its hash). */
const CACHE_SLOTS = 4096;

/**
 * Short ASCII strings by a hash of their bytes, one per slot: a colliding
 * string replaces the entry, so the cache never grows, whatever comes in.
 */
const cache: (string | undefined)[] = new Array(CACHE_SLOTS).fill(undefined);

// The reader is synchronous, so the input and position live in module state.
let input: Uint8Array = new Uint8Array(0);
let pos = 0;

/** An error the caller reports as "Cannot decode <label>: <message>". */
export class MsgpackReadError extends Error {
  override name = "MsgpackReadError";
}

/** A map holds the key `__proto__` (refused: it could reach an object's prototype). */
export class ProtoKeyError extends MsgpackReadError {
  override name = "ProtoKeyError";
}

let dropProtoKeys = false;

/**
 * Decodes one pre-scanned message (a map at the top).
 *
 * @param bytes Bytes `scanMsgpack` accepted.
 * @returns The map; bins are views into `bytes`.
 * @param options `dropProtoKeys` skips `__proto__` entries instead of refusing them
 * @throws {ProtoKeyError} for a `__proto__` key
 */
export function readMsgpack(bytes: Uint8Array, options: { dropProtoKeys?: boolean } = {}): WireMap {
  input = bytes;
  pos = 0;
  dropProtoKeys = options.dropProtoKeys ?? false;
  try {
    return readValue() as WireMap;
  } finally {
    input = EMPTY;
    dropProtoKeys = false;
  }
}

const EMPTY: Uint8Array = new Uint8Array(0);

function readValue(): unknown {
  const b = input[pos++]!;
  if (b <= 0x7f) return b;
  if (b >= 0xe0) return b - 0x100;
  if (b <= 0x8f) return readMap(b & 0x0f);
  if (b <= 0x9f) return readArray(b & 0x0f);
  if (b <= 0xbf) return readString(b & 0x1f);
  switch (b) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      return readBinary(input[pos++]!);
    case 0xc5:
      return readBinary(readUint16());
    case 0xc6:
      return readBinary(readUint32());
    case 0xca:
      return readFloat32();
    case 0xcb:
      return readFloat64();
    case 0xcc:
      return input[pos++]!;
    case 0xcd:
      return readUint16();
    case 0xce:
      return readUint32();
    case 0xcf: {
      const high = readUint32();
      return high * 0x1_0000_0000 + readUint32();
    }
    case 0xd0:
      return (input[pos++]! << 24) >> 24;
    case 0xd1:
      return (readUint16() << 16) >> 16;
    case 0xd2:
      return readUint32() | 0;
    case 0xd3: {
      const high = readUint32() | 0;
      return high * 0x1_0000_0000 + readUint32();
    }
    case 0xd9:
      return readString(input[pos++]!);
    case 0xda:
      return readString(readUint16());
    case 0xdb:
      return readString(readUint32());
    case 0xdc:
      return readArray(readUint16());
    case 0xdd:
      return readArray(readUint32());
    case 0xde:
      return readMap(readUint16());
    case 0xdf:
      return readMap(readUint32());
  }
  // Unreachable for scanned input (the scan refuses ext types and 0xc1).
  throw new MsgpackReadError(`unexpected byte 0x${b.toString(16)} at byte ${pos - 1}`);
}

function readUint16(): number {
  const value = (input[pos]! << 8) | input[pos + 1]!;
  pos += 2;
  return value;
}

function readUint32(): number {
  const p = pos;
  pos += 4;
  return input[p]! * 0x1000000 + ((input[p + 1]! << 16) | (input[p + 2]! << 8) | input[p + 3]!);
}

function readFloat64(): number {
  // Big-endian on the wire; the scratch array is host order (little-endian everywhere Deno runs).
  const p = pos;
  for (let i = 0; i < 8; i++) f64Bytes[7 - i] = input[p + i]!;
  pos += 8;
  return f64[0]!;
}

function readFloat32(): number {
  const p = pos;
  for (let i = 0; i < 4; i++) f32Bytes[3 - i] = input[p + i]!;
  pos += 4;
  return f32[0]!;
}

function readBinary(length: number): Uint8Array {
  const start = pos;
  pos += length;
  return input.subarray(start, pos);
}

function readString(length: number): string {
  const start = pos;
  pos += length;
  if (length === 0) return "";
  if (length > CACHED_MAX) return textDecoder.decode(input.subarray(start, pos));
  let hash = length;
  for (let i = start; i < pos; i++) hash = Math.imul(hash ^ input[i]!, 0x01000193);
  const slot = hash & (CACHE_SLOTS - 1);
  const hit = cache[slot];
  if (hit !== undefined && hit.length === length) {
    let i = 0;
    while (i < length && hit.charCodeAt(i) === input[start + i]) i++;
    if (i === length) return hit;
  }
  let ascii = "";
  for (let i = start; i < pos; i++) {
    const c = input[i]!;
    if (c >= 0x80) return textDecoder.decode(input.subarray(start, pos));
    ascii += String.fromCharCode(c);
  }
  cache[slot] = ascii;
  return ascii;
}

function readArray(count: number): unknown[] {
  const out = new Array<unknown>(count);
  for (let i = 0; i < count; i++) out[i] = readValue();
  return out;
}

function readMap(count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    // The scan guarantees a str key.
    const key = readValue() as string;
    if (key === "__proto__") {
      if (!dropProtoKeys) throw new ProtoKeyError("The key __proto__ is not allowed");
      readValue();
      continue;
    }
    out[key] = readValue();
  }
  return out;
}
