/**
 * Constants fixed by protocol v1 (docs/protocol.md, "Handshakes" and
 * "Encrypted channel", and the reference's home files). Changing any of
 * these breaks interoperability with the reference; tuning values
 * (deadlines, pairing limits) live in `tuning.ts`.
 *
 * @module
 */

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Value of `v` in every handshake message. */
export const HANDSHAKE_VERSION = 1;

/** Length of X25519 keys and of every derived symmetric key. */
export const KEY_LENGTH = 32;
/** Length of the Poly1305 tag appended to every ciphertext. */
export const TAG_LENGTH = 16;
/** Length of a ChaCha20-Poly1305 nonce. */
export const NONCE_LENGTH = 12;

/** PBKDF2 salt for the pairing PSK (`opendesk-psk-v1`). */
export const PSK_SALT: Uint8Array = ascii("opendesk-psk-v1");
/** PBKDF2-HMAC-SHA256 iteration count for the pairing PSK. */
export const PSK_ITERATIONS = 200_000;
/** Length of the pairing PSK. */
export const PSK_LENGTH = 32;

/** HKDF info of pairing key k1. */
export const INFO_PAIR_K1: Uint8Array = ascii("opendesk-pair-k1");
/** HKDF info of pairing key k2. */
export const INFO_PAIR_K2: Uint8Array = ascii("opendesk-pair-k2");
/** HKDF info of the auth proof key k. */
export const INFO_AUTH_K: Uint8Array = ascii("opendesk-auth-k");
/** HKDF info of the 64 bytes of session key material. */
export const INFO_SESSION_KEYS: Uint8Array = ascii("opendesk-session-keys");
/** Length of the session key material (c2s ‖ s2c). */
export const SESSION_KEY_MATERIAL_LENGTH = 64;

/** Plaintext the server seals in `auth_offer.ct` (`ok`). */
export const AUTH_OK_PLAINTEXT: Uint8Array = ascii("ok");
/** Length of `auth_offer.ct` for a trusted client (2 + 16). */
export const AUTH_PROOF_LENGTH = 18;
/** Nonce of every handshake AEAD operation (12 zero bytes; each key is used once). */
export const HANDSHAKE_NONCE: Uint8Array = new Uint8Array(NONCE_LENGTH);

/** Number of digits of a pairing code. */
export const PAIRING_CODE_DIGITS = 6;

/** Handshake message kinds, as they appear in `kind`. */
export const HandshakeKind = {
  PAIR_HELLO: "pair_hello",
  PAIR_OFFER: "pair_offer",
  PAIR_FINISH: "pair_finish",
  AUTH_HELLO: "auth_hello",
  AUTH_OFFER: "auth_offer",
} as const;

/** One handshake message kind. */
export type HandshakeKind = typeof HandshakeKind[keyof typeof HandshakeKind];

/**
 * Largest handshake message accepted before decoding. The reference's
 * largest message (`pair_offer`) packs to 109 bytes; the margin allows
 * other valid msgpack encodings of the same maps.
 */
export const MAX_HANDSHAKE_MESSAGE_BYTES = 256;

/** Close reason (and error message) when an encrypted frame fails authentication. */
export const INTEGRITY_FAILURE_REASON = "frame integrity check failed";

/** File names inside the home directory, as the reference names them. */
export const HomeFile = {
  IDENTITY: "identity.key",
  TRUSTED_PEERS: "trusted-peers.json",
  TRUSTED_PEERS_BACKUP: "trusted-peers.json.bak",
  DEFAULT_PEER: "default-peer",
  /**
   * opendesk only: roles by public key, because the reference rewrites
   * `trusted-peers.json` with its own fields and drops `role`.
   */
  PEER_ROLES: "peer-roles.json",
  /** opendesk only: the lock every writer of the trust files holds. */
  TRUST_LOCK: "trust.lock",
} as const;
