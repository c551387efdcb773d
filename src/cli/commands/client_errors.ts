/**
 * Words the failures of `connect` and `pair-with` for people: what went
 * wrong and what to do next.
 *
 * @module
 */

import { HandshakeError, TrustStoreError } from "../../auth/errors.ts";
import { ConnectionClosedError, RemoteError, TimeoutError } from "../../protocol/errors.ts";
import { TargetError } from "../../remote/target.ts";
import { ConnectionRefusedError } from "../../remote/connection_refused_error.ts";
import { ServerKeyChangedError } from "../../remote/server_identity_error.ts";
import { CommandError, UsageError } from "../errors.ts";

/**
 * Converts an error of `connect`/`pairWith` into a {@linkcode CommandError}
 * (or a {@linkcode UsageError} for a malformed code or address).
 *
 * @param error What was thrown.
 * @param where The target as the user typed it.
 * @param command `connect` or `pair-with`.
 */
export function describeClientError(error: unknown, where: string, command: string): Error {
  if (error instanceof UsageError || error instanceof CommandError) return error;
  if (error instanceof RangeError && /pairing code/i.test(error.message)) {
    return new UsageError(error.message, command, { cause: error });
  }
  if (error instanceof TargetError || error instanceof TrustStoreError) {
    return new CommandError(error.message, 1, { cause: error });
  }
  if (error instanceof ServerKeyChangedError) {
    return new CommandError(error.message, 1, { cause: error });
  }
  if (error instanceof HandshakeError) {
    return new CommandError(`Cannot ${verb(command)} ${where}: ${error.message}`, 1, {
      cause: error,
    });
  }
  if (error instanceof RemoteError && error.code === "busy") {
    return new CommandError(`${where} is busy: ${error.message}`, 1, { cause: error });
  }
  if (error instanceof RemoteError) {
    return new CommandError(`${where} refused the session (${error.code}): ${error.message}`, 1, {
      cause: error,
    });
  }
  if (error instanceof ConnectionRefusedError) {
    return new CommandError(`Cannot reach ${where}: ${error.message}`, 1, { cause: error });
  }
  if (error instanceof ConnectionClosedError || error instanceof TimeoutError) {
    return new CommandError(
      `Cannot reach ${where}: ${error.message}; check the address and that \`opendesk serve\` ` +
        "runs there and is reachable",
      1,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function verb(command: string): string {
  return command === "pair-with" ? "pair with" : "connect to";
}
