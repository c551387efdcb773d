/**
 * `NativeError`: a failure reported by the native shim.
 *
 * @module
 */

import { LocalErrorCode } from "../../../protocol/errors.ts";
import { NATIVE_STATUS } from "./ffi.ts";

/** The symbolic name of a shim status code (`OD_ERR_X11_CONNECTION_LOST`), or `OD_ERR_UNKNOWN`. */
export function nativeStatusName(status: number): string {
  for (const [name, value] of Object.entries(NATIVE_STATUS)) {
    if (value === status) return name;
  }
  return "OD_ERR_UNKNOWN";
}

/**
 * A native shim call failed. A local error (never sent as is): `code` is
 * always `"NATIVE"`; `status` is the C status and `statusName` its
 * `opendesk.h` name, stable across releases.
 *
 * @example Usage
 * ```ts
 * import { NativeError } from "./native_error.ts";
 * const error = new NativeError(0x21, "The X server connection was lost: reopen the display");
 * console.log(error.statusName); // "OD_ERR_X11_CONNECTION_LOST"
 * ```
 */
export class NativeError extends Error {
  /** Always `"NATIVE"`. */
  readonly code: LocalErrorCode = LocalErrorCode.NATIVE;
  /** The C status code. */
  readonly status: number;
  /** The status's name in `opendesk.h`. */
  readonly statusName: string;

  /** Creates the error for a C status and a message. */
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NativeError";
    this.status = status;
    this.statusName = nativeStatusName(status);
  }
}
