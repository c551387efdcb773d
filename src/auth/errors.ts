/**
 * Local errors of the auth layer. None of them crosses the wire.
 *
 * @module
 */

import { LocalErrorCode } from "../protocol/errors.ts";

/** Stable codes of the auth layer's local errors. */
export const AuthErrorCode = {
  HANDSHAKE: LocalErrorCode.HANDSHAKE,
  TRUST_STORE: "TRUST_STORE",
  TRUST_STORE_CORRUPT: "TRUST_STORE_CORRUPT",
  IDENTITY: "IDENTITY",
  PAIRING_UNAVAILABLE: "PAIRING_UNAVAILABLE",
} as const;

/** One auth error code. */
export type AuthErrorCode = typeof AuthErrorCode[keyof typeof AuthErrorCode];

/**
 * Why a handshake failed (the reference's four reasons, plus
 * `timeout` when a handshake step misses its deadline):
 * - `wrong_code`: a pairing AEAD did not open (the codes differ);
 * - `untrusted_peer`: the server does not trust the client's key;
 * - `unexpected_peer`: the server could not prove it holds the expected key;
 * - `protocol`: malformed message, wrong version or kind, wrong length,
 *   a low-order key, or the peer closed early;
 * - `timeout`: a step's deadline expired.
 */
export type HandshakeFailureReason =
  | "wrong_code"
  | "untrusted_peer"
  | "unexpected_peer"
  | "protocol"
  | "timeout";

/** A pairing or auth handshake failed; the connection has been closed. */
export class HandshakeError extends Error {
  readonly code: AuthErrorCode = AuthErrorCode.HANDSHAKE;
  /** The failure class, as audited (`auth_failed: <reason>`). */
  readonly reason: HandshakeFailureReason;
  constructor(reason: HandshakeFailureReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HandshakeError";
    this.reason = reason;
  }
}

/** A trust-store operation was refused (unknown peer, name taken, ambiguous name). */
export class TrustStoreError extends Error {
  readonly code: AuthErrorCode = AuthErrorCode.TRUST_STORE;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TrustStoreError";
  }
}

/**
 * `trusted-peers.json` does not hold a JSON array. The file is left exactly
 * as it is; nothing reads or writes trust until the user repairs it.
 */
export class TrustStoreCorruptError extends TrustStoreError {
  override readonly code: AuthErrorCode = AuthErrorCode.TRUST_STORE_CORRUPT;
  /** Path of the offending file. */
  readonly path: string;
  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(
      `Cannot read trusted peers from "${path}": ${detail}; the file was left untouched, ` +
        `so fix it by hand or replace it with "${path}.bak" (the last good copy), ` +
        `or move it away to start with no trusted peers`,
      options,
    );
    this.name = "TrustStoreCorruptError";
    this.path = path;
  }
}

/** `identity.key` cannot be used (wrong size, unreadable). */
export class IdentityError extends Error {
  readonly code: AuthErrorCode = AuthErrorCode.IDENTITY;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IdentityError";
  }
}

/** Why pairing cannot proceed right now. */
export type PairingUnavailableReason = "locked_out" | "not_armed" | "in_progress";

/** Pairing cannot be armed (lockout) or a pairing attempt cannot start (no usable window). */
export class PairingUnavailableError extends Error {
  readonly code: AuthErrorCode = AuthErrorCode.PAIRING_UNAVAILABLE;
  /** Why pairing is unavailable. */
  readonly reason: PairingUnavailableReason;
  /** For `locked_out`: epoch milliseconds at which arming is allowed again. */
  readonly retryAt: number | undefined;
  constructor(
    reason: PairingUnavailableReason,
    message: string,
    retryAt?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "PairingUnavailableError";
    this.reason = reason;
    this.retryAt = retryAt;
  }
}
