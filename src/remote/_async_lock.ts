/**
 * A minimal async mutex: the server's accept lock, taken once a
 * client's HELLO has decrypted.
 *
 * @module
 */

/** Runs critical sections one at a time, in arrival order. */
export class AsyncLock {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `fn` once every earlier section has finished; resolves with its result. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.then(() => {}, () => {});
    return result;
  }
}
