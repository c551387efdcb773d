/**
 * One ordered send queue per peer: frames reach `Connection.send` one at a
 * time, each after the previous send resolved, so an encrypting connection
 * consumes its nonce counter in send order (protocol-v1 §7.8).
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
  #items: QueuedSend[] = [];
  #head = 0;
  #running = false;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  /** Queues `bytes`; resolves once the connection accepted them, rejects with its error. */
  send(bytes: Uint8Array): Promise<void> {
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#items.push({ bytes, resolve, reject });
    if (!this.#running) this.#pump();
    return promise;
  }

  async #pump(): Promise<void> {
    this.#running = true;
    try {
      while (this.#head < this.#items.length) {
        const item = this.#items[this.#head]!;
        this.#items[this.#head++] = undefined as unknown as QueuedSend;
        try {
          await this.#connection.send(item.bytes);
          item.resolve();
        } catch (error) {
          item.reject(error);
        }
      }
    } finally {
      this.#items = [];
      this.#head = 0;
      this.#running = false;
    }
  }
}
