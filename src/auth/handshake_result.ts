/**
 * What a finished handshake hands over, and the options every handshake
 * shares.
 *
 * @module
 */

import type { CryptoSuite } from "./crypto_suite.ts";
import type { EncryptedConnection } from "./encrypted_connection.ts";
import type { Identity } from "./identity.ts";

/** The outcome of a successful pairing or auth handshake. */
export interface HandshakeResult {
  /** The encrypted channel over the same transport; both counters at 0. */
  connection: EncryptedConnection;
  /** The peer's static public key (32 bytes). */
  peerKey: Uint8Array;
  /** True for pairing, false for auth. */
  paired: boolean;
}

/** Options shared by the four handshake functions. */
export interface HandshakeOptions {
  /** This machine's static key. */
  identity: Identity;
  /**
   * Deadline of each step (each message this side waits for).
   * @default {DEFAULT_HANDSHAKE_STEP_TIMEOUT_MS}
   */
  timeoutMs?: number;
  /**
   * Crypto primitives.
   * @default {defaultCryptoSuite()}
   */
  suite?: CryptoSuite;
  /**
   * Testing only: a fixed ephemeral private key (to reproduce the test
   * vectors). Real sessions must leave it unset so a fresh key is drawn.
   */
  ephemeralPrivateKey?: Uint8Array;
}
