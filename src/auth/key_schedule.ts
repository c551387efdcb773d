/**
 * The key schedule of protocol v1, one function per row of the
 * tables in docs/protocol.md, "Key schedule". Pure functions over a {@linkcode CryptoSuite}; the
 * handshakes call them in order.
 *
 * @module
 */

import {
  INFO_AUTH_K,
  INFO_PAIR_K1,
  INFO_PAIR_K2,
  INFO_SESSION_KEYS,
  KEY_LENGTH,
  PSK_ITERATIONS,
  PSK_LENGTH,
  PSK_SALT,
  SESSION_KEY_MATERIAL_LENGTH,
} from "./constants.ts";
import { concatBytes } from "./_bytes.ts";
import type { CryptoSuite } from "./crypto_suite.ts";

/** The two directional keys of a session. */
export interface SessionKeys {
  /** Client-to-server key. */
  c2s: Uint8Array;
  /** Server-to-client key. */
  s2c: Uint8Array;
}

/**
 * PSK = PBKDF2-HMAC-SHA256(UTF-8(code), "opendesk-psk-v1", 200 000, 32).
 * The code is not validated here (see `validatePairingCode`).
 */
export function derivePairingPsk(suite: CryptoSuite, code: string): Promise<Uint8Array> {
  return suite.pbkdf2(new TextEncoder().encode(code), PSK_SALT, PSK_ITERATIONS, PSK_LENGTH);
}

/** k1 = HKDF(salt = PSK, ikm = dh_ee, info = "opendesk-pair-k1"). */
export function pairingKey1(suite: CryptoSuite, psk: Uint8Array, dhEe: Uint8Array): Uint8Array {
  return suite.hkdf(psk, dhEe, INFO_PAIR_K1, KEY_LENGTH);
}

/** k2 = HKDF(salt = PSK ‖ ct1, ikm = dh_ee, info = "opendesk-pair-k2"). */
export function pairingKey2(
  suite: CryptoSuite,
  psk: Uint8Array,
  ct1: Uint8Array,
  dhEe: Uint8Array,
): Uint8Array {
  const salt = concatBytes(psk, ct1);
  try {
    return suite.hkdf(salt, dhEe, INFO_PAIR_K2, KEY_LENGTH);
  } finally {
    salt.fill(0);
  }
}

/** Pairing transcript = SHA-256(e_s_pub ‖ e_c_pub ‖ ct1 ‖ ct2) (server's ephemeral first). */
export function pairingTranscript(
  suite: CryptoSuite,
  serverEphemeral: Uint8Array,
  clientEphemeral: Uint8Array,
  ct1: Uint8Array,
  ct2: Uint8Array,
): Uint8Array {
  return suite.sha256(serverEphemeral, clientEphemeral, ct1, ct2);
}

/** Auth transcript = SHA-256(e_s_pub ‖ e_c_pub ‖ s_c_pub). */
export function authTranscript(
  suite: CryptoSuite,
  serverEphemeral: Uint8Array,
  clientEphemeral: Uint8Array,
  clientStatic: Uint8Array,
): Uint8Array {
  return suite.sha256(serverEphemeral, clientEphemeral, clientStatic);
}

/** Auth proof key k = HKDF(salt = transcript, ikm = d1 ‖ d2, info = "opendesk-auth-k"). */
export function authProofKey(
  suite: CryptoSuite,
  transcript: Uint8Array,
  d1: Uint8Array,
  d2: Uint8Array,
): Uint8Array {
  const ikm = concatBytes(d1, d2);
  try {
    return suite.hkdf(transcript, ikm, INFO_AUTH_K, KEY_LENGTH);
  } finally {
    ikm.fill(0);
  }
}

/**
 * OKM = HKDF(salt = transcript, ikm = parts concatenated, info =
 * "opendesk-session-keys", 64); c2s = OKM[0:32], s2c = OKM[32:64]. The
 * concatenated ikm and the OKM are wiped.
 */
export function deriveSessionKeys(
  suite: CryptoSuite,
  transcript: Uint8Array,
  ikmParts: Uint8Array[],
): SessionKeys {
  const ikm = concatBytes(...ikmParts);
  const okm = suite.hkdf(transcript, ikm, INFO_SESSION_KEYS, SESSION_KEY_MATERIAL_LENGTH);
  const keys = { c2s: okm.slice(0, KEY_LENGTH), s2c: okm.slice(KEY_LENGTH) };
  ikm.fill(0);
  okm.fill(0);
  return keys;
}
