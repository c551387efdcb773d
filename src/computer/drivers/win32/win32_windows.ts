/**
 * Windows' top-level windows as the protocol's `Window`: the shim lists them with the same JSON
 * fields as on X11 (`instance` is the executable's file name, `class` the window class, ids are
 * HWNDs), in virtual-screen pixels; here they move to desktop coordinates (top-left 0,0) and get
 * the app name people know (the executable without `.exe`).
 *
 * @module
 */

import type { Rect } from "../../types/geometry.ts";
import type { Window } from "../../types/window.ts";
import type { X11WindowInfo } from "../x11/x11_windows.ts";

/** The name of the app a window belongs to: `notepad` for `notepad.exe`, else the class. */
export function win32AppName(info: Pick<X11WindowInfo, "instance" | "class">): string {
  const exe = info.instance.replace(/\.exe$/i, "");
  return exe.length > 0 ? exe : info.class;
}

/**
 * Converts a shim window to the wire's `Window`.
 *
 * @param info The window as `od_windows_list` gives it.
 * @param origin The virtual screen's top-left corner (`od_display_origin`).
 */
export function toWin32Window(info: X11WindowInfo, origin: { x: number; y: number }): Window {
  return {
    id: String(info.id),
    title: info.title,
    app_name: win32AppName(info),
    pid: info.pid > 0 ? info.pid : null,
    bounds: {
      x: info.x - origin.x,
      y: info.y - origin.y,
      width: info.width,
      height: info.height,
    },
    focused: info.focused,
    minimized: info.minimized,
    // Windows' own virtual desktops are not reported by the shim.
    workspace: null,
  };
}

/** Desktop-coordinate bounds to the virtual-screen ones `od_windows_move` takes. */
export function toVirtualScreen(bounds: Rect, origin: { x: number; y: number }): Rect {
  return {
    x: bounds.x + origin.x,
    y: bounds.y + origin.y,
    width: bounds.width,
    height: bounds.height,
  };
}
