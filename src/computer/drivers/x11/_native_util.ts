/**
 * Helpers shared by the native wrappers: status checking (the only place that
 * turns a C status into a `NativeError`), C strings and out-parameters.
 *
 * @module
 */

import { NATIVE_STATUS } from "./ffi.ts";
import { NativeError, nativeStatusName } from "./native_error.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Throws a `NativeError` unless `status` is OD_OK.
 *
 * @param status The C status.
 * @param action What was attempted, for the message ("capture the screen").
 * @param detail Reads the shim's own text for the failure (e.g. `od_display_last_error`).
 */
export function unwrap(status: number, action: string, detail?: () => string): void {
  if (status === NATIVE_STATUS.OD_OK) return;
  let text = "";
  try {
    text = detail?.() ?? "";
  } catch {
    text = "";
  }
  const message = text.length > 0 ? text : `Cannot ${action}: ${nativeStatusName(status)}`;
  throw new NativeError(status, message);
}

/** A NUL-terminated UTF-8 copy of `text`, for `const char *` parameters. */
export function cString(text: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/**
 * Reads a text out-parameter through a `(buf, cap, len)` call such as
 * `od_display_last_error`; returns "" when the call fails.
 */
export function readText(
  call: (buf: Uint8Array<ArrayBuffer>, cap: number, len: Uint32Array<ArrayBuffer>) => number,
): string {
  const buf = new Uint8Array(512);
  const len = new Uint32Array(1);
  const status = call(buf, buf.length, len);
  if (status !== NATIVE_STATUS.OD_OK && status !== NATIVE_STATUS.OD_ERR_BUFFER_TOO_SMALL) {
    return "";
  }
  return decoder.decode(buf.subarray(0, Math.min(len[0] ?? 0, buf.length - 1)));
}

/** Turns a `T **out` parameter (read into a BigUint64Array) into a pointer, or null. */
export function pointerFrom(out: BigUint64Array): Deno.PointerValue {
  return Deno.UnsafePointer.create(out[0] ?? 0n);
}
