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
import { allocBytes } from "../protocol/byte_slab.ts";
import { TAG_LENGTH } from "./constants.ts";

/** An AEAD with 32-byte keys, 12-byte nonces, 16-byte tags and no associated data. */
export interface Aead {
  /** Back-end name, for benchmarks and diagnostics. */
  readonly name: string;
  /** Returns `ciphertext ‖ tag` for `plaintext`. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Returns the plaintext, or `null` when the tag does not verify (or the input is too short). */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null;
  /**
   * Like `open()`, but decrypts into `sealed` itself, which the caller gives up: the result is a
   * view of its first bytes (no second buffer of the message's size). On failure `sealed` is
   * zeroed. Back ends that cannot do this leave it out.
   */
  openInPlace?(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null;
}

const NODE_CIPHER = "chacha20-poly1305";
/**
 * `nodeAead` encrypts and decrypts in pieces of this size: `update()` returns a new buffer per
 * call, and 64 KiB pieces are cheap to allocate and still in cache when copied into the output
 * (measured under Deno: ~1,100 MiB/s in 64 KiB pieces, ~650 in 256 KiB, ~400-800 in one call).
 */
export const AEAD_PIECE_BYTES = 64 * 1024;

/** Messages up to this size are sealed into a slab of shared memory (see `allocBytes`). */
const SMALL_SEAL_BYTES = 4 * 1024 - TAG_LENGTH;

/** ChaCha20-Poly1305 through `node:crypto` (native code). */
export const nodeAead: Aead = {
  name: "node:crypto",
  seal(key, nonce, plaintext) {
    const cipher = createCipheriv(NODE_CIPHER, key, nonce, { authTagLength: TAG_LENGTH });
    if (plaintext.length <= SMALL_SEAL_BYTES) {
      // A small message's copy comes from a shared slab: one buffer of its own per message
      // costs more than sealing it.
      const out = allocBytes(plaintext.length + TAG_LENGTH);
      out.set(cipher.update(plaintext));
      cipher.final(); // a stream cipher: nothing is held back
      out.set(cipher.getAuthTag(), plaintext.length);
      return out;
    }
    // allocUnsafeSlow: no zero-filling (every byte is written below) and no shared pool.
    const out = Buffer.allocUnsafeSlow(plaintext.length + TAG_LENGTH);
    const at = _updateInPieces(cipher, plaintext, out);
    out.set(cipher.final(), at);
    out.set(cipher.getAuthTag(), plaintext.length);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  },
  open(key, nonce, sealed) {
    if (sealed.length < TAG_LENGTH) return null;
    const split = sealed.length - TAG_LENGTH;
    const decipher = createDecipheriv(NODE_CIPHER, key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAuthTag(sealed.subarray(split));
    const body = sealed.subarray(0, split);
    if (body.length <= AEAD_PIECE_BYTES) {
      const plain = decipher.update(body);
      try {
        decipher.final(); // a stream cipher: nothing is held back
        return new Uint8Array(plain.buffer, plain.byteOffset, plain.length);
      } catch {
        plain.fill(0);
        return null;
      }
    }
    const out = Buffer.allocUnsafeSlow(split);
    return _finishOpen(decipher, body, new Uint8Array(out.buffer, out.byteOffset, out.length));
  },
  openInPlace(key, nonce, sealed) {
    if (sealed.length < TAG_LENGTH) return null;
    const split = sealed.length - TAG_LENGTH;
    const decipher = createDecipheriv(NODE_CIPHER, key, nonce, { authTagLength: TAG_LENGTH });
    // The tag is read before the bytes in front of it are overwritten.
    decipher.setAuthTag(sealed.slice(split));
    // Each piece is decrypted before its plaintext is written back over it.
    return _finishOpen(decipher, sealed.subarray(0, split), sealed.subarray(0, split));
  },
};

/** Decrypts `body` into `out` (which may be `body` itself) and checks the tag; zeroes `out` on failure. */
function _finishOpen(
  decipher: { update(data: Uint8Array): Uint8Array; final(): Uint8Array },
  body: Uint8Array,
  out: Uint8Array,
): Uint8Array | null {
  const at = _updateInPieces(decipher, body, out);
  try {
    out.set(decipher.final(), at);
    return out;
  } catch {
    out.fill(0);
    return null;
  }
}

/** Runs `input` through `stream.update()` in pieces, copying each result into `out`; returns the bytes written. */
function _updateInPieces(
  stream: { update(data: Uint8Array): Uint8Array },
  input: Uint8Array,
  out: Uint8Array,
): number {
  let at = 0;
  for (let i = 0; i < input.length; i += AEAD_PIECE_BYTES) {
    const piece = stream.update(input.subarray(i, i + AEAD_PIECE_BYTES));
    out.set(piece, at);
    at += piece.length;
  }
  return at;
}

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
