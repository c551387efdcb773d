/**
 * An in-memory, linked pair of connections for hermetic tests and benchmarks.
 *
 * @module
 */

import type { Connection, ConnectionState } from "./connection.ts";
import { ConnectionClosedError } from "./errors.ts";
import { copyBytes } from "./byte_slab.ts";

interface Waiter {
  resolve(message: Uint8Array): void;
  reject(error: ConnectionClosedError): void;
}

/** One end of a loopback pair. */
class LoopbackConnection implements Connection {
  readonly remoteAddr: string;
  readonly closed: Promise<ConnectionClosedError>;
  #other: LoopbackConnection | undefined;
  #inbox: Uint8Array[] = [];
  #inboxHead = 0;
  #waiters: Waiter[] = [];
  #closeError: ConnectionClosedError | undefined;
  #resolveClosed: (error: ConnectionClosedError) => void;

  constructor(remoteAddr: string) {
    this.remoteAddr = remoteAddr;
    const { promise, resolve } = Promise.withResolvers<ConnectionClosedError>();
    this.closed = promise;
    this.#resolveClosed = resolve;
  }

  link(other: LoopbackConnection): void {
    this.#other = other;
  }

  get state(): ConnectionState {
    return this.#closeError === undefined ? "open" : "closed";
  }

  send(message: Uint8Array): Promise<void> {
    if (this.#closeError !== undefined) {
      return Promise.reject(
        new ConnectionClosedError("Cannot send: the connection is closed", {
          cause: this.#closeError,
        }),
      );
    }
    if (!(message instanceof Uint8Array)) {
      return Promise.reject(new TypeError("Cannot send: expected a Uint8Array"));
    }
    // Copy like a real transport: the sender may reuse its buffer, the receiver owns what it gets.
    this.#other!.deliver(copyBytes(message, 0, message.length));
    return Promise.resolve();
  }

  /** Hands a message to this end's reader. */
  deliver(message: Uint8Array): void {
    if (this.#closeError !== undefined) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.resolve(message);
    else this.#inbox.push(message);
  }

  receive(): Promise<Uint8Array> {
    if (this.#inboxHead < this.#inbox.length) {
      const message = this.#inbox[this.#inboxHead]!;
      this.#inbox[this.#inboxHead++] = EMPTY;
      if (this.#inboxHead === this.#inbox.length) {
        this.#inbox = [];
        this.#inboxHead = 0;
      } else if (this.#inboxHead > 1024 && this.#inboxHead * 2 > this.#inbox.length) {
        this.#inbox = this.#inbox.slice(this.#inboxHead);
        this.#inboxHead = 0;
      }
      return Promise.resolve(message);
    }
    if (this.#closeError !== undefined) return Promise.reject(this.#closeError);
    const { promise, resolve, reject } = Promise.withResolvers<Uint8Array>();
    this.#waiters.push({ resolve, reject });
    return promise;
  }

  close(reason?: string): void {
    if (this.#closeError !== undefined) return;
    this.shutdown(
      new ConnectionClosedError(
        reason === undefined ? "Connection closed" : `Connection closed: ${reason}`,
      ),
    );
    this.#other!.shutdown(
      new ConnectionClosedError(
        reason === undefined ? "Connection closed by peer" : `Connection closed by peer: ${reason}`,
      ),
    );
  }

  /** Closes this end only: queued messages stay readable, waiting readers fail. */
  shutdown(error: ConnectionClosedError): void {
    if (this.#closeError !== undefined) return;
    this.#closeError = error;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
    this.#resolveClosed(error);
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Creates two linked in-memory connections: what one end sends, the other
 * receives, in order. Messages queue until the reader reads. Sent bytes are
 * copied, so the sender may reuse its buffer. Closing either end closes
 * both; `receive()` then still returns the messages already queued and
 * afterwards rejects with {@linkcode ConnectionClosedError}.
 *
 * @returns `[a, b]`: `a` talks to `b`.
 *
 * @example Usage
 * ```ts
 * import { createLoopbackPair } from "./loopback.ts";
 * const [a, b] = createLoopbackPair();
 * await a.send(new Uint8Array([1, 2, 3]));
 * console.log(await b.receive()); // Uint8Array(3) [ 1, 2, 3 ]
 * a.close();
 * ```
 */
export function createLoopbackPair(): [Connection, Connection] {
  const a = new LoopbackConnection("loopback:b");
  const b = new LoopbackConnection("loopback:a");
  a.link(b);
  b.link(a);
  return [a, b];
}
