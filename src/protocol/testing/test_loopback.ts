/**
 * A loopback pair with test controls, kept out of the public `mod.ts`:
 * every message an end sends is logged in `sent`, and `hold()`/`release()`
 * delay and reorder delivery.
 *
 * @module
 */

import type { Connection, ConnectionState } from "../connection.ts";
import type { ConnectionClosedError } from "../errors.ts";
import { createLoopbackPair } from "../loopback.ts";

/** One end of a test loopback pair. */
export class TestConnection implements Connection {
  /** Copies of every message this end sent, in order (held ones included). */
  readonly sent: Uint8Array[] = [];
  #inner: Connection;
  #held: Uint8Array[] | undefined;

  constructor(inner: Connection) {
    this.#inner = inner;
  }

  get state(): ConnectionState {
    return this.#inner.state;
  }

  get closed(): Promise<ConnectionClosedError> {
    return this.#inner.closed;
  }

  get remoteAddr(): string {
    return this.#inner.remoteAddr;
  }

  /** Messages sent while held, not yet delivered. */
  get heldCount(): number {
    return this.#held?.length ?? 0;
  }

  send(message: Uint8Array): Promise<void> {
    if (this.#inner.state === "open") this.sent.push(message.slice());
    if (this.#held !== undefined && this.#inner.state === "open") {
      this.#held.push(message.slice());
      return Promise.resolve();
    }
    return this.#inner.send(message);
  }

  receive(): Promise<Uint8Array> {
    return this.#inner.receive();
  }

  close(reason?: string): void {
    this.#held = undefined;
    this.#inner.close(reason);
  }

  /** From now on, messages this end sends are kept back (the sender sees them as sent). */
  hold(): void {
    this.#held ??= [];
  }

  /**
   * Delivers the held messages and stops holding.
   *
   * @param order Rearranges the held messages (e.g. `(m) => m.reverse()`); may drop some.
   */
  async release(order?: (held: Uint8Array[]) => Uint8Array[]): Promise<void> {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const message of order === undefined ? held : order(held)) {
      await this.#inner.send(message);
    }
  }
}

/**
 * Creates a linked loopback pair whose ends log and can hold their sends.
 *
 * @returns `[a, b]`: `a` talks to `b`.
 *
 * @example Usage
 * ```ts
 * import { createTestLoopbackPair } from "./test_loopback.ts";
 * const [a, b] = createTestLoopbackPair();
 * a.hold();
 * await a.send(new Uint8Array([1]));
 * await a.send(new Uint8Array([2]));
 * await a.release((held) => held.reverse());
 * console.log((await b.receive())[0]); // 2
 * a.close();
 * ```
 */
export function createTestLoopbackPair(): [TestConnection, TestConnection] {
  const [a, b] = createLoopbackPair();
  return [new TestConnection(a), new TestConnection(b)];
}
