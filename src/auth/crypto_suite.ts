/**
 * The primitives the handshakes and the encrypted channel use, behind one
 * interface. Protocol code takes a {@linkcode CryptoSuite} and never imports
 * a crypto package itself; tests and benchmarks swap back ends here.
 *
 * @module
 */

import { createHash, hkdfSync } from "node:crypto";
import { type Aead, selectAead } from "./aead.ts";
import { nodeX25519, type X25519 } from "./x25519.ts";

/** Primitives of protocol v1: X25519, PBKDF2, HKDF, SHA-256 and ChaCha20-Poly1305. */
export interface CryptoSuite {
  /** Key agreement. */
  readonly x25519: X25519;
  /** ChaCha20-Poly1305. */
  readonly aead: Aead;
  /** `length` bytes from a CSPRNG. */
  randomBytes(length: number): Uint8Array;
  /** SHA-256 of the concatenation of `parts`. */
  sha256(...parts: Uint8Array[]): Uint8Array;
  /** HKDF-SHA256 (RFC 5869) producing `length` bytes. */
  hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** PBKDF2-HMAC-SHA256 producing `length` bytes. */
  pbkdf2(
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
  ): Promise<Uint8Array>;
}

/** Options of {@linkcode createCryptoSuite}. */
export interface CryptoSuiteOptions {
  /**
   * X25519 back end.
   * @default {nodeX25519}
   */
  x25519?: X25519;
  /**
   * AEAD back end.
   * @default {selectAead()}
   */
  aead?: Aead;
}

function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call.
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", ikm, salt, info, length));
}

async function pbkdf2(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(salt), iterations },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

/**
 * Builds a suite from the given back ends; SHA-256 and HKDF come from
 * `node:crypto`, PBKDF2 from WebCrypto (the fastest measured here).
 *
 * @param options back-end choice
 * @returns the suite
 * @example Usage
 * ```ts
 * import { createCryptoSuite } from "./crypto_suite.ts";
 * import { nobleAead } from "./aead.ts";
 * const suite = createCryptoSuite({ aead: nobleAead });
 * console.assert(suite.sha256(new Uint8Array()).length === 32);
 * ```
 */
export function createCryptoSuite(options: CryptoSuiteOptions = {}): CryptoSuite {
  return {
    x25519: options.x25519 ?? nodeX25519,
    aead: options.aead ?? selectAead(),
    randomBytes,
    sha256,
    hkdf,
    pbkdf2,
  };
}

let defaultSuite: CryptoSuite | undefined;

/**
 * The process-wide suite: `node:crypto` X25519 and the AEAD chosen by
 * `selectAead()`, selected once.
 *
 * @returns the shared suite
 */
export function defaultCryptoSuite(): CryptoSuite {
  defaultSuite ??= createCryptoSuite();
  return defaultSuite;
}
