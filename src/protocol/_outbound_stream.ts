/**
 * The caller's side of one stream (`Peer.stream()`): a bounded queue between
 * the receive loop and the consumer, with an overflow policy that bounds memory (a
 * slow consumer fails or thins out only its own stream, never the session).
 *
 * @module
 */

import { AbortError, StreamOverflowError } from "./errors.ts";
import type { WireMap } from "./handler.ts";
import type { PeerStream, StreamOverflow } from "./peer_options.ts";

/** What the stream needs from its peer. */
export interface StreamHost {
  /** Registers the stream and sends its REQ; throws when the peer cannot. */
  open(stream: OutboundStream): void;
  /** Unregisters the stream and, when `cancel` is set, sends CANCEL for it. */
  release(stream: OutboundStream, cancel: boolean): void;
}

interface Waiter {
  resolve(result: IteratorResult<WireMap, undefined>): void;
  reject(error: unknown): void;
}

const DONE: IteratorResult<WireMap, undefined> = Object.freeze({ done: true, value: undefined });

/** An async iterator over a stream's items. */
export class OutboundStream implements PeerStream {
  readonly method: string;
  readonly params: WireMap;
  /** Set by the host when it registers the stream. */
  id = 0;
  /** Items dropped by the `drop-oldest` policy so far. */
  dropped = 0;
  #host: StreamHost;
  #queueSize: number;
  #overflow: StreamOverflow;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | undefined;
  #state: "idle" | "open" | "ended" | "done" = "idle";
  #queue: WireMap[] = [];
  #head = 0;
  #final: Error | undefined;
  #waiter: Waiter | undefined;

  constructor(
    host: StreamHost,
    method: string,
    params: WireMap,
    queueSize: number,
    overflow: StreamOverflow,
    signal: AbortSignal | undefined,
  ) {
    this.#host = host;
    this.method = method;
    this.params = params;
    this.#queueSize = queueSize;
    this.#overflow = overflow;
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<WireMap, undefined>> {
    if (this.#state === "idle") {
      if (this.#signal?.aborted) return this.#abortNow();
      this.#state = "open";
      try {
        this.#host.open(this);
      } catch (error) {
        this.#state = "done";
        return Promise.reject(error);
      }
      if (this.#signal !== undefined) {
        this.#onAbort = () => void this.#abortNow().catch(() => {});
        this.#signal.addEventListener("abort", this.#onAbort, { once: true });
      }
    }
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as unknown as WireMap;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#state === "ended") {
      this.#finish();
      const error = this.#final;
      this.#final = undefined;
      return error === undefined ? Promise.resolve(DONE) : Promise.reject(error);
    }
    if (this.#state === "done") return Promise.resolve(DONE);
    const { promise, resolve, reject } = Promise.withResolvers<
      IteratorResult<WireMap, undefined>
    >();
    this.#waiter = { resolve, reject };
    return promise;
  }

  /** Stops the stream early; sends CANCEL when the peer has not ended it yet. */
  return(): Promise<IteratorResult<WireMap, undefined>> {
    if (this.#state === "open") this.#host.release(this, true);
    this.#finish();
    this.#queue = [];
    this.#head = 0;
    this.#final = undefined;
    this.#settleWaiter(DONE);
    return Promise.resolve(DONE);
  }

  /** Same as `return()`, then rethrows `error`. */
  async throw(error?: unknown): Promise<IteratorResult<WireMap, undefined>> {
    await this.return();
    throw error;
  }

  /** A data frame arrived. */
  pushItem(item: WireMap): void {
    if (this.#state !== "open") return;
    if (this.#waiter !== undefined) return this.#settleWaiter({ done: false, value: item });
    if (this.#queue.length - this.#head >= this.#queueSize) {
      if (this.#overflow === "drop-oldest") {
        this.#queue[this.#head++] = undefined as unknown as WireMap;
        this.dropped++;
        if (this.#head >= 64 && this.#head * 2 >= this.#queue.length) {
          this.#queue = this.#queue.slice(this.#head);
          this.#head = 0;
        }
      } else {
        this.#host.release(this, true);
        return this.end(
          new StreamOverflowError(
            `Stream '${this.method}' overflowed: the consumer fell more than ` +
              `${this.#queueSize} items behind, so the stream was cancelled`,
          ),
        );
      }
    }
    this.#queue.push(item);
  }

  /**
   * The stream ended: cleanly (`error` undefined, optional `lastItem`), with an
   * error frame, or because the session closed. Queued items are still delivered first.
   */
  end(error?: Error, lastItem?: WireMap): void {
    if (this.#state !== "open") return;
    if (lastItem !== undefined) this.#queue.push(lastItem);
    this.#state = "ended";
    this.#final = error;
    if (this.#waiter !== undefined && this.#head >= this.#queue.length) {
      this.#finish();
      this.#final = undefined;
      if (error === undefined) this.#settleWaiter(DONE);
      else this.#settleWaiter(undefined, error);
    } else if (this.#waiter !== undefined) {
      const value = this.#queue[this.#head++]!;
      this.#settleWaiter({ done: false, value });
    }
  }

  #abortNow(): Promise<IteratorResult<WireMap, undefined>> {
    const error = new AbortError(`Stream '${this.method}' was aborted`, {
      cause: this.#signal?.reason,
    });
    if (this.#state === "done") return Promise.resolve(DONE);
    if (this.#state === "idle") {
      this.#finish();
      return Promise.reject(error);
    }
    if (this.#state === "open") this.#host.release(this, true);
    this.#queue = [];
    this.#head = 0;
    // The consumer sees the AbortError on its pending or next `next()`, then the end.
    this.#state = "ended";
    this.#final = error;
    if (this.#waiter !== undefined) {
      this.#finish();
      this.#final = undefined;
      this.#settleWaiter(undefined, error);
    }
    return Promise.resolve(DONE);
  }

  #finish(): void {
    this.#state = "done";
    if (this.#onAbort !== undefined) {
      this.#signal?.removeEventListener("abort", this.#onAbort);
      this.#onAbort = undefined;
    }
  }

  #settleWaiter(result?: IteratorResult<WireMap, undefined>, error?: unknown): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    if (result !== undefined) waiter.resolve(result);
    else waiter.reject(error);
  }
}
