/**
 * A non-allocating structural pre-scan of msgpack bytes, run before the
 * library decoder touches them. `@msgpack/msgpack` has no depth limit and
 * accepts ext types, non-string keys and lax UTF-8; this scan enforces the
 * protocol's rules in one linear pass without building any value.
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

// Reused stacks: the scan is synchronous, so one set per depth size suffices.
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

/**
 * Checks that `bytes` is exactly one msgpack map with string keys at every
 * depth, no ext types, valid UTF-8, lengths within `limits` and within the
 * remaining input, and nesting no deeper than `limits.maxDepth`.
 *
 * @throws {CodecError} describing the first violation
 */
export function scanMsgpack(bytes: Uint8Array, limits: Limits, label: string): ScanResult {
  const end = bytes.length;
  const fail: (detail: string) => never = (detail) => {
    throw new CodecError(`Cannot decode ${label}: ${detail}`);
  };
  if (end === 0) fail("empty message");
  const first = bytes[0]!;
  const firstKind = kindOf(first);
  if (firstKind !== "map") fail(`expected map, received ${firstKind}`);

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
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  for (;;) {
    if (pos >= end) fail(`truncated data at byte ${pos}`);
    const itemStart = pos;
    const byte = bytes[pos++]!;
    const left = remaining[depth]!;
    if (isMap[depth] === 1 && left % 2 === 0) {
      const kind = kindOf(byte);
      if (kind !== "str") fail(`map key at byte ${itemStart} is ${kind}, expected str`);
    }
    remaining[depth] = left - 1;

    let container = 0; // 1 = array, 2 = map
    let count = 0;
    let skip = 0;
    let strLength = -1;
    let binLength = -1;

    if (byte <= 0x7f || byte >= 0xe0 || byte === 0xc0 || byte === 0xc2 || byte === 0xc3) {
      // single-byte values
    } else if (byte <= 0x8f) {
      container = 2;
      count = byte & 0x0f;
    } else if (byte <= 0x9f) {
      container = 1;
      count = byte & 0x0f;
    } else if (byte <= 0xbf) {
      strLength = byte & 0x1f;
    } else {
      const need = (n: number): void => {
        if (pos + n > end) fail(`truncated data at byte ${itemStart}`);
      };
      switch (byte) {
        case 0xcc:
        case 0xd0:
          skip = 1;
          break;
        case 0xcd:
        case 0xd1:
          skip = 2;
          break;
        case 0xce:
        case 0xd2:
        case 0xca:
          skip = 4;
          break;
        case 0xcf:
        case 0xd3:
        case 0xcb:
          skip = 8;
          break;
        case 0xd9:
          need(1);
          strLength = bytes[pos++]!;
          break;
        case 0xda:
          need(2);
          strLength = view.getUint16(pos);
          pos += 2;
          break;
        case 0xdb:
          need(4);
          strLength = view.getUint32(pos);
          pos += 4;
          break;
        case 0xc4:
          need(1);
          binLength = bytes[pos++]!;
          break;
        case 0xc5:
          need(2);
          binLength = view.getUint16(pos);
          pos += 2;
          break;
        case 0xc6:
          need(4);
          binLength = view.getUint32(pos);
          pos += 4;
          break;
        case 0xdc:
          need(2);
          container = 1;
          count = view.getUint16(pos);
          pos += 2;
          break;
        case 0xdd:
          need(4);
          container = 1;
          count = view.getUint32(pos);
          pos += 4;
          break;
        case 0xde:
          need(2);
          container = 2;
          count = view.getUint16(pos);
          pos += 2;
          break;
        case 0xdf:
          need(4);
          container = 2;
          count = view.getUint32(pos);
          pos += 4;
          break;
        case 0xc1:
          fail(`invalid byte 0xc1 at byte ${itemStart}`);
          break;
        default:
          fail(`ext type at byte ${itemStart} is not allowed`);
      }
    }

    if (skip > 0) {
      if (pos + skip > end) fail(`truncated data at byte ${itemStart}`);
      pos += skip;
    } else if (strLength >= 0) {
      if (strLength > limits.maxStringBytes) {
        fail(`str of ${strLength} bytes exceeds the limit of ${limits.maxStringBytes}`);
      }
      if (strLength > end - pos) {
        fail(`str at byte ${itemStart} claims ${strLength} bytes but ${end - pos} remain`);
      }
      if (!isValidUtf8(bytes, pos, pos + strLength)) {
        fail(`invalid UTF-8 in str at byte ${itemStart}`);
      }
      pos += strLength;
    } else if (binLength >= 0) {
      if (binLength > limits.maxBinaryBytes) {
        fail(`bin of ${binLength} bytes exceeds the limit of ${limits.maxBinaryBytes}`);
      }
      if (binLength > end - pos) {
        fail(`bin at byte ${itemStart} claims ${binLength} bytes but ${end - pos} remain`);
      }
      hasBinary = true;
      pos += binLength;
    } else if (container !== 0) {
      if (container === 1 && count > limits.maxArrayLength) {
        fail(`array of ${count} elements exceeds the limit of ${limits.maxArrayLength}`);
      }
      if (container === 2 && count > limits.maxMapLength) {
        fail(`map of ${count} entries exceeds the limit of ${limits.maxMapLength}`);
      }
      const items = container === 2 ? count * 2 : count;
      // Every element takes at least one byte.
      if (items > end - pos) {
        fail(
          `${container === 2 ? "map" : "array"} at byte ${itemStart} claims ${count} ` +
            `${container === 2 ? "entries" : "elements"} but ${end - pos} bytes remain`,
        );
      }
      if (depth + 1 > maxDepth) fail(`nesting is deeper than ${maxDepth} levels`);
      if (items > 0) {
        depth++;
        remaining[depth] = items;
        isMap[depth] = container === 2 ? 1 : 0;
        continue;
      }
    }
    // Close every container that is now complete.
    while (depth > 0 && remaining[depth] === 0) depth--;
    if (depth === 0 && remaining[0] === 0) break;
  }
  if (pos !== end) fail(`${end - pos} trailing bytes after the map`);
  return { hasBinary };
}
