/**
 * `NativeDisplay`: a low-level wrapper of one `od_display` (an X connection
 * opened by the shim). Methods map one-to-one to shim calls, in desktop
 * pixels; `NativeComputer` builds the Computer contract on top.
 *
 * @module
 */

import { InvalidStateError } from "../../../protocol/errors.ts";
import { loadNative, NATIVE_MONITOR_SIZE, NATIVE_STATUS, type NativeLibrary } from "./ffi.ts";
import { cString, pointerFrom, readText, unwrap } from "./_native_util.ts";

/** One monitor as the shim reports it, in desktop pixels. */
export interface NativeMonitor {
  /** Left edge in the desktop. */
  x: number;
  /** Top edge in the desktop. */
  y: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Physical width in millimetres (0 when unknown). */
  widthMm: number;
  /** Physical height in millimetres (0 when unknown). */
  heightMm: number;
  /** Whether this is the primary monitor. */
  primary: boolean;
  /** Output or monitor name (e.g. `DP-1`, `screen`). */
  name: string;
}

const registry = new FinalizationRegistry<{ lib: NativeLibrary; handle: Deno.PointerObject }>(
  ({ lib, handle }) => {
    void lib.symbols.od_display_close(handle);
  },
);

/**
 * One open display connection.
 *
 * @example Usage
 * ```ts ignore
 * import { NativeDisplay } from "./native_display.ts";
 * await using display = await NativeDisplay.open(":99");
 * console.log(display.size());
 * ```
 */
export class NativeDisplay {
  #lib: NativeLibrary;
  #handle: Deno.PointerObject | null;
  #features: number;
  #inflight = new Set<Promise<unknown>>();

  private constructor(lib: NativeLibrary, handle: Deno.PointerObject) {
    this.#lib = lib;
    this.#handle = handle;
    const flags = new Uint32Array(1);
    unwrap(lib.symbols.od_display_features(handle, flags), "read the display's features");
    this.#features = flags[0] ?? 0;
    registry.register(this, { lib, handle }, this);
  }

  /**
   * Opens an X display.
   *
   * @param name Display name such as `:99`; `""` means `$DISPLAY`.
   * @returns The connection.
   * @throws {NativeError} When the display cannot be opened.
   */
  static async open(name = "", lib: NativeLibrary = loadNative()): Promise<NativeDisplay> {
    const out = new BigUint64Array(1);
    const status = await lib.symbols.od_display_open(cString(name), out);
    const shown = name || Deno.env.get("DISPLAY") || "";
    unwrap(
      status,
      `open the X display '${shown}'`,
      () =>
        `Cannot open the X display '${shown}': is an X server running there, and may this user ` +
        `connect to it (DISPLAY, XAUTHORITY)?`,
    );
    const handle = pointerFrom(out);
    if (handle === null) throw new InvalidStateError("The native shim returned no display handle");
    return new NativeDisplay(lib, handle);
  }

  /** The opened library (for wrappers that work with this display). */
  get lib(): NativeLibrary {
    return this.#lib;
  }

