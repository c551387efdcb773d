/**
 * The Wayland driver's FFI binding of the native shim: the `od_wayland_*`
 * functions of `native/include/opendesk.h`, their status codes and feature
 * bits. Images live in `od_frame`s created through the X11 driver's table
 * (the frame, encode and diff objects are shared by every driver; both tables
 * open the same library file, so a frame pointer is valid in either).
 *
 * Calls that wait for the compositor (capture, typing, focus, clipboard
 * transfers) run on a worker thread (`nonblocking: true`).
 *
 * @module
 */

import { compiledDrivers, openNativeLibrary } from "../native_library.ts";

/** The Wayland status codes (0x50-0x5F) by name; the common ones are in the X11 table. */
export const WAYLAND_STATUS = {
  OD_ERR_WAYLAND_CONNECT: 0x50,
  OD_ERR_WAYLAND_CONNECTION_LOST: 0x51,
  OD_ERR_WAYLAND_NO_PROTOCOL: 0x52,
  OD_ERR_WAYLAND_CAPTURE: 0x53,
  OD_ERR_WAYLAND_TIMEOUT: 0x54,
  OD_ERR_WAYLAND_NO_SELECTION: 0x55,
  OD_ERR_WAYLAND_KEYMAP: 0x56,
  OD_ERR_WAYLAND_SWAY_IPC: 0x57,
} as const;

/** OD_WAYLAND_FEATURE_* bits of `od_wayland_display_features`: protocols found at open. */
export const WAYLAND_FEATURE = {
  SCREENCOPY: 1 << 0,
  SCREENCOPY_DAMAGE: 1 << 1,
  XDG_OUTPUT: 1 << 2,
  VIRTUAL_POINTER: 1 << 3,
  VIRTUAL_KEYBOARD: 1 << 4,
  TOPLEVELS: 1 << 5,
  DATA_CONTROL: 1 << 6,
  SWAY_IPC: 1 << 7,
} as const;

/** The protocol interface each feature bit stands for (used in absence reasons). */
export const WAYLAND_PROTOCOL_NAMES: Readonly<Record<keyof typeof WAYLAND_FEATURE, string>> = {
  SCREENCOPY: "zwlr_screencopy_manager_v1",
  SCREENCOPY_DAMAGE: "zwlr_screencopy_manager_v1 version 2 (copy_with_damage)",
  XDG_OUTPUT: "zxdg_output_manager_v1",
  VIRTUAL_POINTER: "zwlr_virtual_pointer_manager_v1",
  VIRTUAL_KEYBOARD: "zwp_virtual_keyboard_manager_v1",
  TOPLEVELS: "zwlr_foreign_toplevel_manager_v1",
  DATA_CONTROL: "zwlr_data_control_manager_v1",
  SWAY_IPC: "sway's IPC socket",
};

/** Size in bytes of one `od_wayland_output` record. */
export const WAYLAND_OUTPUT_SIZE = 64;

/** sway IPC message types used by the driver. */
export const SWAY_MESSAGE = { RUN_COMMAND: 0, GET_TREE: 4 } as const;

/** The `od_wayland_*` functions (and `od_library_drivers`); parameters commented with C types. */
export const waylandSymbols = {
  od_library_drivers: {
    // char *buf, uint32_t cap, uint32_t *len
    parameters: ["buffer", "u32", "buffer"],
    result: "i32",
  },
  od_last_error: { parameters: ["buffer", "u32", "buffer"], result: "i32" },
  od_wayland_display_open: {
    // const char *display_name, od_wayland **out
    parameters: ["buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_display_close: { parameters: ["pointer"], result: "i32", nonblocking: true },
  od_wayland_display_features: { parameters: ["pointer", "buffer"], result: "i32" },
  od_wayland_last_error: {
    // od_wayland *wl, char *buf, uint32_t cap, uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  od_wayland_display_outputs: {
    // od_wayland *wl, od_wayland_output *out, uint32_t cap, uint32_t *count
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  od_wayland_display_bounds: {
    // od_wayland *wl, int32_t *x, int32_t *y, uint32_t *width, uint32_t *height
    parameters: ["pointer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  od_wayland_capture_grab: {
    // od_wayland *wl, od_frame *frame, int32_t x, int32_t y, uint32_t w, uint32_t h, flags
    parameters: ["pointer", "pointer", "i32", "i32", "u32", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_stream_open: {
    // od_wayland *wl, uint32_t output_index, uint32_t flags, od_wayland_stream **out
    parameters: ["pointer", "u32", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_stream_next: {
    // od_wayland_stream *s, od_frame *frame, uint32_t timeout_ms, uint32_t *rects,
    // uint32_t cap_rects, uint32_t *count
    parameters: ["pointer", "pointer", "u32", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_stream_close: { parameters: ["pointer"], result: "i32", nonblocking: true },
  od_wayland_input_pointer_move: { parameters: ["pointer", "i32", "i32"], result: "i32" },
  od_wayland_input_pointer_button: { parameters: ["pointer", "u32", "u32"], result: "i32" },
  od_wayland_cursor_position: {
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },
  od_wayland_input_key: {
    // od_wayland *wl, uint32_t keysym, uint32_t down
    parameters: ["pointer", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_input_text: {
    // od_wayland *wl, const uint32_t *codepoints, uint32_t count, uint32_t interval_us,
    // uint32_t *typed
    parameters: ["pointer", "buffer", "u32", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_input_keymap_restore: { parameters: ["pointer"], result: "i32", nonblocking: true },
  od_wayland_input_release_all: { parameters: ["pointer"], result: "i32", nonblocking: true },
  od_wayland_input_modifier_state: {
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },
  od_wayland_windows_list: {
    // od_wayland *wl, uint8_t *buf, uint32_t cap, uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_windows_active: { parameters: ["pointer", "buffer"], result: "i32" },
  od_wayland_windows_focus: {
    // od_wayland *wl, uint32_t id, uint32_t timeout_ms
    parameters: ["pointer", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_windows_request_close: {
    parameters: ["pointer", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_sway_request: {
    // od_wayland *wl, uint32_t type, const char *payload, uint8_t *buf, uint32_t cap,
    // uint32_t *len
    parameters: ["pointer", "u32", "buffer", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_clipboard_write: {
    // od_wayland *wl, const uint8_t *packed, uint32_t len, uint32_t timeout_ms
    parameters: ["pointer", "buffer", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_clipboard_read: {
    // od_wayland *wl, const char *mime, uint32_t timeout_ms, uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_wayland_clipboard_fetch: {
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  od_wayland_clipboard_targets: {
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
} as const satisfies Deno.ForeignLibraryInterface;

/** The shim opened with the Wayland table. */
export type WaylandLibrary = Deno.DynamicLibrary<typeof waylandSymbols>;

/**
 * Opens the shim with the Wayland table, once per process.
 *
 * @throws {Deno.errors.PermissionDenied | Deno.errors.NotCapable} Untouched, without `--allow-ffi`.
 * @throws {Error} Listing every place looked at when no library could be opened.
 */
export function loadWayland(): WaylandLibrary {
  return openNativeLibrary(waylandSymbols);
}

/** Whether the opened library holds the Wayland driver (`od_library_drivers`). */
export function hasWaylandDriver(): boolean {
  return compiledDrivers(openNativeLibrary(DRIVERS_ONLY)).includes("wayland");
}

/** A table with only `od_library_drivers`: opens even a library built without Wayland. */
const DRIVERS_ONLY = {
  od_library_drivers: waylandSymbols.od_library_drivers,
} as const satisfies Deno.ForeignLibraryInterface;
