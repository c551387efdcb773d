/**
 * The per-direction message counter of the encrypted channel, as a 96-bit
 * big-endian nonce (docs/protocol.md, "Encrypted channel"). The counter is never sent; both sides
 * keep their own.
 *
 * @module
 */

import { NONCE_LENGTH } from "./constants.ts";

/** Largest counter value (2^96 − 1); a nonce is never used twice, so the channel ends after it. */
export const MAX_NONCE_COUNTER: bigint = (1n << 96n) - 1n;

/**
 * A 96-bit big-endian message counter. {@linkcode Nonce.next} hands out each
 * value once; after 2^96 messages it throws, since v1 has no rekeying and the
 * connection must end.
 *
 * @example Usage
 * ```ts
 * import { Nonce } from "./nonce.ts";
 * const nonce = new Nonce();
 * console.assert(nonce.next()[11] === 0);
 * console.assert(nonce.next()[11] === 1);
 * ```
 */
export class Nonce {
  #bytes = new Uint8Array(NONCE_LENGTH);
  #exhausted = false;

  /**
   * @param start first counter value
   * @throws {RangeError} when `start` is negative or above 2^96 − 1
   */
  constructor(start: bigint = 0n) {
    if (start < 0n || start > MAX_NONCE_COUNTER) {
      throw new RangeError(`Cannot create nonce: counter ${start} is outside 0 to 2^96 - 1`);
    }
    let rest = start;
    for (let i = NONCE_LENGTH - 1; i >= 0; i--) {
      this.#bytes[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }

  /** The counter value the next call to {@linkcode Nonce.next} uses. */
  get value(): bigint {
    let v = 0n;
    for (const b of this.#bytes) v = (v << 8n) | BigInt(b);
    return this.#exhausted ? MAX_NONCE_COUNTER + 1n : v;
  }

  /**
   * Returns the current nonce (a fresh 12-byte array) and advances the counter.
   * @throws {RangeError} once all 2^96 values have been used
   */
  next(): Uint8Array {
    return this.nextInto(new Uint8Array(NONCE_LENGTH));
  }

  /**
   * Writes the current nonce into `out` (12 bytes, reused by a caller that
   * encrypts one message at a time) and advances the counter.
   * @param out the 12-byte destination
   * @returns `out`
   * @throws {RangeError} once all 2^96 values have been used
   */
  nextInto(out: Uint8Array): Uint8Array {
    if (this.#exhausted) {
      throw new RangeError("Cannot encrypt more messages: the 96-bit nonce counter is exhausted");
    }
    const bytes = this.#bytes;
    for (let i = 0; i < NONCE_LENGTH; i++) out[i] = bytes[i]!;
    let i = NONCE_LENGTH - 1;
    while (i >= 0 && bytes[i] === 0xff) bytes[i--] = 0;
    if (i < 0) this.#exhausted = true;
    else bytes[i]!++;
    return out;
  }
}
