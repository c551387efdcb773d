/**
 * A small pool of `NativeFrame`s so concurrent captures never share one
 * frame (each keeps its own shared-memory segment between uses).
 *
 * @module
 */

import type { NativeLibrary } from "./ffi.ts";
import { NativeFrame } from "./native_frame.ts";

/** Idle frames kept for reuse; more concurrent captures get fresh frames. */
const MAX_IDLE = 2;

/** Lends frames; `destroy()` frees the idle ones and marks the pool closed. */
export class FramePool {
  #lib: NativeLibrary;
  #idle: NativeFrame[] = [];
  #closed = false;

  constructor(lib: NativeLibrary) {
    this.#lib = lib;
  }

  /** Runs `work` with a frame to itself, then takes the frame back. */
  async use<T>(work: (frame: NativeFrame) => Promise<T>): Promise<T> {
    const frame = this.#idle.pop() ?? new NativeFrame(this.#lib);
    try {
      return await work(frame);
    } finally {
      if (this.#closed || this.#idle.length >= MAX_IDLE) frame.destroy();
      else this.#idle.push(frame);
    }
  }

  /** Frees every idle frame; frames in use are freed when returned. */
  destroy(): void {
    this.#closed = true;
    for (const frame of this.#idle.splice(0)) frame.destroy();
  }
}
