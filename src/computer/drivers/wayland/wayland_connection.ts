/**
 * `WaylandConnection`: one `od_wayland` handle (a connection to the
 * compositor plus the shim's event thread) with typed calls. Every call is
 * thread-safe in the shim; calls still running when `close()` is called are
 * awaited before the handle is freed.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { NativeHandle } from "../x11/_native_handle.ts";
import { NativeError } from "../x11/native_error.ts";
import { cString } from "../x11/_native_util.ts";
import { decodeJson, readGrowing } from "../x11/_native_buffers.ts";
import {
  loadWayland,
  WAYLAND_FEATURE,
  WAYLAND_OUTPUT_SIZE,
  WAYLAND_STATUS,
  type WaylandLibrary,
} from "./ffi.ts";
import { check, lastError, WaylandError } from "./wayland_error.ts";
import { WaylandStream } from "./wayland_stream_handle.ts";

/** One output (monitor) of the compositor's layout. */
export interface WaylandOutput {
  /** Logical position and size in the layout. */
  x: number;
  /** Top. */
  y: number;
  /** Logical width. */
  width: number;
  /** Logical height. */
  height: number;
  /** Integer scale: buffer pixels per logical pixel. */
  scale: number;
  /** Connector name ("HEADLESS-1"). */
  name: string;
}

/** One toplevel window as the foreign-toplevel protocol describes it. */
export interface WaylandToplevel {
  /** The shim's id, stable while the connection lives. */
  id: number;
  /** Title. */
  title: string;
  /** Application id (the Wayland counterpart of WM_CLASS). */
  app_id: string;
  /** Focused. */
  activated: boolean;
  /** Minimized. */
  minimized: boolean;
  /** Maximized. */
  maximized: boolean;
  /** Fullscreen. */
  fullscreen: boolean;
}

const decoder = new TextDecoder();

/** A connection to a Wayland compositor through the shim. */
export class WaylandConnection {
  /** The library opened with the Wayland table. */
  readonly lib: WaylandLibrary;
  /** OD_WAYLAND_FEATURE_* bits: the protocols the compositor offers. */
  readonly features: number;
  #handle: NativeHandle;
  #streams = new Set<WaylandStream>();

  private constructor(lib: WaylandLibrary, pointer: Deno.PointerObject, features: number) {
    this.lib = lib;
    this.features = features;
    this.#handle = new NativeHandle(
      pointer,
      "The Wayland connection is closed",
      async (h) => {
        // Streams belong to the connection: each is closed before it.
        for (const stream of [...this.#streams]) await stream.close();
        await lib.symbols.od_wayland_display_close(h);
      },
    );
  }

  /**
   * Connects to `display` (a socket name or absolute path; "" = $WAYLAND_DISPLAY).
   *
   * @throws {WaylandError} When no compositor answers there.
   */
  static async open(display: string): Promise<WaylandConnection> {
    const lib = loadWayland();
    const out = new BigUint64Array(1);
    const status = await lib.symbols.od_wayland_display_open(cString(display), out);
    check(lib, status, `connect to the Wayland compositor '${display}'`);
    const pointer = Deno.UnsafePointer.create(out[0] ?? 0n);
    if (pointer === null) throw new Error("The shim returned no Wayland handle");
    const flags = new Uint32Array(1);
    lib.symbols.od_wayland_display_features(pointer, flags);
    return new WaylandConnection(lib, pointer, flags[0] ?? 0);
  }

  /** The open handle. */
  get pointer(): Deno.PointerObject {
    return this.#handle.pointer;
  }

  /** True when the compositor offers the protocol of `feature`. */
  has(feature: keyof typeof WAYLAND_FEATURE): boolean {
    return (this.features & WAYLAND_FEATURE[feature]) !== 0;
  }

  /** Runs a call that may wait on a worker thread, counted for `close()`. */
  track<T>(call: Promise<T>): Promise<T> {
    return this.#handle.track(call);
  }

  /** The outputs in the compositor's order. */
  outputs(): WaylandOutput[] {
    let cap = 8;
    for (;;) {
      const buf = new Uint8Array(cap * WAYLAND_OUTPUT_SIZE);
      const count = new Uint32Array(1);
      const status = this.lib.symbols.od_wayland_display_outputs(this.pointer, buf, cap, count);
      if (status === 0x03 && (count[0] ?? 0) > cap) {
        cap = count[0]!;
        continue;
      }
      check(this.lib, status, "list the outputs", true);
      const view = new DataView(buf.buffer);
      return Array.from({ length: count[0] ?? 0 }, (_, i) => {
        const o = i * WAYLAND_OUTPUT_SIZE;
        const name = buf.subarray(o + 40, o + 64);
        const end = name.indexOf(0);
        return {
          x: view.getInt32(o, true),
          y: view.getInt32(o + 4, true),
          width: view.getUint32(o + 8, true),
          height: view.getUint32(o + 12, true),
          scale: Math.max(1, view.getUint32(o + 32, true)),
          name: decoder.decode(end < 0 ? name : name.subarray(0, end)),
        };
      });
    }
  }

  /** The bounding box of all outputs, in logical pixels. */
  bounds(): { x: number; y: number; width: number; height: number } {
    const x = new Int32Array(1), y = new Int32Array(1);
    const w = new Uint32Array(1), h = new Uint32Array(1);
    check(
      this.lib,
      this.lib.symbols.od_wayland_display_bounds(this.pointer, x, y, w, h),
      "read the layout",
      true,
    );
    return { x: x[0]!, y: y[0]!, width: w[0]!, height: h[0]! };
  }

  /** Captures a logical area of the layout into the `od_frame` `frame`. */
  async grab(
    frame: Deno.PointerObject,
    area: { x: number; y: number; width: number; height: number },
    cursor: boolean,
  ): Promise<void> {
    const status = await this.track(this.lib.symbols.od_wayland_capture_grab(
      this.pointer,
      frame,
      area.x,
      area.y,
      area.width,
      area.height,
      cursor ? 1 : 0,
    ));
    if (status === 0x01 || status === 0x04) { // OD_ERR_INVALID_ARGUMENT, OD_ERR_UNSUPPORTED
      const why = lastError(this.lib, this.pointer);
      throw new RemoteError(
        "invalid_argument",
        why.length > 0
          ? why
          : `Cannot capture (${area.x}, ${area.y}) ${area.width}x${area.height}: ` +
            "the area lies outside the outputs or spans outputs of different scales",
      );
    }
    check(this.lib, status, "capture the screen", this.pointer);
  }

  /** Rethrows a failed worker-thread call's error with the sentence kept on the handle. */
  #explained(error: unknown): never {
    if (!(error instanceof NativeError)) throw error;
    const why = lastError(this.lib, this.pointer);
    throw why.length > 0 ? new WaylandError(error.status, why, { cause: error }) : error;
  }

