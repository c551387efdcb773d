/**
 * The msgpack encoder behind `encodeMsgpack` and the frame encoders.
 *
 * `@msgpack/msgpack`'s Encoder cannot write a whole number as float64 (it
 * only has an all-or-nothing `forceIntegerToFloat`), which the wire needs for
 * float-typed fields (vectors.json `res_point_result`). This writer covers the
 * small msgpack subset the protocol uses and never emits ext types (decoding
 * is `_msgpack_scan.ts` and `_msgpack_read.ts`). Messages start in
 * `_write_message.ts`.
 *
 * @module
 */

import { CodecError } from "./errors.ts";
import { Float64 } from "./float64.ts";
import { copyBytes } from "./byte_slab.ts";
import { claimPayloadRoom } from "./frame_payload.ts";

const INITIAL_SIZE = 4096;
/** Buffers that grew past this are dropped after use so one big frame does not pin memory. */
const KEEP_MAX_SIZE = 4 * 1024 * 1024;
/** Buffers that need more than this grow by an eighth instead of doubling. */
const GROW_EXACT_FROM = 1024 * 1024;
const SHORT_STRING = 48;

const textEncoder = new TextEncoder();
const objectProto = Object.prototype;

/** A reusable msgpack writer. Not re-entrant: finish one value before starting the next. */
export class MsgpackWriter {
  #bytes: Uint8Array = new Uint8Array(INITIAL_SIZE);
  #view: DataView = new DataView(this.#bytes.buffer);
  #pos = 0;
  /** Where the message starts in `#bytes`: 0 unless it is built around a payload. */
  #start = 0;
  /** The writer's own buffer while the message is built around a payload (see `binary()`). */
  #home: Uint8Array | null = null;
  #maxDepth: number;

  constructor(maxDepth: number) {
    this.#maxDepth = maxDepth;
  }

  /** Starts a new message. */
  reset(maxDepth: number): void {
    this.#pos = 0;
    this.#maxDepth = maxDepth;
  }

