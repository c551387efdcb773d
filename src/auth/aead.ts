/**
 * ChaCha20-Poly1305 (RFC 8439) back ends behind one small interface.
 *
 * Two back ends produce identical bytes: `node:crypto` (fast; preferred) and
 * `@noble/ciphers` (pure JavaScript, for runtimes whose `node:crypto` lacks
 * the cipher). {@linkcode selectAead} picks one once per process.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, getCiphers } from "node:crypto";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { TAG_LENGTH } from "./constants.ts";

/** An AEAD with 32-byte keys, 12-byte nonces, 16-byte tags and no associated data. */
export interface Aead {
  /** Back-end name, for benchmarks and diagnostics. */
  readonly name: string;
  /** Returns `ciphertext ‖ tag` for `plaintext`. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Returns the plaintext, or `null` when the tag does not verify (or the input is too short). */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null;
}

const NODE_CIPHER = "chacha20-poly1305";
/** `nodeAead.seal()` encrypts in pieces of this size. */
const SEAL_PIECE_BYTES = 256 * 1024;

/** ChaCha20-Poly1305 through `node:crypto` (native code). */
export const nodeAead: Aead = {
  name: "node:crypto",
  seal(key, nonce, plaintext) {
    const cipher = createCipheriv(NODE_CIPHER, key, nonce, { authTagLength: TAG_LENGTH });
    // allocUnsafeSlow: no zero-filling (every byte is written below) and no shared pool.
    const out = Buffer.allocUnsafeSlow(plaintext.length + TAG_LENGTH);
    // Large messages go through in pieces: `update()` returns a new buffer per call, and small
    // pieces are cheaper to allocate and still in cache when copied into `out`.
    let at = 0;
    for (let i = 0; i < plaintext.length; i += SEAL_PIECE_BYTES) {
      const piece = cipher.update(plaintext.subarray(i, i + SEAL_PIECE_BYTES));
      out.set(piece, at);
      at += piece.length;
    }
    const rest = cipher.final();
    out.set(rest, at);
    out.set(cipher.getAuthTag(), plaintext.length);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  },
  open(key, nonce, sealed) {
    if (sealed.length < TAG_LENGTH) return null;
    const split = sealed.length - TAG_LENGTH;
    const decipher = createDecipheriv(NODE_CIPHER, key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAuthTag(sealed.subarray(split));
    const body = decipher.update(sealed.subarray(0, split));
    try {
      const rest = decipher.final();
      if (rest.length === 0) return new Uint8Array(body.buffer, body.byteOffset, body.length);
      const out = Buffer.allocUnsafeSlow(body.length + rest.length);
      out.set(body, 0);
      out.set(rest, body.length);
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch {
      body.fill(0);
      return null;
    }
  },
};

/** ChaCha20-Poly1305 through `@noble/ciphers` (pure JavaScript). */
export const nobleAead: Aead = {
  name: "@noble/ciphers",
  seal(key, nonce, plaintext) {
    return chacha20poly1305(key, nonce).encrypt(plaintext);
  },
  open(key, nonce, sealed) {
    if (sealed.length < TAG_LENGTH) return null;
    try {
      return chacha20poly1305(key, nonce).decrypt(sealed);
    } catch {
      return null;
    }
  },
};

/** True when this runtime's `node:crypto` offers ChaCha20-Poly1305. */
export function nodeAeadAvailable(): boolean {
  try {
    return getCiphers().includes(NODE_CIPHER);
  } catch {
    return false;
  }
}

let selected: Aead | undefined;

/**
 * The AEAD back end for this process: `node:crypto` (OpenSSL) when it has
 * ChaCha20-Poly1305, otherwise `@noble/ciphers`. Both are vetted
 * implementations; opendesk carries no cipher code of its own. Chosen on
 * first use and kept.
 *
 * @returns the selected back end
 * @example Usage
 * ```ts
 * import { selectAead } from "./aead.ts";
 * const aead = selectAead();
 * const sealed = aead.seal(new Uint8Array(32), new Uint8Array(12), new Uint8Array([1]));
 * console.assert(sealed.length === 17);
 * ```
 */
export function selectAead(): Aead {
  selected ??= nodeAeadAvailable() ? nodeAead : nobleAead;
  return selected;
}