  /** Moves the virtual pointer to a logical point of the layout. */
  pointerMove(x: number, y: number): void {
    check(
      this.lib,
      this.lib.symbols.od_wayland_input_pointer_move(this.pointer, x, y),
      "move the pointer",
      true,
    );
  }

  /** Presses or releases an X-numbered pointer button (4-7 are the wheel). */
  pointerButton(button: number, down: boolean): void {
    check(
      this.lib,
      this.lib.symbols.od_wayland_input_pointer_button(this.pointer, button, down ? 1 : 0),
      "press a pointer button",
      true,
    );
  }

  /** Where the shim last moved the pointer, or null before the first move. */
  cursorPosition(): { x: number; y: number } | null {
    const x = new Int32Array(1), y = new Int32Array(1);
    const status = this.lib.symbols.od_wayland_cursor_position(this.pointer, x, y);
    if (status === 0x07) return null; // OD_ERR_STATE: not moved yet
    check(this.lib, status, "read the pointer position", true);
    return { x: x[0]!, y: y[0]! };
  }

  /** Presses or releases the key of an X keysym. */
  async key(keysym: number, down: boolean): Promise<void> {
    const status = await this.track(
      this.lib.symbols.od_wayland_input_key(this.pointer, keysym, down ? 1 : 0),
    );
    check(this.lib, status, `press the key of keysym 0x${keysym.toString(16)}`, this.pointer);
  }

  /** Types code points; returns how many were typed. */
  async text(codepoints: Uint32Array<ArrayBuffer>, intervalUs: number): Promise<number> {
    const typed = new Uint32Array(1);
    const status = await this.track(this.lib.symbols.od_wayland_input_text(
      this.pointer,
      codepoints,
      codepoints.length,
      intervalUs,
      typed,
    ));
    check(this.lib, status, "type the text", this.pointer);
    return typed[0] ?? 0;
  }

  /** Uploads the plain keymap again (after characters on spare keycodes). */
  async restoreKeymap(): Promise<void> {
    const status = await this.track(this.lib.symbols.od_wayland_input_keymap_restore(this.pointer));
    check(this.lib, status, "restore the keymap", this.pointer);
  }

  /** X-compatible modifier masks of the virtual keyboard. */
  modifierState(): { mods: number; locked: number } {
    const mods = new Uint32Array(1), locked = new Uint32Array(1);
    check(
      this.lib,
      this.lib.symbols.od_wayland_input_modifier_state(this.pointer, mods, locked),
      "read the modifiers",
      true,
    );
    return { mods: mods[0]!, locked: locked[0]! };
  }

