/**
 * Windows failures a controller can act on, as wire errors: a refused foreground switch or
 * blocked input (the secure desktop, a more privileged window under UIPI) is
 * `permission_denied`, a clipboard kept open by another program is `busy`. Other native failures
 * stay `NativeError`s (reported as `internal`).
 *
 * @module
 */

import { RemoteError, type WireErrorCode } from "../../../protocol/errors.ts";
import { NATIVE_STATUS } from "../x11/ffi.ts";
import { NativeError } from "../x11/native_error.ts";

const WIRE_CODES: ReadonlyMap<number, { code: WireErrorCode; hint: string }> = new Map([
  [NATIVE_STATUS.OD_ERR_WIN_FOREGROUND, {
    code: "permission_denied",
    hint: "Windows keeps the foreground with the window the user last used; click it instead",
  }],
  [NATIVE_STATUS.OD_ERR_WIN_INPUT_BLOCKED, {
    code: "permission_denied",
    hint: "input cannot reach the secure desktop (lock screen, UAC prompt) or a window of a more " +
      "privileged program; run opendesk elevated to drive elevated windows",
  }],
  [NATIVE_STATUS.OD_ERR_WIN_CLIPBOARD_BUSY, {
    code: "busy",
    hint: "another program keeps the clipboard open; try again",
  }],
]);

/** The wire error for a Windows failure, or the error itself. */
export function toWireError(error: unknown): unknown {
  if (!(error instanceof NativeError)) return error;
  const wire = WIRE_CODES.get(error.status);
  if (wire === undefined) return error;
  return new RemoteError(wire.code, `${error.message} (${wire.hint})`, {}, { cause: error });
}

/** Runs `call`, turning Windows failures into wire errors. */
export async function withWireErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toWireError(error);
  }
}
