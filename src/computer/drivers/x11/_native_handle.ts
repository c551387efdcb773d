/**
 * `NativeHandle`: the life of one opaque shim handle that calls may use from
 * worker threads (nonblocking FFI): the pointer while it is open, the calls
 * still running on it, and a close that waits for them before releasing it.
 *
 * @module
 */

import { NATIVE_STATUS } from "./ffi.ts";
import { NativeError } from "./native_error.ts";

/** One open handle and the calls running on it. */
export class NativeHandle {
  #pointer: Deno.PointerObject | null;
  #busy = new Set<Promise<unknown>>();
  #closedMessage: string;
  #release: (pointer: Deno.PointerObject) => Promise<unknown> | unknown;

  /**
   * @param pointer The open handle.
   * @param closedMessage The error message of a call after close ("The clipboard is closed").
   * @param release Frees the handle (`od_<object>_close`).
   */
  constructor(
    pointer: Deno.PointerObject,
    closedMessage: string,
    release: (pointer: Deno.PointerObject) => Promise<unknown> | unknown,
  ) {
    this.#pointer = pointer;
    this.#closedMessage = closedMessage;
    this.#release = release;
  }

  /** The pointer. @throws {NativeError} `OD_ERR_STATE` once closed. */
  get pointer(): Deno.PointerObject {
    if (this.#pointer === null) {
      throw new NativeError(NATIVE_STATUS.OD_ERR_STATE, this.#closedMessage);
    }
    return this.#pointer;
  }

  /** Counts `call` as running on the handle until it settles; returns it. */
  track<T>(call: Promise<T>): Promise<T> {
    this.#busy.add(call);
    const done = () => this.#busy.delete(call);
    call.then(done, done);
    return call;
  }

  /** Waits for the running calls, then releases the handle. Idempotent. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#busy]);
    if (this.#pointer === null) return;
    const pointer = this.#pointer;
    this.#pointer = null;
    await this.#release(pointer);
  }
}
