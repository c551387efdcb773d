/**
 * The local error a `RemoteComputer` raises after the server evicted its
 * session (the `session.evicted` PUSH).
 *
 * @module
 */

/** The server ended this session; calls fail until the client reconnects. */
export class SessionEvictedError extends Error {
  /** Stable code of this local error. */
  readonly code = "SESSION_EVICTED";
  /** The reason the server gave (`admin_disconnect`, `replaced`, `server_shutdown`, …). */
  readonly reason: string;

  /** Creates the error for `reason`. */
  constructor(reason: string, options?: ErrorOptions) {
    super(
      `Session evicted (${
        reason || "no reason given"
      }): the server ended this session; connect again to continue`,
      options,
    );
    this.name = "SessionEvictedError";
    this.reason = reason;
  }
}