  /**
   * Returns the message as bytes the caller owns. A small message is copied
   * out (the buffer is reused); an oversized buffer is handed over as is and
   * the writer starts a fresh one, which saves copying a large frame again.
   */
  finish(): Uint8Array {
    let out: Uint8Array;
    if (this.#home !== null) {
      // Built around a payload (or moved out of it): hand that buffer over, go home.
      out = this.#bytes.subarray(this.#start, this.#pos);
      this.#bytes = this.#home;
      this.#view = new DataView(this.#bytes.buffer);
      this.#home = null;
      this.#start = 0;
    } else if (this.#bytes.length > KEEP_MAX_SIZE) {
      out = this.#bytes.subarray(0, this.#pos);
      this.#bytes = new Uint8Array(INITIAL_SIZE);
      this.#view = new DataView(this.#bytes.buffer);
    } else {
      out = copyBytes(this.#bytes, 0, this.#pos);
    }
    this.#pos = 0;
    return out;
  }

  #ensure(extra: number): void {
    if (this.#pos + extra <= this.#bytes.length) return;
    // Out of room (in the writer's buffer, or after a payload): continue in a bigger buffer.
    const used = this.#pos - this.#start;
    const needed = used + extra;
    // Double while small; past GROW_EXACT_FROM grow by an eighth, so an 8 MiB bin does not
    // allocate (and fault in) 16 MiB.
    let size = Math.max(this.#bytes.length - this.#start, INITIAL_SIZE) * 2;
    while (size < needed) size *= 2;
    if (needed > GROW_EXACT_FROM) size = needed + (needed >> 3);
    const bigger = new Uint8Array(size);
    bigger.set(this.#bytes.subarray(this.#start, this.#pos));
    this.#bytes = bigger;
    this.#view = new DataView(bigger.buffer);
    this.#pos = used;
    this.#start = 0;
  }

  /** Writes bytes that are already msgpack (constant frame prefixes, a few bytes each). */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.#ensure(n);
    // A plain loop: for a few bytes it beats the call into TypedArray.prototype.set.
    const b = this.#bytes;
    let p = this.#pos;
    for (let i = 0; i < n; i++) b[p++] = bytes[i]!;
    this.#pos = p;
  }

  /** Writes a map header for `size` entries. */
  mapHeader(size: number): void {
    this.#ensure(5);
    if (size < 16) {
      this.#bytes[this.#pos++] = 0x80 | size;
    } else if (size < 0x10000) {
      this.#bytes[this.#pos++] = 0xde;
      this.#view.setUint16(this.#pos, size);
      this.#pos += 2;
    } else {
      this.#bytes[this.#pos++] = 0xdf;
      this.#view.setUint32(this.#pos, size);
      this.#pos += 4;
    }
  }

  #arrayHeader(size: number): void {
    this.#ensure(5);
    if (size < 16) {
      this.#bytes[this.#pos++] = 0x90 | size;
    } else if (size < 0x10000) {
      this.#bytes[this.#pos++] = 0xdc;
      this.#view.setUint16(this.#pos, size);
      this.#pos += 2;
    } else {
      this.#bytes[this.#pos++] = 0xdd;
      this.#view.setUint32(this.#pos, size);
      this.#pos += 4;
    }
  }

  /** Writes nil. */
  nil(): void {
    this.#ensure(1);
    this.#bytes[this.#pos++] = 0xc0;
  }

  /** Writes a boolean. */
  bool(value: boolean): void {
    this.#ensure(1);
    this.#bytes[this.#pos++] = value ? 0xc3 : 0xc2;
  }

  /** Writes a number: safe integers in their smallest encoding, anything else as float64. */
  number(value: number): void {
    if (Number.isSafeInteger(value)) this.#int(value);
    else this.float64(value);
  }

  /** Writes a float64 (`cb`). */
  float64(value: number): void {
    this.#ensure(9);
    this.#bytes[this.#pos++] = 0xcb;
    this.#view.setFloat64(this.#pos, value);
    this.#pos += 8;
  }

  #int(value: number): void {
    this.#ensure(9);
    const b = this.#bytes;
    if (value >= 0) {
      if (value < 0x80) {
        b[this.#pos++] = value;
      } else if (value < 0x100) {
        b[this.#pos++] = 0xcc;
        b[this.#pos++] = value;
      } else if (value < 0x10000) {
        b[this.#pos++] = 0xcd;
        this.#view.setUint16(this.#pos, value);
        this.#pos += 2;
      } else if (value < 0x100000000) {
        b[this.#pos++] = 0xce;
        this.#view.setUint32(this.#pos, value);
        this.#pos += 4;
      } else {
        b[this.#pos++] = 0xcf;
        this.#view.setBigUint64(this.#pos, BigInt(value));
        this.#pos += 8;
      }
    } else if (value >= -0x20) {
      b[this.#pos++] = 0xe0 | (value + 0x20);
    } else if (value >= -0x80) {
      b[this.#pos++] = 0xd0;
      this.#view.setInt8(this.#pos++, value);
    } else if (value >= -0x8000) {
      b[this.#pos++] = 0xd1;
      this.#view.setInt16(this.#pos, value);
      this.#pos += 2;
    } else if (value >= -0x80000000) {
      b[this.#pos++] = 0xd2;
      this.#view.setInt32(this.#pos, value);
      this.#pos += 4;
    } else {
      b[this.#pos++] = 0xd3;
      this.#view.setBigInt64(this.#pos, BigInt(value));
      this.#pos += 8;
    }
  }

  #bigint(value: bigint): void {
    this.#ensure(9);
    if (value >= 0n && value <= 0xffff_ffff_ffff_ffffn) {
      if (value <= BigInt(Number.MAX_SAFE_INTEGER)) return this.#int(Number(value));
      this.#bytes[this.#pos++] = 0xcf;
      this.#view.setBigUint64(this.#pos, value);
    } else if (value < 0n && value >= -0x8000_0000_0000_0000n) {
      if (value >= BigInt(Number.MIN_SAFE_INTEGER)) return this.#int(Number(value));
      this.#bytes[this.#pos++] = 0xd3;
      this.#view.setBigInt64(this.#pos, value);
    } else {
      throw new CodecError(`Cannot encode frame: integer ${value} does not fit in 64 bits`);
    }
    this.#pos += 8;
  }

  /** Writes a str. */
  string(value: string): void {
    const length = value.length;
    if (length <= SHORT_STRING) {
      // Short strings: count UTF-8 bytes, write ASCII directly.
      let byteLength = 0;
      let ascii = true;
      for (let i = 0; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c < 0x80) byteLength++;
        else {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.#ensure(2 + byteLength);
        if (byteLength < 32) this.#bytes[this.#pos++] = 0xa0 | byteLength;
        else {
          this.#bytes[this.#pos++] = 0xd9;
          this.#bytes[this.#pos++] = byteLength;
        }
        const b = this.#bytes;
        let p = this.#pos;
        for (let i = 0; i < length; i++) b[p++] = value.charCodeAt(i);
        this.#pos = p;
        return;
      }
    }
    // General case: encode after a 5-byte header slot, then close the gap.
    const maxBytes = length * 3;
    this.#ensure(5 + maxBytes);
    const start = this.#pos;
    const { written } = textEncoder.encodeInto(value, this.#bytes.subarray(start + 5));
    const headerSize = written < 32 ? 1 : written < 0x100 ? 2 : written < 0x10000 ? 3 : 5;
    if (headerSize !== 5) {
      this.#bytes.copyWithin(start + headerSize, start + 5, start + 5 + written);
    }
    const b = this.#bytes;
    if (headerSize === 1) b[start] = 0xa0 | written;
    else if (headerSize === 2) {
      b[start] = 0xd9;
      b[start + 1] = written;
    } else if (headerSize === 3) {
      b[start] = 0xda;
      this.#view.setUint16(start + 1, written);
    } else {
      b[start] = 0xdb;
      this.#view.setUint32(start + 1, written);
    }
    this.#pos = start + headerSize + written;
  }

  /** Writes a bin. */
  binary(value: Uint8Array): void {
    const size = value.byteLength;
    if (size >= 0x10000 && this.#home === null && this.#pos + 5 <= value.byteOffset) {
      if (claimPayloadRoom(value)) return this.#aroundPayload(value);
    }
    this.#ensure(5 + size);
    if (size < 0x100) {
      this.#bytes[this.#pos++] = 0xc4;
      this.#bytes[this.#pos++] = size;
    } else if (size < 0x10000) {
      this.#bytes[this.#pos++] = 0xc5;
      this.#view.setUint16(this.#pos, size);
      this.#pos += 2;
    } else {
      this.#bytes[this.#pos++] = 0xc6;
      this.#view.setUint32(this.#pos, size);
      this.#pos += 4;
    }
    this.#bytes.set(value, this.#pos);
    this.#pos += size;
  }

  /**
   * Continues the message around a payload from `allocateFramePayload()`: the
   * bytes so far and the bin32 header go into the room just before it, and
   * writing goes on just after it (moving to a buffer of the writer's own if
   * that room runs out). The payload bytes are not copied.
   */
  #aroundPayload(value: Uint8Array): void {
    const target = new Uint8Array(value.buffer);
    const header = value.byteOffset - 5;
    const start = header - this.#pos;
    target.set(this.#bytes.subarray(0, this.#pos), start);
    this.#home = this.#bytes;
    this.#bytes = target;
    this.#view = new DataView(target.buffer);
    target[header] = 0xc6;
    this.#view.setUint32(header + 1, value.byteLength);
    this.#start = start;
    this.#pos = value.byteOffset + value.byteLength;
  }

  /**
   * Writes any supported value. `depth` is the nesting level of `value`'s
   * container (the top-level map is written at depth 1).
   * @throws {CodecError} for values msgpack cannot carry here
   */
  value(value: unknown, depth: number): void {
    switch (typeof value) {
      case "string":
        return this.string(value);
      case "number":
        return this.number(value);
      case "boolean":
        return this.bool(value);
      case "undefined":
        return this.nil();
      case "bigint":
        return this.#bigint(value);
      case "object":
        return this.#object(value, depth);
      default:
        throw new CodecError(`Cannot encode frame: unsupported value of type ${typeof value}`);
    }
  }

  /** Writes a map from a plain object's own enumerable string keys. */
  map(value: Record<string, unknown>, depth: number): void {
    if (depth > this.#maxDepth) {
      throw new CodecError(`Cannot encode frame: nesting is deeper than ${this.#maxDepth} levels`);
    }
    const keys = Object.keys(value);
    this.mapHeader(keys.length);
    for (const key of keys) {
      this.string(key);
      this.value(value[key], depth + 1);
    }
  }

  #object(value: object | null, depth: number): void {
    if (value === null) return this.nil();
    if (value instanceof Float64) return this.float64(value.value);
    if (value instanceof Uint8Array) return this.binary(value);
    const proto = Object.getPrototypeOf(value);
    if (proto === objectProto || proto === null) {
      return this.map(value as Record<string, unknown>, depth);
    }
    if (Array.isArray(value)) {
      if (depth > this.#maxDepth) {
        throw new CodecError(
          `Cannot encode frame: nesting is deeper than ${this.#maxDepth} levels`,
        );
      }
      this.#arrayHeader(value.length);
      for (const item of value) this.value(item, depth + 1);
      return;
    }
    if (ArrayBuffer.isView(value)) {
      return this.binary(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    }
    if (value instanceof ArrayBuffer) return this.binary(new Uint8Array(value));
    if (value instanceof Map) return this.#mapObject(value, depth);
    const name = (proto as { constructor?: { name?: string } } | undefined)?.constructor?.name ??
      "object";
    throw new CodecError(`Cannot encode frame: unsupported value of type ${name}`);
  }

  #mapObject(value: Map<unknown, unknown>, depth: number): void {
    if (depth > this.#maxDepth) {
      throw new CodecError(`Cannot encode frame: nesting is deeper than ${this.#maxDepth} levels`);
    }
    this.mapHeader(value.size);
    for (const [key, item] of value) {
      if (typeof key !== "string") {
        throw new CodecError(`Cannot encode frame: map keys must be strings, got ${typeof key}`);
      }
      this.string(key);
      this.value(item, depth + 1);
    }
  }
}
