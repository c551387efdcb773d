/**
 * Pieces shared by the pairing and auth handshakes. Internal.
 *
 * @module
 */

import type { Connection } from "../protocol/connection.ts";
import { isAllZero } from "./_bytes.ts";
import { KEY_LENGTH } from "./constants.ts";
import type { CryptoSuite } from "./crypto_suite.ts";
import { HandshakeError } from "./errors.ts";

/** A fresh ephemeral private key, or a copy of the injected one. */
export function ephemeralPrivateKey(suite: CryptoSuite, fixed: Uint8Array | undefined): Uint8Array {
  if (fixed === undefined) return suite.randomBytes(KEY_LENGTH);
  if (fixed.length !== KEY_LENGTH) {
    throw new TypeError(
      `Cannot start handshake: the ephemeral private key must be ${KEY_LENGTH} bytes, received ${fixed.length}`,
    );
  }
  return fixed.slice();
}

/**
 * Rejects the handshake when any X25519 output is all zero (a low-order
 * public key): that fails as `protocol`, not as a generic crypto error. Every secret is checked in full before the single branch.
 * @throws {HandshakeError} `protocol`
 */
export function rejectLowOrder(remoteAddr: string, ...secrets: Uint8Array[]): void {
  let zero = false;
  for (const secret of secrets) zero = isAllZero(secret) || zero;
  if (zero) {
    throw new HandshakeError(
      "protocol",
      `Handshake failed: ${remoteAddr} sent a low-order X25519 public key`,
    );
  }
}

/** Closes the connection after a failed handshake and returns the error to rethrow. */
export function closeAfterFailure(conn: Connection, error: unknown): unknown {
  conn.close("handshake failed");
  return error;
}
