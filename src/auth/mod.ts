/**
 * The auth layer: this machine's identity, the trusted-peers store, the
 * pairing and auth handshakes of protocol v1, the server's pairing windows,
 * and the encrypted channel they produce.
 *
 * A server routes each connection on its first handshake message:
 *
 * ```ts ignore
 * const first = await readHandshakeMessage(conn);
 * const result = first.kind === "pair_hello"
 *   ? await pairServer(conn, { identity, windows, firstMessage: first })
 *   : await authServer(conn, { identity, isTrusted: (k) => store.isTrustedController(k), firstMessage: first });
 * ```
 *
 * @module
 */

export { type Aead, nobleAead, nodeAead, nodeAeadAvailable, selectAead } from "./aead.ts";
export {
  authClient,
  type AuthClientOptions,
  authServer,
  type AuthServerOptions,
} from "./auth_handshake.ts";
export {
  AUTH_OK_PLAINTEXT,
  HANDSHAKE_VERSION,
  HandshakeKind,
  HomeFile,
  INTEGRITY_FAILURE_REASON,
  MAX_HANDSHAKE_MESSAGE_BYTES,
} from "./constants.ts";
export { type Clock, systemClock } from "./clock.ts";
export {
  createCryptoSuite,
  type CryptoSuite,
  type CryptoSuiteOptions,
  defaultCryptoSuite,
} from "./crypto_suite.ts";
export { EncryptedConnection, type EncryptedConnectionOptions } from "./encrypted_connection.ts";
export {
  AuthErrorCode,
  HandshakeError,
  type HandshakeFailureReason,
  IdentityError,
  PairingUnavailableError,
  type PairingUnavailableReason,
  TrustStoreCorruptError,
  TrustStoreError,
} from "./errors.ts";
export { auditFingerprint, fingerprint } from "./fingerprint.ts";
export {
  readHandshakeMessage,
  type ReadHandshakeMessageOptions,
  type ReceivedHandshakeMessage,
} from "./handshake_io.ts";
export {
  decodeHandshakeMessage,
  encodeHandshakeMessage,
  type HandshakeMessage,
  peekHandshakeKind,
} from "./handshake_messages.ts";
export type { HandshakeOptions, HandshakeResult } from "./handshake_result.ts";
export {
  clearDescription,
  DESCRIPTION_FILE,
  readDescription,
  writeDescription,
} from "./description_file.ts";
export { defaultHome, type DefaultHomeOptions, ensureHomeDir } from "./home.ts";
export { Identity, type IdentityOptions } from "./identity.ts";
export { derivePairingPsk, type SessionKeys } from "./key_schedule.ts";
export { Nonce } from "./nonce.ts";
export { generatePairingCode, validatePairingCode } from "./pairing_code.ts";
export {
  pairClient,
  type PairClientOptions,
  pairServer,
  type PairServerOptions,
} from "./pairing_handshake.ts";
export {
  type ArmPairingOptions,
  type PairingAttempt,
  type PairingAttemptSource,
  type PairingEvent,
  type PairingWindow,
  PairingWindows,
  type PairingWindowsOptions,
  type PairingWindowState,
} from "./pairing_window.ts";
export { type PeerRef, TrustStore, type TrustStoreOptions } from "./trust_store.ts";
export {
  effectiveDescription,
  type PeerRole,
  type TrustedPeer,
  type TrustStoreIssue,
} from "./trusted_peer.ts";
export {
  DEFAULT_HANDSHAKE_STEP_TIMEOUT_MS,
  PAIRING_LOCKOUT_DURATION_MS,
  PAIRING_LOCKOUT_INTERVAL_MS,
  PAIRING_LOCKOUT_THRESHOLD,
  PAIRING_WINDOW_LIFETIME_MS,
} from "./tuning.ts";
export { nobleX25519, nodeX25519, type X25519 } from "./x25519.ts";
