/**
 * `X11Windows`: top-level windows through EWMH on its own X connection
 * (`od_windows_*` in the shim): list, active window, focus, move/resize and
 * polite close.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import type { Rect } from "../../types/geometry.ts";
import type { Window } from "../../types/window.ts";
import { loadNative, NATIVE_STATUS, type NativeLibrary } from "./ffi.ts";
import { NativeError } from "./native_error.ts";
import { cString, unwrap } from "./_native_util.ts";
import { decodeJson, openHandle, readGrowing } from "./_native_buffers.ts";

/** One window as the shim reports it (root coordinates of the client area). */
export interface X11WindowInfo {
  /** X window id of the client window. */
  id: number;
  title: string;
  /** WM_CLASS instance name. */
  instance: string;
  /** WM_CLASS class name. */
  class: string;
  /** _NET_WM_PID, 0 when unknown. */
  pid: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** _NET_FRAME_EXTENTS: left, right, top, bottom. */
  frame: [number, number, number, number];
  minimized: boolean;
  /** _NET_WM_DESKTOP, -1 when unset, 0xFFFFFFFF on all desktops. */
  desktop: number;
  focused: boolean;
}

/** Converts a shim window to the wire's `Window` (id = decimal X id). */
export function toWindow(info: X11WindowInfo): Window {
  return {
    id: String(info.id),
    title: info.title,
    app_name: info.class || info.instance,
    pid: info.pid > 0 ? info.pid : null,
    bounds: { x: info.x, y: info.y, width: info.width, height: info.height },
    focused: info.focused,
    minimized: info.minimized,
    workspace: info.desktop < 0 ? null : info.desktop === 0xFFFFFFFF ? "all" : String(info.desktop),
  };
}

/**
 * Parses a wire window id ("12345", also "0x3039") into an X id.
 *
 * @throws {RemoteError} `invalid_argument` when it is not a window id.
 */
export function parseWindowId(windowId: string): number {
  const id = /^0x[0-9a-f]+$/i.test(windowId) ? parseInt(windowId, 16) : Number(windowId);
  if (!Number.isInteger(id) || id <= 0 || id > 0xFFFFFFFF) {
    throw new RemoteError(
      "invalid_argument",
      `Invalid window id '${windowId}': use an id from windows.list`,
    );
  }
  return id;
}

function notFound(windowId: number | string): RemoteError {
  return new RemoteError(
    "not_found",
    `Window '${windowId}' does not exist (any more): list the windows again`,
  );
}

/**
 * Windows of one X display.
 *
 * @example Usage
 * ```ts ignore
 * import { X11Windows } from "./x11_windows.ts";
 * const windows = await X11Windows.open(":99");
 * console.log(await windows.list());
 * await windows.close();
 * ```
 */
export class X11Windows {
  #lib: NativeLibrary;
  #handle: Deno.PointerObject | null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(lib: NativeLibrary, handle: Deno.PointerObject) {
    this.#lib = lib;
    this.#handle = handle;
  }

  /**
   * Connects to the X display (`""` = `$DISPLAY`).
   *
   * @throws {NativeError} When the display cannot be opened.
   */
  static async open(display = "", lib: NativeLibrary = loadNative()): Promise<X11Windows> {
    const handle = await openHandle(
      (out) => lib.symbols.od_windows_open(cString(display), out),
      `open the X display '${display || Deno.env.get("DISPLAY") || ""}' for windows`,
    );
    return new X11Windows(lib, handle);
  }

  #h(): Deno.PointerObject {
    if (this.#handle === null) throw new NativeError(NATIVE_STATUS.OD_ERR_STATE, "Windows closed");
    return this.#handle;
  }

  /** Serialises calls: one handle is not thread-safe in the shim. */
  #run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => {});
    return next;
  }

  /** All top-level client windows (in _NET_CLIENT_LIST order). */
  list(): Promise<X11WindowInfo[]> {
    return this.#run(async () => {
      const h = this.#h();
      const bytes = await readGrowing(
        (buf, cap, len) => this.#lib.symbols.od_windows_list(h, buf, cap, len),
        "list the windows",
      );
      return decodeJson<X11WindowInfo[]>(bytes);
    });
  }

  /** The active window's id, or 0 when none. */
  active(): Promise<number> {
    return this.#run(async () => {
      const out = new Uint32Array(1);
      unwrap(await this.#lib.symbols.od_windows_active(this.#h(), out), "read the active window");
      return out[0] ?? 0;
    });
  }

  #act(id: number, action: string, call: (h: Deno.PointerObject) => Promise<number>) {
    return this.#run(async () => {
      const status = await call(this.#h());
      if (status === NATIVE_STATUS.OD_ERR_NOT_FOUND) throw notFound(id);
      unwrap(status, action);
    });
  }

  /**
   * Activates a window (switches desktop, de-iconifies, raises, focuses).
   *
   * @throws {RemoteError} `not_found` when the window does not exist.
   */
  focus(id: number): Promise<void> {
    return this.#act(id, "focus the window", (h) => this.#lib.symbols.od_windows_focus(h, id));
  }

  /**
   * Moves/resizes the client area to `bounds` (root coordinates).
   *
   * @throws {RemoteError} `invalid_argument` for an empty size, `not_found` for no window.
   */
  move(id: number, bounds: Rect): Promise<void> {
    const w = Math.round(bounds.width), h = Math.round(bounds.height);
    if (!(w >= 1 && h >= 1 && w <= 65535 && h <= 65535)) {
      return Promise.reject(
        new RemoteError(
          "invalid_argument",
          `Invalid window size ${bounds.width}x${bounds.height}: width and height must be 1-65535`,
        ),
      );
    }
    return this.#act(
      id,
      "move the window",
      (handle) =>
        this.#lib.symbols.od_windows_move(
          handle,
          id,
          Math.round(bounds.x),
          Math.round(bounds.y),
          w,
          h,
        ),
    );
  }

  /**
   * Asks the window to close (_NET_CLOSE_WINDOW / WM_DELETE_WINDOW).
   *
   * @throws {RemoteError} `not_found` when the window does not exist.
   */
  requestClose(id: number): Promise<void> {
    return this.#act(
      id,
      "close the window",
      (h) => this.#lib.symbols.od_windows_request_close(h, id),
    );
  }

  /** Closes the X connection once pending calls are done. Idempotent. */
  close(): Promise<void> {
    return this.#run(() => {
      if (this.#handle !== null) this.#lib.symbols.od_windows_close(this.#handle);
      this.#handle = null;
      return Promise.resolve();
    });
  }
}
