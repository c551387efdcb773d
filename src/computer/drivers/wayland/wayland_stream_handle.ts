/**
 * `WaylandStream`: one `od_wayland_stream`, an output's frames with damage,
 * opened by `WaylandConnection.openStream` and closed with the connection at
 * the latest (the shim requires every stream closed before its handle).
 *
 * @module
 */

import type { WaylandConnection } from "./wayland_connection.ts";
import { check } from "./wayland_error.ts";

/** One output's frames with damage (`od_wayland_stream`). */
export class WaylandStream {
  #conn: WaylandConnection;
  #pointer: Deno.PointerObject | null;
  #forget: () => void;
  #rects = new Uint32Array(4 * 16);
  #count = new Uint32Array(1);

  /** Wraps an open stream; `forget` removes it from its connection's list. */
  constructor(conn: WaylandConnection, pointer: Deno.PointerObject, forget: () => void) {
    this.#conn = conn;
    this.#pointer = pointer;
    this.#forget = forget;
  }

  /**
   * Waits up to `timeoutMs` for the output to change and copies it into the
   * `od_frame` `frame`; returns the number of changed rectangles (0: none).
   */
  async next(frame: Deno.PointerObject, timeoutMs: number): Promise<number> {
    if (this.#pointer === null) throw new Error("The capture stream is closed");
    const lib = this.#conn.lib;
    const status = await this.#conn.track(lib.symbols.od_wayland_stream_next(
      this.#pointer,
      frame,
      timeoutMs,
      this.#rects,
      this.#rects.length / 4,
      this.#count,
    ));
    check(lib, status, "read the next frame of the screen", this.#conn.pointer);
    return this.#count[0] ?? 0;
  }

  /** Ends the stream. Idempotent. */
  async close(): Promise<void> {
    const pointer = this.#pointer;
    if (pointer === null) return;
    this.#pointer = null;
    this.#forget();
    await this.#conn.lib.symbols.od_wayland_stream_close(pointer);
  }
}
