/**
 * A non-allocating structural pre-scan of msgpack bytes, run before any
 * value is built (`_msgpack_read.ts` builds them afterwards and relies on
 * it). It enforces the protocol's rules (depth, lengths against the limits
 * and the input, no ext types, string keys, strict UTF-8, one map and no
 * trailing bytes) in one linear pass without building any value.
 *
 * @module
 */

import { CodecError } from "./errors.ts";
import type { Limits } from "./limits.ts";
import { isValidUtf8 } from "./_utf8.ts";

/** What the scan learned about the message. */
export interface ScanResult {
  /** True when the message holds at least one bin (the decoder returns views into the input). */
  readonly hasBinary: boolean;
}

const WITH_BINARY: ScanResult = Object.freeze({ hasBinary: true });
const WITHOUT_BINARY: ScanResult = Object.freeze({ hasBinary: false });

// Reused stacks: the scan is synchronous, so one pair per process suffices.
let stackRemaining = new Float64Array(130);
let stackIsMap = new Uint8Array(130);

function kindOf(byte: number): string {
  if (byte <= 0x7f || (byte >= 0xcc && byte <= 0xd3) || byte >= 0xe0) return "int";
  if (byte <= 0x8f || byte === 0xde || byte === 0xdf) return "map";
  if (byte <= 0x9f || byte === 0xdc || byte === 0xdd) return "array";
  if (byte <= 0xbf || (byte >= 0xd9 && byte <= 0xdb)) return "str";
  if (byte === 0xc0) return "nil";
  if (byte === 0xc2 || byte === 0xc3) return "bool";
  if (byte >= 0xc4 && byte <= 0xc6) return "bin";
  if (byte === 0xca || byte === 0xcb) return "float";
  if (byte === 0xc1) return "invalid byte 0xc1";
  return "ext";
}

function isStrHeader(byte: number): boolean {
  return (byte & 0xe0) === 0xa0 || (byte >= 0xd9 && byte <= 0xdb);
}

/** Fixed payload sizes after the type byte for 0xc0–0xdf; -1 = variable or special. */
const FIXED_SIZE = new Int8Array(32).fill(-1);
for (const [byte, size] of [[0xc0, 0], [0xc2, 0], [0xc3, 0], [0xca, 4], [0xcb, 8], [0xcc, 1]]) {
  FIXED_SIZE[byte! - 0xc0] = size!;
}
for (const [byte, size] of [[0xcd, 2], [0xce, 4], [0xcf, 8], [0xd0, 1], [0xd1, 2], [0xd2, 4]]) {
  FIXED_SIZE[byte! - 0xc0] = size!;
}
FIXED_SIZE[0xd3 - 0xc0] = 8;

