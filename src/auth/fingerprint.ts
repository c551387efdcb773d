/**
 * Human-readable forms of a public key as the reference prints them and writes
 * them to the audit log.
 *
 * @module
 */

import { toHex } from "./_bytes.ts";

/**
 * The fingerprint shown to users: the first 8 bytes as lowercase hex in four
 * colon-separated groups of 4, e.g. `7b4e:909b:be7f:fe44`.
 *
 * @param publicKey a raw public key (at least 8 bytes)
 * @returns the fingerprint
 * @throws {RangeError} when the key is shorter than 8 bytes
 * @example Usage
 * ```ts
 * import { fingerprint } from "./fingerprint.ts";
 * console.assert(fingerprint(new Uint8Array(32)) === "0000:0000:0000:0000");
 * ```
 */
export function fingerprint(publicKey: Uint8Array): string {
  const hex = auditFingerprint(publicKey);
  return `${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 12)}:${hex.slice(12, 16)}`;
}

/**
 * The audit-log form: the first 16 hex characters, no colons.
 *
 * @param publicKey a raw public key (at least 8 bytes)
 * @returns 16 lowercase hex characters
 * @throws {RangeError} when the key is shorter than 8 bytes
 */
export function auditFingerprint(publicKey: Uint8Array): string {
  if (publicKey.length < 8) {
    throw new RangeError(
      `Cannot compute fingerprint: the key has ${publicKey.length} bytes, expected at least 8`,
    );
  }
  return toHex(publicKey.subarray(0, 8));
}
