/**
 * One ordered send queue per peer: frames reach `Connection.send` one at a
 * time, each after the previous send resolved, so an encrypting connection
 * consumes its nonce counter in send order (the receiver expects
 * consecutive counters).
 *
 * @module
 */

import type { Connection } from "./connection.ts";

interface QueuedSend {
  bytes: Uint8Array;
  resolve(): void;
  reject(error: unknown): void;
}

/** Serialises sends on one connection. */
export class SendQueue {
  #connection: Connection;
  #items: (QueuedSend | undefined)[] = [];
  #head = 0;
  /** True while a send is with the connection and has not settled yet. */
  #busy = false;
  #next = (): void => this.#sendNext();

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  /** Queues `bytes`; resolves once the connection accepted them, rejects with its error. */
  send(bytes: Uint8Array): Promise<void> {
    if (!this.#busy) {
      // Nothing in flight: hand the bytes over now (the usual case, no queue entry needed).
      this.#busy = true;
      const sent = this.#handOver(bytes);
      sent.then(this.#next, this.#next);
      return sent;
    }
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#items.push({ bytes, resolve, reject });
    return promise;
  }

  #handOver(bytes: Uint8Array): Promise<void> {
    try {
      return this.#connection.send(bytes);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The previous send settled: send the next queued frame, or go idle. */
  #sendNext(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
      this.#busy = false;
      return;
    }
    const item = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined;
    this.#handOver(item.bytes).then(
      () => {
        item.resolve();
        this.#sendNext();
      },
      (error) => {
        item.reject(error);
        this.#sendNext();
      },
    );
  }
}
