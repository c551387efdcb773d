/**
 * Copies of small messages (and fresh buffers for them) carved out of shared 64 KiB slabs.
 *
 * Every frame needs a copy of its bytes that the receiver may keep (the
 * encoder reuses its buffer; a transport's caller may reuse theirs). A fresh
 * `ArrayBuffer` per small frame costs more than encoding it and feeds the
 * garbage collector, so small copies are `subarray` views into a slab that
 * is replaced when full. A slab is freed once no copy of it is referenced.
 * Copies are never written to after they are handed out.
 *
 * @module
 */

const SLAB_SIZE = 64 * 1024;
/** Larger messages get their own buffer. */
const MAX_POOLED = 4 * 1024;

let slab = new Uint8Array(SLAB_SIZE);
let offset = 0;

/**
 * Returns a copy of `source[start:end]` that no one else writes to.
 *
 * @param source The bytes to copy from.
 * @param start First byte (inclusive).
 * @param end Last byte (exclusive).
 * @returns A fresh copy (a view into a slab for small sizes).
 */
export function copyBytes(source: Uint8Array, start: number, end: number): Uint8Array {
  const length = end - start;
  if (length > MAX_POOLED) return source.slice(start, end);
  if (offset + length > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    offset = 0;
  }
  const target = slab;
  const at = offset;
  if (length <= 64) {
    for (let i = 0; i < length; i++) target[at + i] = source[start + i]!;
  } else {
    target.set(source.subarray(start, end), at);
  }
  // Keep copies 8-byte aligned so views stay cheap for DataView users.
  offset = (at + length + 7) & ~7;
  return target.subarray(at, at + length);
}

/**
 * Returns `length` zeroed bytes that no one else writes to: a view into a slab
 * for small sizes, its own buffer for larger ones. The caller fills them before handing them on.
 *
 * @param length The number of bytes.
 * @returns The bytes.
 */
export function allocBytes(length: number): Uint8Array {
  if (length > MAX_POOLED) return new Uint8Array(length);
  if (offset + length > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    offset = 0;
  }
  const at = offset;
  offset = (at + length + 7) & ~7;
  return slab.subarray(at, at + length);
}
