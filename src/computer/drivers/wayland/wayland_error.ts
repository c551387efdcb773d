/**
 * Status handling for the Wayland driver's native calls: a failed call
 * becomes a `NativeError` whose message is the shim's own sentence when the
 * call ran on this thread (`od_last_error` is per thread), else the action
 * and the status's `opendesk.h` name.
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

/** The calling thread's last failure sentence. */
export function lastError(lib: WaylandLibrary): string {
  const buf = new Uint8Array(512);
  const len = new Uint32Array(1);
  if (lib.symbols.od_last_error(buf, buf.length, len) !== 0) return "";
  return decoder.decode(buf.subarray(0, Math.min(len[0] ?? 0, buf.length - 1)));
}

/**
 * Throws a `WaylandError` unless `status` is OD_OK.
 *
 * @param lib The library, for the last-error sentence.
 * @param status The C status.
 * @param action What was attempted ("capture the screen").
 * @param sameThread True when the call ran on this thread (not `nonblocking`), so that its
 *   sentence can be read.
 */
export function check(
  lib: WaylandLibrary,
  status: number,
  action: string,
  sameThread = false,
): void {
  if (status === 0) return;
  const text = sameThread ? lastError(lib) : "";
  throw new WaylandError(
    status,
    text.length > 0 ? text : `Cannot ${action}: ${waylandStatusName(status)}`,
  );
}
