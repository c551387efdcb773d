/**
 * Status handling for the Wayland driver's native calls: a failed call
 * becomes a `NativeError` whose message is the shim's own sentence, read
 * from this thread (`od_last_error`) for a call that ran here, or from the
 * handle (`od_wayland_last_error`, the copy every failing call leaves on its
 * handle) for a call that ran on an FFI worker thread (`nonblocking`).
 * Without either, the action and the status's `opendesk.h` name.
 *
 * @module
 */

import { NATIVE_STATUS } from "../x11/ffi.ts";
import { NativeError } from "../x11/native_error.ts";
import { WAYLAND_STATUS, type WaylandLibrary } from "./ffi.ts";

/** The `opendesk.h` name of a status, Wayland codes included. */
export function waylandStatusName(status: number): string {
  for (const table of [WAYLAND_STATUS, NATIVE_STATUS]) {
    for (const [name, value] of Object.entries(table)) if (value === status) return name;
  }
  return "OD_ERR_UNKNOWN";
}

/** A failed `od_wayland_*` call; `statusName` knows the Wayland codes. */
export class WaylandError extends NativeError {
  /** Creates the error for a C status and a message. */
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(status, message, options);
    this.name = "WaylandError";
    Object.defineProperty(this, "statusName", { value: waylandStatusName(status) });
  }
}

const decoder = new TextDecoder();

/**
 * The last failure sentence: the calling thread's (`true`), or the one kept
 * on the `od_wayland` handle `source` (for calls made on a worker thread).
 */
export function lastError(lib: WaylandLibrary, source: true | Deno.PointerObject = true): string {
  const buf = new Uint8Array(512);
  const len = new Uint32Array(1);
  const status = source === true
    ? lib.symbols.od_last_error(buf, buf.length, len)
    : lib.symbols.od_wayland_last_error(source, buf, buf.length, len);
  if (status !== 0) return "";
  return decoder.decode(buf.subarray(0, Math.min(len[0] ?? 0, buf.length - 1)));
}

/**
 * Throws a `WaylandError` unless `status` is OD_OK.
 *
 * @param lib The library, for the last-error sentence.
 * @param status The C status.
 * @param action What was attempted ("capture the screen").
 * @param source Where the call's sentence is: `true` when the call ran on this thread (not
 *   `nonblocking`), the `od_wayland` handle it ran on otherwise; omitted when neither holds it
 *   (a worker-thread call without a handle).
 */
export function check(
  lib: WaylandLibrary,
  status: number,
  action: string,
  source?: true | Deno.PointerObject,
): void {
  if (status === 0) return;
  const text = source === undefined ? "" : lastError(lib, source);
  throw new WaylandError(
    status,
    text.length > 0 ? text : `Cannot ${action}: ${waylandStatusName(status)}`,
  );
}
