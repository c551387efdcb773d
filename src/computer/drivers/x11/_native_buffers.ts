/**
 * Helpers of the windows, clipboard and accessibility wrappers for the
 * shim's "caller-owned buffer" calls: retry with the required size on
 * OD_ERR_BUFFER_TOO_SMALL, and decode JSON results.
 *
 * @module
 */

import { NATIVE_STATUS } from "./ffi.ts";
import { unwrap } from "./_native_util.ts";

const decoder = new TextDecoder();

/** A `(buf, cap, len)` call of the shim, synchronous or nonblocking. */
export type BufferCall = (
  buf: Uint8Array<ArrayBuffer>,
  cap: number,
  len: Uint32Array<ArrayBuffer>,
) => number | Promise<number>;

/**
 * Runs `call` with a buffer of `initial` bytes, and once more with the size
 * the shim asks for when that is too small; returns the bytes written.
 *
 * @throws {NativeError} When the call fails (`action` names it in the message).
 */
export async function readGrowing(
  call: BufferCall,
  action: string,
  initial = 64 * 1024,
): Promise<Uint8Array<ArrayBuffer>> {
  let buf = new Uint8Array(initial);
  const len = new Uint32Array(1);
  for (let attempt = 0; attempt < 4; attempt++) {
    const status = await call(buf, buf.length, len);
    if (status === NATIVE_STATUS.OD_ERR_BUFFER_TOO_SMALL) {
      buf = new Uint8Array(Math.max((len[0] ?? 0) + 1024, buf.length * 2));
      continue;
    }
    unwrap(status, action);
    return buf.subarray(0, len[0] ?? 0);
  }
  throw new Error(`Cannot ${action}: the result kept growing`);
}

/** Decodes UTF-8 JSON written by the shim (invalid UTF-8 becomes U+FFFD). */
export function decodeJson<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

/** Opens a shim object through its `(…, T **out)` call and returns the handle. */
export async function openHandle(
  call: (out: BigUint64Array<ArrayBuffer>) => number | Promise<number>,
  action: string,
): Promise<Deno.PointerObject> {
  const out = new BigUint64Array(1);
  unwrap(await call(out), action);
  const handle = Deno.UnsafePointer.create(out[0] ?? 0n);
  if (handle === null) throw new Error(`Cannot ${action}: the shim returned no handle`);
  return handle;
}