function readLength(bytes: Uint8Array, pos: number, size: number): number {
  if (size === 1) return bytes[pos]!;
  if (size === 2) return (bytes[pos]! << 8) | bytes[pos + 1]!;
  return (
    bytes[pos]! * 0x1000000 + ((bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!)
  );
}

/**
 * Checks that `bytes` is exactly one msgpack map with string keys at every
 * depth, no ext types, valid UTF-8, lengths within `limits` and within the
 * remaining input, and nesting no deeper than `limits.maxDepth`.
 *
 * @throws {CodecError} "Cannot decode <label>: …" describing the first violation
 */
export function scanMsgpack(bytes: Uint8Array, limits: Limits, label: string): ScanResult {
  const end = bytes.length;
  const fail = (detail: string): never => {
    throw new CodecError(`Cannot decode ${label}: ${detail}`);
  };
  if (end === 0) return fail("empty message");
  const firstKind = kindOf(bytes[0]!);
  if (firstKind !== "map") return fail(`expected map, received ${firstKind}`);

  const maxDepth = limits.maxDepth;
  if (stackRemaining.length < maxDepth + 2) {
    stackRemaining = new Float64Array(maxDepth + 2);
    stackIsMap = new Uint8Array(maxDepth + 2);
  }
  const remaining = stackRemaining;
  const isMap = stackIsMap;
  // Level 0 is a virtual root holding exactly one item, the top-level map.
  let depth = 0;
  remaining[0] = 1;
  isMap[0] = 0;
  let hasBinary = false;
  let pos = 0;

  for (;;) {
    if (pos >= end) return fail(`truncated data at byte ${pos}`);
    const itemStart = pos;
    const byte = bytes[pos++]!;
    const left = remaining[depth]!;
    if (isMap[depth] === 1 && left % 2 === 0 && !isStrHeader(byte)) {
      return fail(`map key at byte ${itemStart} is ${kindOf(byte)}, expected str`);
    }
    remaining[depth] = left - 1;

    let container = 0; // 1 = array, 2 = map
    let count = 0;
    if (byte <= 0x7f || byte >= 0xe0) {
      // fixint
    } else if (byte <= 0x8f) {
      container = 2;
      count = byte & 0x0f;
    } else if (byte <= 0x9f) {
      container = 1;
      count = byte & 0x0f;
    } else {
      let strLength = -1;
      let binLength = -1;
      if (byte <= 0xbf) {
        strLength = byte & 0x1f;
      } else {
        const fixed = FIXED_SIZE[byte - 0xc0]!;
        if (fixed >= 0) {
          if (pos + fixed > end) return fail(`truncated data at byte ${itemStart}`);
          pos += fixed;
        } else if (byte >= 0xc4 && byte <= 0xc6) {
          const size = 1 << (byte - 0xc4);
          if (pos + size > end) return fail(`truncated data at byte ${itemStart}`);
          binLength = readLength(bytes, pos, size);
          pos += size;
        } else if (byte >= 0xd9 && byte <= 0xdb) {
          const size = 1 << (byte - 0xd9);
          if (pos + size > end) return fail(`truncated data at byte ${itemStart}`);
          strLength = readLength(bytes, pos, size);
          pos += size;
        } else if (byte >= 0xdc && byte <= 0xdf) {
          const size = byte === 0xdc || byte === 0xde ? 2 : 4;
          if (pos + size > end) return fail(`truncated data at byte ${itemStart}`);
          container = byte <= 0xdd ? 1 : 2;
          count = readLength(bytes, pos, size);
          pos += size;
        } else if (byte === 0xc1) {
          return fail(`invalid byte 0xc1 at byte ${itemStart}`);
        } else {
          return fail(`ext type at byte ${itemStart} is not allowed`);
        }
      }
      if (strLength >= 0) {
        if (strLength > limits.maxStringBytes) {
          return fail(`str of ${strLength} bytes exceeds the limit of ${limits.maxStringBytes}`);
        }
        if (strLength > end - pos) {
          return fail(`str at byte ${itemStart} claims ${strLength} bytes but ${end - pos} remain`);
        }
        if (!isValidUtf8(bytes, pos, pos + strLength)) {
          return fail(`invalid UTF-8 in str at byte ${itemStart}`);
        }
        pos += strLength;
      } else if (binLength >= 0) {
        if (binLength > limits.maxBinaryBytes) {
          return fail(`bin of ${binLength} bytes exceeds the limit of ${limits.maxBinaryBytes}`);
        }
        if (binLength > end - pos) {
          return fail(`bin at byte ${itemStart} claims ${binLength} bytes but ${end - pos} remain`);
        }
        hasBinary = true;
        pos += binLength;
      }
    }

    if (container !== 0) {
      const isMapContainer = container === 2;
      if (!isMapContainer && count > limits.maxArrayLength) {
        return fail(`array of ${count} elements exceeds the limit of ${limits.maxArrayLength}`);
      }
      if (isMapContainer && count > limits.maxMapLength) {
        return fail(`map of ${count} entries exceeds the limit of ${limits.maxMapLength}`);
      }
      const items = isMapContainer ? count * 2 : count;
      // Every element takes at least one byte.
      if (items > end - pos) {
        return fail(
          `${isMapContainer ? "map" : "array"} at byte ${itemStart} claims ${count} ` +
            `${isMapContainer ? "entries" : "elements"} but ${end - pos} bytes remain`,
        );
      }
      if (depth + 1 > maxDepth) return fail(`nesting is deeper than ${maxDepth} levels`);
      if (items > 0) {
        depth++;
        remaining[depth] = items;
        isMap[depth] = isMapContainer ? 1 : 0;
        continue;
      }
    }
    // Close every container that is now complete.
    while (depth > 0 && remaining[depth] === 0) depth--;
    if (depth === 0 && remaining[0] === 0) break;
  }
  if (pos !== end) return fail(`${end - pos} trailing bytes after the map`);
  return hasBinary ? WITH_BINARY : WITHOUT_BINARY;
}
