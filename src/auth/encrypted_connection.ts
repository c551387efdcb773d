/**
 * The encrypted channel of protocol v1 (docs/protocol.md,
 * "Encrypted channel") as a {@linkcode Connection}
 * wrapping any other connection.
 *
 * @module
 */

import type { Connection, ConnectionState } from "../protocol/connection.ts";
import { ConnectionClosedError } from "../protocol/errors.ts";
import { type Aead, selectAead } from "./aead.ts";
import { INTEGRITY_FAILURE_REASON, KEY_LENGTH, NONCE_LENGTH } from "./constants.ts";
import { Nonce } from "./nonce.ts";

/** Messages up to this size are opened into a new buffer (cheaper than one more check). */
const SMALL_IN_PLACE_BYTES = 64 * 1024;

/** Options of {@linkcode EncryptedConnection}. */
export interface EncryptedConnectionOptions {
  /** Key this side sends with (`c2s` on the client, `s2c` on the server). Copied. */
  sendKey: Uint8Array;
  /** Key this side receives with (`s2c` on the client, `c2s` on the server). Copied. */
  receiveKey: Uint8Array;
  /**
   * AEAD back end.
   * @default {selectAead()}
   */
  aead?: Aead;
}

/**
 * ChaCha20-Poly1305 per message over an inner connection: one key and one
 * 96-bit big-endian counter per direction, counters never sent, no AAD, the
 * wire payload is exactly `ciphertext ‖ tag`.
 *
 * `send()` takes its counter and encrypts synchronously, so concurrent sends
 * reach the inner connection in counter order. A message that fails
 * authentication (tampered, replayed, reordered, lost, wrong key) closes
 * this connection and the inner one with "frame integrity check failed" and
 * is never delivered. Closing this connection closes the inner one.
 *
 * @example Usage
 * ```ts ignore
 * const conn = new EncryptedConnection(ws, { sendKey: keys.c2s, receiveKey: keys.s2c });
 * await conn.send(helloBytes);
 * const reply = await conn.receive();
 * ```
 */
export class EncryptedConnection implements Connection {
  #inner: Connection;
  #aead: Aead;
  #sendKey: Uint8Array;
  #receiveKey: Uint8Array;
  #sendNonce = new Nonce();
  #receiveNonce = new Nonce();
  // One nonce buffer per direction, rewritten for every message (the AEAD does not keep it).
  #sendNonceBytes = new Uint8Array(NONCE_LENGTH);
  #receiveNonceBytes = new Uint8Array(NONCE_LENGTH);
  #localError: ConnectionClosedError | null = null;
  #resolveClosed!: (error: ConnectionClosedError) => void;
  #closedSettled = false;

  /** Settles (never rejects) with the error that closed the connection. */
  readonly closed: Promise<ConnectionClosedError>;

  /**
   * @param inner the connection that carries the ciphertext; owned from now on
   * @param options the direction keys and the AEAD back end
   * @throws {TypeError} when a key is not 32 bytes
   */
  constructor(inner: Connection, options: EncryptedConnectionOptions) {
    for (
      const [what, key] of [["send", options.sendKey], ["receive", options.receiveKey]] as const
    ) {
      if (key.length !== KEY_LENGTH) {
        throw new TypeError(
          `Cannot create encrypted connection: the ${what} key must be ${KEY_LENGTH} bytes, received ${key.length}`,
        );
      }
    }
    this.#inner = inner;
    this.#aead = options.aead ?? selectAead();
    this.#sendKey = options.sendKey.slice();
    this.#receiveKey = options.receiveKey.slice();
    this.closed = new Promise((resolve) => this.#resolveClosed = resolve);
    inner.closed.then((error) => this.#settle(this.#localError ?? error));
  }

  /** Current state: closed once this side closed it, the inner connection closed, or a frame failed. */
  get state(): ConnectionState {
    return this.#localError !== null || this.#inner.state === "closed" ? "closed" : "open";
  }

  /** The inner connection's remote address. */
  get remoteAddr(): string {
    return this.#inner.remoteAddr;
  }

  /**
   * Encrypts `message` with the next send counter and sends it.
   * @throws {ConnectionClosedError} once the connection is closed
   */
  send(message: Uint8Array): Promise<void> {
    if (!(message instanceof Uint8Array)) {
      return Promise.reject(new TypeError("Cannot send: expected a Uint8Array"));
    }
    if (this.#localError) return Promise.reject(this.#localError);
    if (this.#inner.state === "closed") {
      return this.#inner.closed.then((error) => Promise.reject(error));
    }
    let sealed: Uint8Array;
    try {
      sealed = this.#aead.seal(
        this.#sendKey,
        this.#sendNonce.nextInto(this.#sendNonceBytes),
        message,
      );
    } catch (error) {
      // Nonce exhaustion (v1 cannot rekey) or a failing cipher: the channel ends.
      return Promise.reject(this.#breakOnSendFailure("the message could not be encrypted", error));
    }
    return this.#inner.send(sealed).catch((error) => {
      // The counter moved on but the peer never saw the frame: the next one
      // would fail its integrity check, so end the channel now, clearly.
      if (error instanceof ConnectionClosedError) throw error;
      throw this.#breakOnSendFailure("a frame could not be sent", error);
    });
  }

  /**
   * Receives and decrypts the next message.
   * @throws {ConnectionClosedError} once closed, or when the message fails authentication
   */
  async receive(): Promise<Uint8Array> {
    if (this.#localError) throw this.#localError;
    let sealed: Uint8Array;
    try {
      sealed = await this.#inner.receive();
    } catch (error) {
      this.#receiveKey.fill(0);
      throw this.#localError ?? error;
    }
    if (this.#localError) throw this.#localError;
    const nonce = this.#receiveNonce.nextInto(this.#receiveNonceBytes);
    // The inner connection hands over each message it receives, so large ones are decrypted in
    // place: a 256 MiB frame then costs one buffer, not two.
    const plaintext = this.#aead.openInPlace && sealed.length > SMALL_IN_PLACE_BYTES
      ? this.#aead.openInPlace(this.#receiveKey, nonce, sealed)
      : this.#aead.open(this.#receiveKey, nonce, sealed);
    if (plaintext === null) {
      const error = new ConnectionClosedError(INTEGRITY_FAILURE_REASON);
      this.#fail(error, INTEGRITY_FAILURE_REASON);
      throw error;
    }
    return plaintext;
  }

  /** Closes this connection and the inner one (idempotent); keys are wiped. */
  close(reason?: string): void {
    if (this.#localError) return;
    this.#fail(new ConnectionClosedError(reason ?? "Connection closed"), reason);
  }

  #breakOnSendFailure(what: string, cause: unknown): ConnectionClosedError {
    const error = new ConnectionClosedError(`Connection closed: ${what}`, { cause });
    if (!this.#localError) this.#fail(error, error.message);
    return this.#localError ?? error;
  }

  #fail(error: ConnectionClosedError, reason: string | undefined): void {
    this.#localError = error;
    this.#sendKey.fill(0);
    this.#receiveKey.fill(0);
    this.#settle(error);
    this.#inner.close(reason);
  }

  #settle(error: ConnectionClosedError): void {
    if (this.#closedSettled) return;
    this.#closedSettled = true;
    this.#sendKey.fill(0);
    this.#resolveClosed(error);
  }
}
