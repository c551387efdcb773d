/**
 * Maps whatever a backend throws to the protocol's wire errors, and builds
 * the unknown-method error.
 *
 * @module
 */

import { z } from "zod";
import {
  AbortError,
  CancelledError,
  CapabilityUnsupportedError,
  RemoteError,
  TimeoutError,
} from "../protocol/errors.ts";
import { describeParamIssues } from "./methods/_param_errors.ts";

/**
 * The `capability_unsupported` answer to a method this server does not know.
 * `details.capability` follows the reference (`ui.tree` for `ui.*`, else
 * `display.capture`; `display.stream` for streams); the message and
 * `details.method` name the method.
 */
export function unknownMethodError(method: string, stream: boolean): CapabilityUnsupportedError {
  const capability = stream
    ? "display.stream"
    : method.startsWith("ui.")
    ? "ui.tree"
    : "display.capture";
  return new CapabilityUnsupportedError(
    capability,
    `server (unknown method '${method}')`,
    `Unknown ${stream ? "stream " : ""}method '${method}': this server does not implement it`,
    { method },
  );
}

/** Options of {@linkcode toWireError}. */
export interface ToWireErrorOptions {
  /** Aborted when the call was cancelled; an error after that becomes `cancelled`. */
  signal?: AbortSignal | undefined;
  /** Told about errors that become `internal` (their text stays off the wire). */
  onInternalError?: ((error: unknown, method: string) => void) | undefined;
}

/**
 * Converts an error from a backend into the `RemoteError` sent in the RES:
 * `RemoteError`s pass through; validation errors → `invalid_argument`; aborts
 * → `cancelled`; local timeouts → `timeout`; missing files → `not_found`; OS
 * access refusals → `permission_denied`; `RangeError` → `invalid_argument`;
 * anything else → `internal` with a message that names only the method.
 */
export function toWireError(
  error: unknown,
  method: string,
  options: ToWireErrorOptions = {},
): RemoteError {
  if (error instanceof RemoteError) return error;
  if (
    options.signal?.aborted || error instanceof AbortError ||
    (error instanceof DOMException && error.name === "AbortError")
  ) {
    return new CancelledError("cancelled");
  }
  if (error instanceof z.ZodError) {
    const problem = describeParamIssues(method, error);
    return new RemoteError("invalid_argument", problem.message, { method, param: problem.param });
  }
  if (error instanceof TimeoutError) {
    return new RemoteError("timeout", `Operation '${method}' timed out: ${error.message}`);
  }
  if (error instanceof Deno.errors.NotFound) {
    return new RemoteError("not_found", `Not found: ${error.message}`);
  }
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return new RemoteError(
      "permission_denied",
      `The operating system refused '${method}': ${error.message}`,
    );
  }
  if (error instanceof RangeError) {
    return new RemoteError("invalid_argument", `Invalid value for '${method}': ${error.message}`);
  }
  options.onInternalError?.(error, method);
  const name = error instanceof Error ? error.name : typeof error;
  return new RemoteError(
    "internal",
    `Internal error while running '${method}' (${name}); the server's log has the details`,
  );
}
