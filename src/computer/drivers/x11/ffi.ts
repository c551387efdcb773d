/**
 * The X11 driver's FFI binding of the native shim (`native/include/opendesk.h`):
 * its symbol table (the shared objects — status, last error, library, frame,
 * encode, diff — and the X11 ones) and the status codes. The library is found
 * and opened by `../native_library.ts`, which other drivers (wayland, win32)
 * use with their own tables. Everything here goes through {@linkcode loadNative}.
 *
 * Pointers to caller buffers are `"buffer"` (a typed array, passed without a
 * copy); opaque handles are `"pointer"`. Calls that can take milliseconds run
 * on a worker thread (`nonblocking: true`).
 *
 * @module
 */

import { compiledDrivers, openNativeLibrary } from "../native_library.ts";
export { nativeLibraryCandidates, nativeLibraryName } from "../native_library.ts";

/** Status codes of `opendesk.h` (OD_OK and the OD_ERR_* values) by name. */
export const NATIVE_STATUS = {
  OD_OK: 0x00,
  OD_ERR_INVALID_ARGUMENT: 0x01,
  OD_ERR_NO_MEMORY: 0x02,
  OD_ERR_BUFFER_TOO_SMALL: 0x03,
  OD_ERR_UNSUPPORTED: 0x04,
  OD_ERR_ENCODE: 0x05,
  OD_ERR_NOT_FOUND: 0x06,
  OD_ERR_STATE: 0x07,
  OD_ERR_SYSTEM: 0x08,
  OD_ERR_X11_OPEN: 0x20,
  OD_ERR_X11_CONNECTION_LOST: 0x21,
  OD_ERR_X11_REQUEST: 0x22,
  OD_ERR_X11_NO_EXTENSION: 0x23,
  OD_ERR_X11_CAPTURE: 0x24,
  OD_ERR_X11_NO_KEYCODE: 0x25,
  OD_ERR_X11_PIXEL_FORMAT: 0x26,
  OD_ERR_X11_TIMEOUT: 0x27,
  OD_ERR_X11_NO_SELECTION: 0x28,
  OD_ERR_A11Y: 0x29,
  OD_ERR_A11Y_TIMEOUT: 0x2a,
  OD_ERR_DBUS: 0x2b,
  // ---- Windows (0x30-0x3F, native/src/win32/) ----
  OD_ERR_WIN_CALL: 0x30,
  OD_ERR_WIN_CAPTURE: 0x31,
  OD_ERR_WIN_INPUT_BLOCKED: 0x32,
  OD_ERR_WIN_CLIPBOARD_BUSY: 0x33,
  OD_ERR_WIN_COM: 0x34,
  OD_ERR_WIN_TIMEOUT: 0x35,
  OD_ERR_WIN_NO_DATA: 0x36,
  OD_ERR_WIN_FOREGROUND: 0x37,
} as const;

/** OD_FORMAT_* values. */
export const NATIVE_FORMAT = {
  png: 0,
  jpeg: 1,
  raw_rgba: 2,
  raw_rgb: 3,
  /** PNG with a palette of at most 256 colours (lossy above that). */
  png_palette: 4,
  /** JPEG with optimised Huffman tables. */
  jpeg_compact: 5,
} as const;

/** OD_FEATURE_* bits of `od_display_features`. */
export const NATIVE_FEATURE = {
  SHM: 1 << 0,
  XTEST: 1 << 1,
  RANDR: 1 << 2,
  XFIXES: 1 << 3,
  DAMAGE: 1 << 4,
  XINPUT2: 1 << 5,
  XKB: 1 << 6,
} as const;

/** Flag bits of `od_capture_grab` and `od_diff_update`. */
export const NATIVE_FLAG = { CAPTURE_CURSOR: 1, DIFF_FORCE_FULL: 1 } as const;

/** Size in bytes of one `od_monitor` record. */
export const NATIVE_MONITOR_SIZE = 56;

