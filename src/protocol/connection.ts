/**
 * The `Connection` contract every transport implements: the loopback pair,
 * WebSocket, and `EncryptedConnection` on top of either.
 *
 * @module
 */

import type { ConnectionClosedError } from "./errors.ts";

/** Lifecycle of a connection. */
export type ConnectionState = "open" | "closed";

/**
 * A reliable, ordered, message-oriented duplex channel carrying whole
 * binary messages (one protocol message per `send`).
 */
export interface Connection {
  /**
   * Sends one message. Resolves when the message has been handed to the
   * transport (transports may pace on their buffers).
   * @throws {ConnectionClosedError} once the connection is closed
   */
  send(message: Uint8Array): Promise<void>;
  /**
   * Receives the next message, in order. The returned bytes belong to the
   * caller: the transport never reuses or overwrites them (the `Peer`
   * decodes bin values as views into them).
   * @throws {ConnectionClosedError} once the connection is closed (after queued messages were read)
   */
  receive(): Promise<Uint8Array>;
  /** Closes the connection (idempotent). Pending and later receives reject. */
  close(reason?: string): void;
  /** Current state. */
  readonly state: ConnectionState;
  /** Settles (never rejects) with the error that closed the connection. */
  readonly closed: Promise<ConnectionClosedError>;
  /** Human-readable remote address (`"ip:port"`), or `"?"` when unknown. */
  readonly remoteAddr: string;
}