  /** The `od_display *` handle; throws once closed. */
  get handle(): Deno.PointerObject {
    if (this.#handle === null) throw new InvalidStateError("The display connection is closed");
    return this.#handle;
  }

  /**
   * Tracks a call running on a worker thread with this display, so that
   * {@linkcode close} waits for it before freeing the connection.
   */
  track<T>(call: Promise<T>): Promise<T> {
    this.#inflight.add(call);
    const forget = () => this.#inflight.delete(call);
    call.then(forget, forget);
    return call;
  }

  /** Whether {@linkcode close} was called. */
  get closed(): boolean {
    return this.#handle === null;
  }

  /** OD_FEATURE_* bits found at open (see `NATIVE_FEATURE`). */
  get features(): number {
    return this.#features;
  }

  /** The last failure on this display, as the shim worded it. */
  lastError(): string {
    if (this.#handle === null) return "";
    const handle = this.#handle;
    return readText((buf, cap, len) =>
      this.#lib.symbols.od_display_last_error(handle, buf, cap, len)
    );
  }

  /** Throws a `NativeError` for a failed status, with the display's error text. */
  check(status: number, action: string): void {
    unwrap(status, action, () => this.lastError());
  }

  /** Size of the whole desktop in pixels. */
  size(): { width: number; height: number } {
    const w = new Uint32Array(1);
    const h = new Uint32Array(1);
    this.check(this.#lib.symbols.od_display_size(this.handle, w, h), "read the screen size");
    return { width: w[0] ?? 0, height: h[0] ?? 0 };
  }

  /** The monitors (RandR), or the whole screen as one monitor without RandR. */
  monitors(): NativeMonitor[] {
    let cap = 8;
    for (;;) {
      const buf = new Uint8Array(cap * NATIVE_MONITOR_SIZE);
      const count = new Uint32Array(1);
      const status = this.#lib.symbols.od_display_monitors(this.handle, buf, cap, count);
      const n = count[0] ?? 0;
      if (status === NATIVE_STATUS.OD_ERR_BUFFER_TOO_SMALL && n > cap) {
        cap = n;
        continue;
      }
      this.check(status, "list the monitors");
      const view = new DataView(buf.buffer);
      const out: NativeMonitor[] = [];
      for (let i = 0; i < n; i++) {
        const o = i * NATIVE_MONITOR_SIZE;
        const nameBytes = buf.subarray(o + 32, o + 56);
        const end = nameBytes.indexOf(0);
        out.push({
          x: view.getInt32(o, true),
          y: view.getInt32(o + 4, true),
          width: view.getUint32(o + 8, true),
          height: view.getUint32(o + 12, true),
          widthMm: view.getUint32(o + 16, true),
          heightMm: view.getUint32(o + 20, true),
          primary: view.getUint32(o + 24, true) === 1,
          name: new TextDecoder().decode(nameBytes.subarray(0, end < 0 ? 24 : end)),
        });
      }
      return out;
    }
  }

  /** The colour of one desktop pixel as 0xRRGGBB. */
  pixel(x: number, y: number): number {
    const rgb = new Uint32Array(1);
    this.check(this.#lib.symbols.od_display_pixel(this.handle, x, y, rgb), "read a pixel");
    return rgb[0] ?? 0;
  }

  /** The pointer position in desktop pixels. */
  cursorPosition(): { x: number; y: number } {
    const x = new Int32Array(1);
    const y = new Int32Array(1);
    this.check(this.#lib.symbols.od_cursor_position(this.handle, x, y), "read the pointer");
    return { x: x[0] ?? 0, y: y[0] ?? 0 };
  }

  /** Moves the pointer (XTEST). */
  pointerMove(x: number, y: number): void {
    this.check(this.#lib.symbols.od_input_pointer_move(this.handle, x, y), "move the pointer");
  }

  /** Presses or releases an X pointer button (1-9). */
  pointerButton(button: number, down: boolean): void {
    this.check(
      this.#lib.symbols.od_input_pointer_button(this.handle, button, down ? 1 : 0),
      "press a pointer button",
    );
  }

  /** Presses or releases the key for an X keysym. */
  async key(keysym: number, down: boolean): Promise<void> {
    this.check(
      await this.track(this.#lib.symbols.od_input_key(this.handle, keysym, down ? 1 : 0)),
      "press a key",
    );
  }

  /** Types code points; returns how many were typed (throws when not all). */
  async text(codepoints: Uint32Array<ArrayBuffer>, intervalUs: number): Promise<number> {
    const typed = new Uint32Array(1);
    const status = await this.track(this.#lib.symbols.od_input_text(
      this.handle,
      codepoints,
      codepoints.length,
      intervalUs,
      typed,
    ));
    this.check(status, "type text");
    return typed[0] ?? 0;
  }

  /** Unmaps the spare keycodes used for typing, after `settleUs` since their last use. */
  async restoreKeymap(settleUs: number): Promise<void> {
    this.check(
      await this.track(this.#lib.symbols.od_input_keymap_restore(this.handle, settleUs)),
      "restore the keyboard mapping",
    );
  }

  /** Releases every key and button the shim still holds down. */
  async releaseAll(): Promise<void> {
    this.check(
      await this.track(this.#lib.symbols.od_input_release_all(this.handle)),
      "release held keys",
    );
  }

  /** The X modifier state: effective and locked modifier masks. */
  modifierState(): { mods: number; locked: number } {
    const mods = new Uint32Array(1);
    const locked = new Uint32Array(1);
    this.check(
      this.#lib.symbols.od_input_modifier_state(this.handle, mods, locked),
      "read the modifier state",
    );
    return { mods: mods[0] ?? 0, locked: locked[0] ?? 0 };
  }

  /** Closes the connection (releasing held keys and restoring the keymap). Idempotent. */
  async close(): Promise<void> {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    registry.unregister(this);
    await Promise.allSettled([...this.#inflight]);
    await this.#lib.symbols.od_display_close(handle);
  }

  /** Same as {@linkcode close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
