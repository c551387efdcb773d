/**
 * X25519 (RFC 7748) back ends behind one small interface.
 *
 * `node:crypto` is the default (measured fastest here; see
 * `scripts/bench_crypto.ts`); `@noble/curves` is the pure-JavaScript
 * alternative. Both clamp the private scalar inside the multiplication, so
 * unclamped stored keys work.
 *
 * @module
 */

import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from "node:crypto";
import { Buffer } from "node:buffer";
import { x25519 as nobleCurve } from "@noble/curves/ed25519.js";
import { KEY_LENGTH } from "./constants.ts";

/** X25519 key agreement on raw 32-byte keys. */
export interface X25519 {
  /** Back-end name, for benchmarks and diagnostics. */
  readonly name: string;
  /** The public key of a raw private key. */
  publicKey(privateKey: Uint8Array): Uint8Array;
  /**
   * The shared secret of `privateKey` and `publicKey`. A low-order public key
   * yields 32 zero bytes; callers reject that as `protocol`.
   */
  sharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
}

// DER prefixes that turn raw X25519 keys into PKCS#8 / SPKI documents.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

function checkLength(what: string, key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_LENGTH) {
    throw new TypeError(
      `Cannot use X25519 ${what}: expected ${KEY_LENGTH} bytes, received ${
        key instanceof Uint8Array ? key.length : typeof key
      }`,
    );
  }
}

function nodePrivateKey(raw: Uint8Array): KeyObject {
  const der = Buffer.concat([PKCS8_PREFIX, raw]);
  try {
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } finally {
    der.fill(0);
  }
}

/** X25519 through `node:crypto` key objects. */
export const nodeX25519: X25519 = {
  name: "node:crypto",
  publicKey(privateKey) {
    checkLength("private key", privateKey);
    const spki = createPublicKey(nodePrivateKey(privateKey)).export({
      format: "der",
      type: "spki",
    });
    return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  },
  sharedSecret(privateKey, publicKey) {
    checkLength("private key", privateKey);
    checkLength("public key", publicKey);
    const peer = createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, publicKey]),
      format: "der",
      type: "spki",
    });
    try {
      return new Uint8Array(
        diffieHellman({ privateKey: nodePrivateKey(privateKey), publicKey: peer }),
      );
    } catch {
      // With well-formed 32-byte inputs the derivation fails only when the
      // result is all zero (a low-order public key): report it as such.
      return new Uint8Array(KEY_LENGTH);
    }
  },
};

/** X25519 through `@noble/curves` (pure JavaScript). */
export const nobleX25519: X25519 = {
  name: "@noble/curves",
  publicKey(privateKey) {
    checkLength("private key", privateKey);
    return nobleCurve.getPublicKey(privateKey);
  },
  sharedSecret(privateKey, publicKey) {
    checkLength("private key", privateKey);
    checkLength("public key", publicKey);
    try {
      return nobleCurve.getSharedSecret(privateKey, publicKey);
    } catch {
      // noble refuses only an all-zero result for well-formed inputs.
      return new Uint8Array(KEY_LENGTH);
    }
  },
};
