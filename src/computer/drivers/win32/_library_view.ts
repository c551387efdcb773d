/**
 * The seam between `opendesk.dll` and the shim wrappers the X11 driver already has (display,
 * frames, encoders, windows, clipboard, accessibility): the same functions with the same C
 * contract, with two Windows differences made invisible to them.
 *
 * - Coordinates. The Windows desktop is the virtual screen, whose top-left corner
 *   (`od_display_origin`) is negative when a monitor sits left of or above the primary one. The
 *   protocol's desktop starts at 0,0, so every coordinate going in (capture area, pixel, pointer
 *   move) gets the origin added and every coordinate coming out (pointer position, monitor
 *   rectangles) has it subtracted. Windows and accessibility bounds are shifted by the driver.
 * - Feature bits. The capture flow asks `OD_FEATURE_XFIXES` whether the pointer can be drawn into
 *   an image; Windows always can (GetCursorInfo + DrawIconEx), so the view sets that bit.
 * - Status codes. The wrappers recognise "nothing in that format" and "timed out" by the X11
 *   codes; the Windows codes with the same meaning are translated for exactly those calls.
 *
 * @module
 */

import {
  NATIVE_FEATURE,
  NATIVE_MONITOR_SIZE,
  NATIVE_STATUS,
  type NativeLibrary,
} from "../x11/ffi.ts";
import type { Win32Library } from "./ffi_symbols.ts";

type Symbols = Win32Library["symbols"];

/** The virtual screen's top-left corner for a display handle, in physical pixels. */
export function displayOrigin(
  symbols: Pick<Symbols, "od_display_origin">,
  display: Deno.PointerValue,
): { x: number; y: number } {
  const x = new Int32Array(1);
  const y = new Int32Array(1);
  const status = symbols.od_display_origin(display, x, y);
  if (status !== NATIVE_STATUS.OD_OK) return { x: 0, y: 0 };
  return { x: x[0] ?? 0, y: y[0] ?? 0 };
}

/** `from` becomes `to` for one call's status. */
function translate(status: number, from: number, to: number): number {
  return status === from ? to : status;
}

/**
 * The DLL seen as the shared wrappers' `NativeLibrary`.
 *
 * @param lib The opened `opendesk.dll` (or the tests' fake of it).
 * @returns A library object whose symbols follow the conventions above; the X11-only input event
 * reader is absent from it (the Windows driver never calls it).
 */
export function win32LibraryView(lib: Pick<Win32Library, "symbols">): NativeLibrary {
  const s = lib.symbols;
  const view = {
    ...s,
    od_display_features: (d, flags) => {
      const status = s.od_display_features(d, flags);
      const bits = flags as Uint32Array;
      if (status === NATIVE_STATUS.OD_OK) bits[0] = (bits[0] ?? 0) | NATIVE_FEATURE.XFIXES;
      return status;
    },
    od_capture_grab: (d, f, x, y, w, h, flags) => {
      const o = displayOrigin(s, d);
      return s.od_capture_grab(d, f, x + o.x, y + o.y, w, h, flags);
    },
    od_display_pixel: (d, x, y, rgb) => {
      const o = displayOrigin(s, d);
      return s.od_display_pixel(d, x + o.x, y + o.y, rgb);
    },
    od_input_pointer_move: (d, x, y) => {
      const o = displayOrigin(s, d);
      return s.od_input_pointer_move(d, x + o.x, y + o.y);
    },
    od_cursor_position: (d, x, y) => {
      const status = s.od_cursor_position(d, x, y);
      if (status === NATIVE_STATUS.OD_OK) {
        const o = displayOrigin(s, d);
        const xs = x as Int32Array, ys = y as Int32Array;
        xs[0] = (xs[0] ?? 0) - o.x;
        ys[0] = (ys[0] ?? 0) - o.y;
      }
      return status;
    },
    od_display_monitors: (d, out, cap, count) => {
      const status = s.od_display_monitors(d, out, cap, count);
      if (status === NATIVE_STATUS.OD_OK && out !== null) {
        const o = displayOrigin(s, d);
        const bytes = out as Uint8Array;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const n = Math.min((count as Uint32Array)[0] ?? 0, cap);
        for (let i = 0; i < n; i++) {
          const at = i * NATIVE_MONITOR_SIZE;
          view.setInt32(at, view.getInt32(at, true) - o.x, true);
          view.setInt32(at + 4, view.getInt32(at + 4, true) - o.y, true);
        }
      }
      return status;
    },
    od_clipboard_read: async (h, target, timeoutMs, len) => {
      const status = await s.od_clipboard_read(h, target, timeoutMs, len);
      if (status === NATIVE_STATUS.OD_ERR_WIN_NO_DATA) return NATIVE_STATUS.OD_ERR_X11_NO_SELECTION;
      return translate(
        status,
        NATIVE_STATUS.OD_ERR_WIN_CLIPBOARD_BUSY,
        NATIVE_STATUS.OD_ERR_X11_TIMEOUT,
      );
    },
    od_a11y_tree: async (...args) =>
      translate(
        await s.od_a11y_tree(...args),
        NATIVE_STATUS.OD_ERR_WIN_TIMEOUT,
        NATIVE_STATUS.OD_ERR_A11Y_TIMEOUT,
      ),
    od_a11y_do_action: async (...args) =>
      translate(
        await s.od_a11y_do_action(...args),
        NATIVE_STATUS.OD_ERR_WIN_TIMEOUT,
        NATIVE_STATUS.OD_ERR_A11Y_TIMEOUT,
      ),
    od_a11y_set_text: async (...args) =>
      translate(
        await s.od_a11y_set_text(...args),
        NATIVE_STATUS.OD_ERR_WIN_TIMEOUT,
        NATIVE_STATUS.OD_ERR_A11Y_TIMEOUT,
      ),
  } satisfies Partial<Symbols>;
  return { symbols: view, close: () => {} } as unknown as NativeLibrary;
}