/** The shim's exported functions; each parameter is commented with its C type. */
export const symbols = {
  // ---- status and version ----
  od_status_name: {
    // int32_t status, char *buf, uint32_t cap, uint32_t *len
    parameters: ["i32", "buffer", "u32", "buffer"],
    result: "i32",
  },
  od_abi_version: { parameters: ["buffer" /* uint32_t *out */], result: "i32" },
  od_last_error: {
    // char *buf, uint32_t cap, uint32_t *len
    parameters: ["buffer", "u32", "buffer"],
    result: "i32",
  },
  od_library_drivers: {
    // char *buf, uint32_t cap, uint32_t *len
    parameters: ["buffer", "u32", "buffer"],
    result: "i32",
  },

  // ---- frames ----
  od_frame_create: { parameters: ["buffer" /* od_frame **out */], result: "i32" },
  od_frame_destroy: { parameters: ["pointer" /* od_frame *frame */], result: "i32" },
  od_frame_pixels: {
    // const od_frame *frame, uint8_t **pixels, uint32_t *width, uint32_t *height, uint32_t *stride
    parameters: ["pointer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  od_frame_scale: {
    // od_frame *frame, uint32_t width, uint32_t height
    parameters: ["pointer", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_frame_last_error: {
    // const od_frame *frame, char *buf, uint32_t cap, uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },

  // ---- encoding ----
  od_encode_bound: {
    // uint32_t format, uint32_t width, uint32_t height, uint64_t *out
    parameters: ["u32", "u32", "u32", "buffer"],
    result: "i32",
  },
  od_frame_encode: {
    // od_frame *frame, uint32_t format, uint32_t quality, uint32_t x, uint32_t y,
    // uint32_t width, uint32_t height, uint8_t *out, uint64_t cap, uint64_t *len
    parameters: ["pointer", "u32", "u32", "u32", "u32", "u32", "u32", "buffer", "u64", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_frame_encode_scaled: {
    // od_frame *frame, uint32_t format, uint32_t quality, uint32_t width, uint32_t height,
    // uint8_t *out, uint64_t cap, uint64_t *len
    parameters: ["pointer", "u32", "u32", "u32", "u32", "buffer", "u64", "buffer"],
    result: "i32",
    nonblocking: true,
  },

  // ---- tile diff ----
  od_diff_create: {
    // uint32_t tile_size, od_diff **out
    parameters: ["u32", "buffer"],
    result: "i32",
  },
  od_diff_destroy: { parameters: ["pointer" /* od_diff *diff */], result: "i32" },
  od_diff_update: {
    // od_diff *diff, const od_frame *frame, uint32_t flags, uint32_t *rects,
    // uint32_t cap_rects, uint32_t *count
    parameters: ["pointer", "pointer", "u32", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },

  // ---- display connection ----
  od_display_open: {
    // const char *name, od_display **out
    parameters: ["buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_display_close: {
    parameters: ["pointer" /* od_display *display */],
    result: "i32",
    nonblocking: true,
  },
  od_display_features: {
    // od_display *display, uint32_t *flags
    parameters: ["pointer", "buffer"],
    result: "i32",
  },
  od_display_size: {
    // od_display *display, uint32_t *width, uint32_t *height
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },
  od_display_monitors: {
    // od_display *display, od_monitor *out, uint32_t cap, uint32_t *count
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  od_display_last_error: {
    // od_display *display, char *buf, uint32_t cap, uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },

  // ---- capture ----
  od_capture_grab: {
    // od_display *display, od_frame *frame, int32_t x, int32_t y, uint32_t width,
    // uint32_t height, uint32_t flags
    parameters: ["pointer", "pointer", "i32", "i32", "u32", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_display_pixel: {
    // od_display *display, int32_t x, int32_t y, uint32_t *rgb
    parameters: ["pointer", "i32", "i32", "buffer"],
    result: "i32",
  },
  od_cursor_position: {
    // od_display *display, int32_t *x, int32_t *y
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },

  // ---- input ----
  od_input_pointer_move: {
    // od_display *display, int32_t x, int32_t y
    parameters: ["pointer", "i32", "i32"],
    result: "i32",
  },
  od_input_pointer_button: {
    // od_display *display, uint32_t button, uint32_t down
    parameters: ["pointer", "u32", "u32"],
    result: "i32",
  },
  od_input_key: {
    // od_display *display, uint32_t keysym, uint32_t down
    parameters: ["pointer", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_input_text: {
    // od_display *display, const uint32_t *codepoints, uint32_t count, uint32_t interval_us,
    // uint32_t *typed
    parameters: ["pointer", "buffer", "u32", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_input_keymap_restore: {
    // od_display *display, uint32_t settle_us
    parameters: ["pointer", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_input_release_all: {
    parameters: ["pointer" /* od_display *display */],
    result: "i32",
    nonblocking: true,
  },
  od_input_modifier_state: {
    // od_display *display, uint32_t *mods, uint32_t *locked
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },
  // ---- windows, clipboard, accessibility, input events, notifications ----
  // windows (EWMH over XCB)
  od_windows_open: {
    // const char *display_name, od_windows **out
    parameters: ["buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_windows_close: { parameters: ["pointer" /* od_windows *w */], result: "i32" },
  od_windows_list: {
    // od_windows *w, uint8_t *buf, uint32_t cap, uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_windows_active: {
    // od_windows *w, uint32_t *out_window
    parameters: ["pointer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_windows_focus: {
    // od_windows *w, uint32_t window
    parameters: ["pointer", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_windows_move: {
    // od_windows *w, uint32_t window, int32_t x, int32_t y, uint32_t width, uint32_t height
    parameters: ["pointer", "u32", "i32", "i32", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_windows_request_close: {
    // od_windows *w, uint32_t window
    parameters: ["pointer", "u32"],
    result: "i32",
    nonblocking: true,
  },

  // clipboard (CLIPBOARD selection over XCB)
  od_clipboard_open: {
    // const char *display_name, od_clipboard **out
    parameters: ["buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_clipboard_close: {
    parameters: ["pointer" /* od_clipboard *cb */],
    result: "i32",
    nonblocking: true,
  },
  od_clipboard_write: {
    // od_clipboard *cb, const uint8_t *packed, uint32_t len, uint32_t timeout_ms
    parameters: ["pointer", "buffer", "u32", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_clipboard_owned: {
    // od_clipboard *cb, int32_t *out_owned
    parameters: ["pointer", "buffer"],
    result: "i32",
  },
  od_clipboard_read: {
    // od_clipboard *cb, const char *target, uint32_t timeout_ms, uint32_t *out_len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_clipboard_fetch: {
    // od_clipboard *cb, uint8_t *buf, uint32_t cap, uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_clipboard_targets: {
    // od_clipboard *cb, uint32_t timeout_ms, uint8_t *buf, uint32_t cap, uint32_t *len
    parameters: ["pointer", "u32", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },

  // input events (XInput 2 raw events)
  od_input_events_open: {
    // const char *display_name, uint32_t capacity, od_input_events **out
    parameters: ["buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_input_events_wait: {
    // od_input_events *h, uint32_t timeout_ms, od_input_event *out, uint32_t cap,
    // uint32_t *count, uint64_t *dropped
    parameters: ["pointer", "u32", "buffer", "u32", "buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_input_events_close: {
    parameters: ["pointer" /* od_input_events *h */],
    result: "i32",
    nonblocking: true,
  },

  // accessibility (AT-SPI)
  od_a11y_open: {
    // const char *session_bus_address, od_a11y **out
    parameters: ["buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_a11y_close: { parameters: ["pointer" /* od_a11y *h */], result: "i32", nonblocking: true },
  od_a11y_tree: {
    // od_a11y *h, int32_t pid, const char *app, const char *title, uint32_t max_depth,
    // uint32_t max_nodes, uint32_t deadline_ms, uint32_t flags, uint8_t *buf, uint32_t cap,
    // uint32_t *len
    parameters: [
      "pointer",
      "i32",
      "buffer",
      "buffer",
      "u32",
      "u32",
      "u32",
      "u32",
      "buffer",
      "u32",
      "buffer",
    ],
    result: "i32",
    nonblocking: true,
  },
  od_a11y_actions: {
    // od_a11y *h, const char *ref, uint32_t timeout_ms, uint8_t *buf, uint32_t cap,
    // uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_a11y_do_action: {
    // od_a11y *h, const char *ref, const char *action, uint32_t timeout_ms
    parameters: ["pointer", "buffer", "buffer", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_a11y_set_text: {
    // od_a11y *h, const char *ref, const char *text, uint32_t timeout_ms
    parameters: ["pointer", "buffer", "buffer", "u32"],
    result: "i32",
    nonblocking: true,
  },
  od_a11y_grab_focus: {
    // od_a11y *h, const char *ref, uint32_t timeout_ms
    parameters: ["pointer", "buffer", "u32"],
    result: "i32",
    nonblocking: true,
  },

  // notifications (session bus monitor)
  od_notifications_open: {
    // const char *session_bus_address, uint32_t capacity, od_notifications **out
    parameters: ["buffer", "u32", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  od_notifications_list: {
    // od_notifications *h, uint8_t *buf, uint32_t cap, uint32_t *len
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  od_notifications_close: {
    parameters: ["pointer" /* od_notifications *h */],
    result: "i32",
    nonblocking: true,
  },
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened shim. */
export type NativeLibrary = Deno.DynamicLibrary<typeof symbols>;

/** The drivers the opened library was built with (`od_library_drivers`). */
export function libraryDrivers(lib: NativeLibrary): string[] {
  return compiledDrivers(lib);
}

/**
 * Opens the shim once per process with the X11 driver's symbol table (see
 * `openNativeLibrary` for where it looks).
 *
 * @returns The opened library.
 * @throws {Deno.errors.PermissionDenied | Deno.errors.NotCapable} Untouched, without `--allow-ffi`.
 * @throws {Error} Listing every place looked at when no library could be opened.
 */
export function loadNative(): NativeLibrary {
  return openNativeLibrary(symbols);
}