  /** The toplevel windows. */
  async toplevels(): Promise<WaylandToplevel[]> {
    const h = this.pointer;
    const bytes = await this.track(readGrowing(
      (buf, cap, len) => this.lib.symbols.od_wayland_windows_list(h, buf, cap, len),
      "list the windows",
    )).catch((error) => this.#explained(error));
    return decodeJson<WaylandToplevel[]>(bytes);
  }

  /** The activated toplevel's id, 0 for none. */
  activeToplevel(): number {
    const id = new Uint32Array(1);
    check(
      this.lib,
      this.lib.symbols.od_wayland_windows_active(this.pointer, id),
      "read the focused window",
      true,
    );
    return id[0]!;
  }

  /** Activates a toplevel and waits until the compositor reports it active. */
  async focus(id: number, timeoutMs: number): Promise<void> {
    const status = await this.track(
      this.lib.symbols.od_wayland_windows_focus(this.pointer, id, timeoutMs),
    );
    check(this.lib, status, `focus window ${id}`, this.pointer);
  }

  /** Asks a toplevel to close. */
  async requestClose(id: number): Promise<void> {
    const status = await this.track(
      this.lib.symbols.od_wayland_windows_request_close(this.pointer, id),
    );
    check(this.lib, status, `close window ${id}`, this.pointer);
  }

  /** One sway IPC request; its JSON reply. */
  async sway<T>(type: number, payload: string): Promise<T> {
    const h = this.pointer;
    const body = cString(payload);
    const bytes = await this.track(readGrowing(
      (buf, cap, len) => this.lib.symbols.od_wayland_sway_request(h, type, body, buf, cap, len),
      "ask sway",
      256 * 1024,
    )).catch((error) => this.#explained(error));
    return decodeJson<T>(bytes);
  }

  /** Takes the clipboard with packed entries ({u32 len, mime, u32 len, data}*). */
  async clipboardWrite(packed: Uint8Array<ArrayBuffer>, timeoutMs: number): Promise<void> {
    const status = await this.track(
      this.lib.symbols.od_wayland_clipboard_write(this.pointer, packed, packed.length, timeoutMs),
    );
    check(this.lib, status, "take the clipboard", this.pointer);
  }

  /** The MIME types the clipboard's owner offers ([] when it is empty). */
  clipboardTargets(): string[] {
    const buf = new Uint8Array(16 * 1024);
    const len = new Uint32Array(1);
    const status = this.lib.symbols.od_wayland_clipboard_targets(
      this.pointer,
      buf,
      buf.length,
      len,
    );
    if (status === WAYLAND_STATUS.OD_ERR_WAYLAND_NO_SELECTION) return [];
    check(this.lib, status, "read the clipboard types", true);
    return decoder.decode(buf.subarray(0, len[0])).split("\n").filter((t) => t.length > 0);
  }

  /** Reads the clipboard as `mime`; null when it is empty or lacks that type. */
  async clipboardRead(mime: string, timeoutMs: number): Promise<Uint8Array | null> {
    const len = new Uint32Array(1);
    const status = await this.track(
      this.lib.symbols.od_wayland_clipboard_read(this.pointer, cString(mime), timeoutMs, len),
    );
    if (status === WAYLAND_STATUS.OD_ERR_WAYLAND_NO_SELECTION) return null;
    check(this.lib, status, `read the clipboard as ${mime}`, this.pointer);
    const out = new Uint8Array(len[0] ?? 0);
    const got = new Uint32Array(1);
    check(
      this.lib,
      this.lib.symbols.od_wayland_clipboard_fetch(this.pointer, out, out.length, got),
      "copy the clipboard data",
      true,
    );
    return out.subarray(0, got[0] ?? 0);
  }

  /** Opens a damage stream of one output (closed with the connection at the latest). */
  async openStream(outputIndex: number, cursor: boolean): Promise<WaylandStream> {
    const out = new BigUint64Array(1);
    const status = await this.track(
      this.lib.symbols.od_wayland_stream_open(this.pointer, outputIndex, cursor ? 1 : 0, out),
    );
    check(this.lib, status, `open a capture stream of output ${outputIndex + 1}`, this.pointer);
    const pointer = Deno.UnsafePointer.create(out[0] ?? 0n);
    if (pointer === null) throw new Error("The shim returned no stream handle");
    const stream = new WaylandStream(this, pointer, () => this.#streams.delete(stream));
    this.#streams.add(stream);
    return stream;
  }

  /**
   * Releases held keys and buttons and disconnects, after running calls end;
   * streams still open are closed first. Idempotent.
   */
  close(): Promise<void> {
    return this.#handle.close();
  }
}
