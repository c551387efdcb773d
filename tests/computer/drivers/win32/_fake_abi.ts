/**
 * The C ABI conventions the fake `opendesk.dll` keeps, in one place: status codes, C strings,
 * the `(buf, cap, len)` out-parameter rule with `OD_ERR_BUFFER_TOO_SMALL`, and a small PNG.
 */

import { NATIVE_STATUS } from "../../../../src/computer/drivers/x11/ffi.ts";

/** The status codes. */
export const S = NATIVE_STATUS;
/** UTF-8 encoder. */
export const enc: TextEncoder = new TextEncoder();
/** UTF-8 decoder. */
export const dec: TextDecoder = new TextDecoder();

/** Any fake C function. */
export type Fn = (...args: never[]) => unknown;

/** Copies typed arrays so the record shows what was passed, not what was written later. */
export function snapshot(arg: unknown): unknown {
  if (arg instanceof Uint8Array) return arg.slice();
  if (arg instanceof Uint32Array) return arg.slice();
  if (arg instanceof Int32Array) return arg.slice();
  return arg;
}

/** A C string argument (NUL-terminated UTF-8) as text. */
export function cStr(buf: Uint8Array | null): string {
  if (buf === null) return "";
  const end = buf.indexOf(0);
  return dec.decode(end < 0 ? buf : buf.subarray(0, end));
}

/** The `(buf, cap, len)` convention: writes when it fits, else BUFFER_TOO_SMALL with the size. */
export function writeOut(
  bytes: Uint8Array,
  buf: Uint8Array | null,
  cap: number,
  len: Uint32Array,
): number {
  len[0] = bytes.length;
  if (buf === null || bytes.length > cap) return S.OD_ERR_BUFFER_TOO_SMALL;
  buf.set(bytes);
  return S.OD_OK;
}

/** A small valid-looking PNG: signature, IHDR with the size, IEND. */
export function fakePng(width: number, height: number): Uint8Array {
  const out = new Uint8Array(8 + 25 + 12);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(out.buffer);
  view.setUint32(8, 13);
  out.set(enc.encode("IHDR"), 12);
  view.setUint32(16, width);
  view.setUint32(20, height);
  out.set([8, 6, 0, 0, 0], 24);
  view.setUint32(33, 0);
  out.set(enc.encode("IEND"), 37);
  return out;
}
