/**
 * This machine's long-lived X25519 key: 32 raw bytes in
 * `<home>/identity.key`, created on first use.
 *
 * @module
 */

import { join } from "node:path";
import { toHex } from "./_bytes.ts";
import { writeFileAtomicSync } from "./_atomic_file.ts";
import { HomeFile, KEY_LENGTH } from "./constants.ts";
import { defaultCryptoSuite } from "./crypto_suite.ts";
import { IdentityError } from "./errors.ts";
import { fingerprint } from "./fingerprint.ts";
import { ensureHomeDir } from "./home.ts";
import type { X25519 } from "./x25519.ts";

/** Options of the {@linkcode Identity} constructors. */
export interface IdentityOptions {
  /**
   * X25519 back end for agreements with the static key.
   * @default {defaultCryptoSuite().x25519}
   */
  x25519?: X25519;
}

/**
 * A static X25519 key pair. The private key stays inside: it is not
 * enumerable, not in `JSON.stringify` and not in `Deno.inspect` output;
 * handshakes use it through {@linkcode Identity.agree}.
 *
 * @example Usage
 * ```ts
 * import { Identity } from "./identity.ts";
 * const id = Identity.fromPrivateKey(new Uint8Array(32).fill(0x11));
 * console.assert(id.fingerprint === "7b4e:909b:be7f:fe44");
 * ```
 */
export class Identity {
  #privateKey: Uint8Array;
  #x25519: X25519;
  /** The raw 32-byte public key. */
  readonly publicKey: Uint8Array;

  private constructor(privateKey: Uint8Array, x25519: X25519) {
    this.#privateKey = privateKey;
    this.#x25519 = x25519;
    this.publicKey = x25519.publicKey(privateKey);
  }

  /**
   * Wraps a raw private key (stored bytes, clamped or not). The bytes are copied.
   * @throws {TypeError} when the key is not 32 bytes
   */
  static fromPrivateKey(privateKey: Uint8Array, options: IdentityOptions = {}): Identity {
    if (privateKey.length !== KEY_LENGTH) {
      throw new TypeError(
        `Cannot create identity: the private key must be ${KEY_LENGTH} bytes, received ${privateKey.length}`,
      );
    }
    return new Identity(privateKey.slice(), options.x25519 ?? defaultCryptoSuite().x25519);
  }

  /** A fresh random key pair (not saved). */
  static generate(options: IdentityOptions = {}): Identity {
    const raw = defaultCryptoSuite().randomBytes(KEY_LENGTH);
    const identity = Identity.fromPrivateKey(raw, options);
    raw.fill(0);
    return identity;
  }

  /**
   * Loads `<home>/identity.key`, creating the home directory (0700) and a new
   * key (0600, written atomically) when the file does not exist. The modes of
   * an existing directory and key file are repaired.
   *
   * @param home the home directory (see `defaultHome()`)
   * @returns the identity
   * @throws {IdentityError} when the file exists but does not hold 32 bytes
   */
  static loadOrCreate(home: string, options: IdentityOptions = {}): Identity {
    ensureHomeDir(home);
    const path = join(home, HomeFile.IDENTITY);
    let raw: Uint8Array;
    try {
      raw = Deno.readFileSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw new IdentityError(`Cannot read identity key "${path}": ${String(error)}`, {
          cause: error,
        });
      }
      const identity = Identity.generate(options);
      try {
        writeFileAtomicSync(path, identity.#privateKey, { mode: 0o600, exclusive: true });
      } catch (writeError) {
        // Another process created the key first: use that one.
        if (writeError instanceof Deno.errors.AlreadyExists) {
          return Identity.loadOrCreate(home, options);
        }
        throw writeError;
      }
      return identity;
    }
    if (raw.length !== KEY_LENGTH) {
      raw.fill(0);
      throw new IdentityError(
        `Cannot use identity key "${path}": it holds ${raw.length} bytes, expected ${KEY_LENGTH}; ` +
          "restore it from a backup, or delete it to create a new identity (every peer must then pair again)",
      );
    }
    repairFileMode(path);
    const identity = Identity.fromPrivateKey(raw, options);
    raw.fill(0);
    return identity;
  }

  /** Fingerprint of the public key: four colon-separated groups of 4 hex digits. */
  get fingerprint(): string {
    return fingerprint(this.publicKey);
  }

  /** Lowercase hex of the public key. */
  get publicKeyHex(): string {
    return toHex(this.publicKey);
  }

  /**
   * X25519 of this private key with `publicKey` (all zero for a low-order key;
   * the handshakes reject that).
   * @throws {TypeError} when `publicKey` is not 32 bytes
   */
  agree(publicKey: Uint8Array): Uint8Array {
    return this.#x25519.sharedSecret(this.#privateKey, publicKey);
  }

  /** JSON form: the public key only. */
  toJSON(): { publicKey: string; fingerprint: string } {
    return { publicKey: this.publicKeyHex, fingerprint: this.fingerprint };
  }

  /** Inspect form: the fingerprint only. */
  [Symbol.for("Deno.customInspect")](): string {
    return `Identity { fingerprint: "${this.fingerprint}" }`;
  }

  /** Node-style inspect form: the fingerprint only. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Identity { fingerprint: "${this.fingerprint}" }`;
  }
}

function repairFileMode(path: string): void {
  if (Deno.build.os === "windows") return;
  const mode = Deno.statSync(path).mode;
  if (mode !== null && (mode & 0o777) !== 0o600) Deno.chmodSync(path, 0o600);
}
