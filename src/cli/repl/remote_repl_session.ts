/**
 * Adapts a client protocol session (a started `Peer` and the
 * `RemoteComputer` over it) to the REPL's {@linkcode ReplSession}.
 *
 * @module
 */

import type { RemoteComputer } from "../../computer/client/remote_computer.ts";
import type { ConnectionClosedError } from "../../protocol/errors.ts";
import type { WireMap } from "../../protocol/handler.ts";
import type { ReplCallOptions, ReplMap, ReplSession } from "./repl_session.ts";

/** What {@linkcode remoteReplSession} needs. */
export interface RemoteReplSessionParts {
  /** Name of the controlled machine. */
  readonly label: string;
  /** The remote computer (generic `call`/`stream`). */
  readonly computer: Pick<RemoteComputer, "call" | "stream" | "capabilities" | "evictedReason">;
  /** Push subscription of the underlying peer. */
  onPush(handler: (topic: string, payload: WireMap) => void): Disposable;
  /** Settles when the underlying session ends. */
  readonly closed: Promise<ConnectionClosedError | Error | string>;
  /** Closes the session. */
  close(): Promise<void> | void;
}

/**
 * Builds a {@linkcode ReplSession} over a remote computer.
 *
 * @param parts The session's pieces.
 * @returns The REPL session.
 */
export function remoteReplSession(parts: RemoteReplSessionParts): ReplSession {
  const manifest = parts.computer.capabilities() as unknown as ReplMap;
  const closed = parts.closed.then((reason) => {
    const evicted = parts.computer.evictedReason;
    if (evicted !== null) return `session evicted (${evicted || "no reason given"})`;
    return typeof reason === "string" ? reason : reason.message;
  });
  return {
    label: parts.label,
    manifest,
    call: (method: string, params: ReplMap, options: ReplCallOptions = {}) =>
      parts.computer.call(method, params as WireMap, options),
    stream: (method: string, params: ReplMap, options: ReplCallOptions = {}) =>
      parts.computer.stream(method, params as WireMap, options),
    onPush: (handler) => parts.onPush(handler),
    closed,
    close: async () => {
      await parts.close();
    },
  };
}
