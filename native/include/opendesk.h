/*
 * opendesk native shim: the one public C header. Every driver of the
 * library (X11 today; Wayland and Windows next) is written against it, and
 * the TypeScript side (src/computer/drivers/<driver>/ffi.ts) mirrors it.
 *
 * Calling convention, the same for every function:
 *   - Names are od_<object>_<verb>. Every function returns an int status:
 *     OD_OK (0) on success, otherwise one of the OD_ERR_* codes below.
 *   - On failure the function also leaves a sentence saying what failed in the
 *     calling thread's last error, read with od_last_error (as SDL_GetError).
 *     It is meaningful only right after a call returned a non-OK status.
 *     Handles that are used from a thread pool (Deno's nonblocking FFI calls
 *     run on one) keep a copy of their last failure as well
 *     (od_display_last_error, od_frame_last_error).
 *   - Results come back through out-parameters. Variable-size results go into
 *     caller-owned buffers: the caller passes the capacity `cap`, the function
 *     writes the length used to `*len`. A too-small buffer gives
 *     OD_ERR_BUFFER_TOO_SMALL with `*len` set to the length needed.
 *   - Fixed-size records (monitors, input events) are C structs laid out
 *     without padding. Tree-shaped or variable records (window lists,
 *     accessibility trees, notifications) are UTF-8 JSON, the one encoding
 *     for them. Plain lists of names (clipboard targets, action names,
 *     drivers) are UTF-8 lines, each ended by a newline.
 *   - Handles are opaque. Whoever calls a *_create / *_open function owns the
 *     handle and releases it with the matching *_destroy / *_close, which
 *     accept NULL.
 *   - The library never prints. Diagnostics go to an optional log callback
 *     (no-op by default).
 *
 * Drivers: the platform-neutral objects (status, last error, log, library,
 * frame, encode, diff) are shared by every driver. The X11 driver's objects
 * are od_display, od_capture, od_input, od_windows, od_clipboard,
 * od_input_events, od_a11y and od_notifications. Drivers added later prefix
 * their objects with the driver name (od_wayland_<object>_<verb>,
 * od_win32_<object>_<verb>) so that several drivers live in one library, are
 * listed by od_library_drivers, and are chosen at run time.
 *
 * Threads: od_display_open calls XInitThreads once. One od_display may be used
 * from several threads at once: every function that talks to the X server takes
 * the display's lock for the duration of its X requests only (encoding and
 * scaling run outside it). One od_frame or od_diff must be used by one thread
 * at a time. The log callback may be called from any thread.
 */

#ifndef OPENDESK_H
#define OPENDESK_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define OD_API __declspec(dllexport)
#else
#define OD_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version: bumped on every incompatible change of this header. */
#define OD_ABI_VERSION 1

/* ---- Status codes ------------------------------------------------------ */

#define OD_OK 0
/* Common to every driver (0x01-0x1F). */
#define OD_ERR_INVALID_ARGUMENT 0x01 /* a parameter is out of range or NULL */
#define OD_ERR_NO_MEMORY 0x02        /* an allocation failed */
#define OD_ERR_BUFFER_TOO_SMALL 0x03 /* the caller's buffer cannot hold the result */
#define OD_ERR_UNSUPPORTED 0x04      /* the platform or server lacks what is needed */
#define OD_ERR_ENCODE 0x05           /* an image encoder failed */
#define OD_ERR_NOT_FOUND 0x06        /* the named object does not exist */
#define OD_ERR_STATE 0x07            /* the object is not in a state that allows the call */
#define OD_ERR_SYSTEM 0x08           /* an OS call failed (threads, shared memory) */
/* X11 driver (0x20-0x2F). A window or element that does not exist (any more)
 * is OD_ERR_NOT_FOUND. */
#define OD_ERR_X11_OPEN 0x20            /* the X display cannot be opened */
#define OD_ERR_X11_CONNECTION_LOST 0x21 /* the X server went away; close the handle */
#define OD_ERR_X11_REQUEST 0x22         /* the X server answered a request with an error */
#define OD_ERR_X11_NO_EXTENSION 0x23    /* a required X extension is missing */
#define OD_ERR_X11_CAPTURE 0x24         /* reading the screen contents failed */
#define OD_ERR_X11_NO_KEYCODE 0x25      /* no key can produce the keysym, not even remapped */
#define OD_ERR_X11_PIXEL_FORMAT 0x26    /* the screen uses a pixel format the shim cannot read */
#define OD_ERR_X11_TIMEOUT 0x27      /* another X client did not answer before the deadline */
#define OD_ERR_X11_NO_SELECTION 0x28 /* the selection has no owner, or it refused the target */
#define OD_ERR_A11Y 0x29             /* AT-SPI is unavailable, or an accessibility call failed */
#define OD_ERR_A11Y_TIMEOUT 0x2A     /* an accessibility call did not finish before its deadline */
#define OD_ERR_DBUS 0x2B             /* no session bus, or the bus refused a call */
/* Windows driver: 0x30-0x3F. macOS: 0x40-0x4F. Wayland driver: 0x50-0x5F.
 * A driver defines its codes here and names them in native/src/common/status.c
 * and in its ffi.ts. */

/* ---- Library: version, status names, last error, drivers, logging ------ */

/* Writes the symbolic name of `status` ("OD_ERR_NO_MEMORY") as a NUL-terminated
 * string into `buf` (capacity `cap`); `*len` receives the length without the NUL.
 * Unknown codes give "OD_ERR_UNKNOWN". */
OD_API int od_status_name(int32_t status, char *buf, uint32_t cap, uint32_t *len);

/* Writes OD_ABI_VERSION to `*out`. */
OD_API int od_abi_version(uint32_t *out);

/* Copies the calling thread's last failure message (NUL-terminated) into
 * `buf`; "" when this thread has seen no failure. */
OD_API int od_last_error(char *buf, uint32_t cap, uint32_t *len);

/* Writes the names of the drivers compiled into this library, one per line
 * ("x11\n", or "x11\nwayland\n"), in the build's order. */
OD_API int od_library_drivers(char *buf, uint32_t cap, uint32_t *len);

#define OD_LOG_DEBUG 0
#define OD_LOG_INFO 1
#define OD_LOG_WARN 2
#define OD_LOG_ERROR 3

/* A log sink. `message` is NUL-terminated and valid only during the call. */
typedef void (*od_log_fn)(int32_t level, const char *message, void *user);

/* Installs a log sink for the whole library (NULL restores the no-op sink).
 * The callback may be invoked from any thread, including threads started by
 * the shim's encoders. */
OD_API int od_log_set_callback(od_log_fn fn, void *user);

/* ---- Frames: images held by the shim ---------------------------------- */

/* An image in memory, 32 bits per pixel in B,G,R,X byte order, rows `stride`
 * bytes apart. Capture fills it; scaling, encoding and diffing read it. */
typedef struct od_frame od_frame;

/* Creates an empty frame. The caller owns it: release with od_frame_destroy. */
OD_API int od_frame_create(od_frame **out);

/* Releases a frame and any shared memory attached to it. NULL is accepted.
 * A frame used for capture must be destroyed before its display is closed, or
 * afterwards (the display then detaches its shared memory on close). */
OD_API int od_frame_destroy(od_frame *frame);

/* Reports the current image: a pointer to the first pixel (owned by the frame,
 * valid until the next capture, scale or destroy of this frame), its size and
 * stride in bytes. An empty frame reports NULL and zero sizes. */
OD_API int od_frame_pixels(const od_frame *frame, uint8_t **pixels, uint32_t *width,
                           uint32_t *height, uint32_t *stride);

/* Replaces the frame's image with a copy resized to `width` x `height` by area
 * averaging (downscale only: the new size must not exceed the current one). */
OD_API int od_frame_scale(od_frame *frame, uint32_t width, uint32_t height);

/* Copies this frame's last failure (NUL-terminated): the same text as
 * od_last_error, kept on the handle for calls made from a thread pool. */
OD_API int od_frame_last_error(const od_frame *frame, char *buf, uint32_t cap, uint32_t *len);

/* ---- Encoding ---------------------------------------------------------- */

#define OD_FORMAT_PNG 0
#define OD_FORMAT_JPEG 1
#define OD_FORMAT_RAW_RGBA 2
#define OD_FORMAT_RAW_RGB 3
/* Compact variants for models: PNG with a palette of at most 256 colours
 * (exact when the image has no more, otherwise quantised: lossy), JPEG with
 * optimised Huffman tables (the same pixels, fewer bytes, more time). */
#define OD_FORMAT_PNG_PALETTE 4
#define OD_FORMAT_JPEG_COMPACT 5

/* Writes to `*out` a capacity that is always large enough to encode a
 * `width` x `height` image in `format`. */
OD_API int od_encode_bound(uint32_t format, uint32_t width, uint32_t height, uint64_t *out);

/* Encodes the sub-rectangle (x, y, width, height) of the frame's image in
 * `format` into `out` (capacity `cap`); `*len` receives the bytes written.
 * `quality` (1-100) applies to JPEG; PNG is lossless (RGB, 8 bit) except
 * OD_FORMAT_PNG_PALETTE.
 * Width or height 0 means "to the right/bottom edge". PNG splits the work
 * into up to 8 pieces on as many threads (4 per processor); JPEG uses the
 * calling thread. */
OD_API int od_frame_encode(od_frame *frame, uint32_t format, uint32_t quality, uint32_t x,
                           uint32_t y, uint32_t width, uint32_t height, uint8_t *out,
                           uint64_t cap, uint64_t *len);

/* Encodes the frame's whole image scaled down to `width` x `height` (area
 * averaging, as od_frame_scale) without changing the frame: the next encode
 * or scale still sees the captured image. PNG scales inside its pieces, so
 * the scaled image is never stored; the other formats scale into memory
 * owned by the frame first. The same size as the image encodes it as is. */
OD_API int od_frame_encode_scaled(od_frame *frame, uint32_t format, uint32_t quality,
                                  uint32_t width, uint32_t height, uint8_t *out, uint64_t cap,
                                  uint64_t *len);

/* ---- Tile diff: what changed between two frames ------------------------ */

/* Remembers the last image it saw and reports which tiles changed since. */
typedef struct od_diff od_diff;

/* Creates a diff with square tiles of `tile_size` pixels (8-512). The caller
 * owns it: release with od_diff_destroy. */
OD_API int od_diff_create(uint32_t tile_size, od_diff **out);

/* Releases a diff. NULL is accepted. */
OD_API int od_diff_destroy(od_diff *diff);

#define OD_DIFF_FORCE_FULL 1u /* report the whole image as changed */

/* Compares the frame's image with the remembered one, remembers the new one,
 * and writes the changed area as rectangles (x, y, width, height: four
 * uint32_t each) into `rects` (room for `cap_rects` rectangles); `*count`
 * receives the number written. Changed tiles are merged into rectangles;
 * when more than `cap_rects` would be needed, one bounding rectangle is
 * reported. A size change, the first call and OD_DIFF_FORCE_FULL report one
 * rectangle covering the whole image. */
OD_API int od_diff_update(od_diff *diff, const od_frame *frame, uint32_t flags, uint32_t *rects,
                          uint32_t cap_rects, uint32_t *count);

/* ---- Display connection ------------------------------------------------ */

/* A connection to the desktop (an X display on Linux), opened once. */
typedef struct od_display od_display;

/* Features found at open (bits of od_display_features). */
#define OD_FEATURE_SHM (1u << 0)     /* MIT-SHM: fast capture */
#define OD_FEATURE_XTEST (1u << 1)   /* XTEST: input injection */
#define OD_FEATURE_RANDR (1u << 2)   /* RandR >= 1.5: monitors */
#define OD_FEATURE_XFIXES (1u << 3)  /* XFIXES: cursor image */
#define OD_FEATURE_DAMAGE (1u << 4)  /* DAMAGE */
#define OD_FEATURE_XINPUT2 (1u << 5) /* XInputExtension 2.x */
#define OD_FEATURE_XKB (1u << 6)     /* XKEYBOARD */

/* Opens the display named `name` (NUL-terminated, e.g. ":99"; NULL or "" means
 * $DISPLAY), installs the shim's X error handlers and probes the optional
 * extensions. The caller owns `*out`: release with od_display_close. If the
 * server goes away later, calls fail with OD_ERR_X11_CONNECTION_LOST instead
 * of ending the process. On failure, `*out` is NULL and the reason is in
 * od_last_error. */
OD_API int od_display_open(const char *name, od_display **out);

/* Closes the display, releasing keys and buttons the shim still holds and
 * restoring any keyboard mapping it changed. NULL is accepted. */
OD_API int od_display_close(od_display *display);

/* Writes the OD_FEATURE_* bits found at open to `*flags`. */
OD_API int od_display_features(od_display *display, uint32_t *flags);

/* Writes the size of the whole desktop (the root window) in pixels. */
OD_API int od_display_size(od_display *display, uint32_t *width, uint32_t *height);

/* One monitor, as od_display_monitors writes it (56 bytes, no padding). */
typedef struct od_monitor {
  int32_t x, y;          /* top-left in the desktop, pixels */
  uint32_t width, height;/* pixels */
  uint32_t width_mm, height_mm; /* physical size, 0 when unknown */
  uint32_t primary;      /* 1 for the primary monitor */
  uint32_t reserved;     /* 0 */
  char name[24];         /* NUL-terminated, truncated */
} od_monitor;

/* Writes up to `cap` monitors into `out` and their count into `*count`. With
 * more monitors than `cap`, fails with OD_ERR_BUFFER_TOO_SMALL and `*count` set
 * to the number needed. Without RandR, reports the whole screen as one
 * primary monitor named "screen". */
OD_API int od_display_monitors(od_display *display, od_monitor *out, uint32_t cap,
                               uint32_t *count);

/* Copies this display's last failure (NUL-terminated): the same text as
 * od_last_error, kept on the handle for calls made from a thread pool. */
OD_API int od_display_last_error(od_display *display, char *buf, uint32_t cap, uint32_t *len);

/* ---- Capture ----------------------------------------------------------- */

#define OD_CAPTURE_CURSOR 1u /* draw the pointer into the image (needs XFIXES) */

/* Reads the desktop area (x, y, width, height), in pixels of the desktop, into
 * `frame` (which then holds a width x height image). The area must lie inside
 * od_display_size. Uses shared memory attached to the frame when MIT-SHM
 * works, otherwise a plain image request. */
OD_API int od_capture_grab(od_display *display, od_frame *frame, int32_t x, int32_t y,
                           uint32_t width, uint32_t height, uint32_t flags);

/* Writes the colour of the desktop pixel (x, y) as 0xRRGGBB to `*rgb`. A
 * point outside the desktop is OD_ERR_INVALID_ARGUMENT. */
OD_API int od_display_pixel(od_display *display, int32_t x, int32_t y, uint32_t *rgb);

/* Writes the pointer position in desktop pixels. */
OD_API int od_cursor_position(od_display *display, int32_t *x, int32_t *y);

/* ---- Input injection (needs XTEST) ------------------------------------- */

/* Moves the pointer to (x, y) in desktop pixels. */
OD_API int od_input_pointer_move(od_display *display, int32_t x, int32_t y);

/* Presses (`down` = 1) or releases (`down` = 0) pointer button `button`
 * (1 left, 2 middle, 3 right, 4/5 wheel up/down, 6/7 wheel left/right,
 * 8/9 back/forward). */
OD_API int od_input_pointer_button(od_display *display, uint32_t button, uint32_t down);

/* Presses or releases the key producing X keysym `keysym`. When no key of the
 * current layout has it, a spare keycode is mapped to it until it is released
 * and od_input_keymap_restore is called. */
OD_API int od_input_key(od_display *display, uint32_t keysym, uint32_t down);

/* Types the `count` Unicode code points at `codepoints`, each as a press and
 * release, waiting `interval_us` microseconds after each character.
 * Characters the layout has are typed with their own key (plus Shift when
 * needed); the others are mapped onto spare keycodes in batches, waiting
 * for clients to apply each mapping before a spare keycode is reused.
 * `*typed` receives the number of characters typed (all of them on success).
 * Line feed types Return, tab types Tab. */
OD_API int od_input_text(od_display *display, const uint32_t *codepoints, uint32_t count,
                         uint32_t interval_us, uint32_t *typed);

/* Restores every spare keycode the shim remapped and that is not held down,
 * first waiting until `settle_us` microseconds have passed since the last key
 * event that used one (so clients read the old mapping for those events). */
OD_API int od_input_keymap_restore(od_display *display, uint32_t settle_us);

/* Releases every key and button the shim pressed and has not released. */
OD_API int od_input_release_all(od_display *display);

/* Writes the X modifier state (ShiftMask, LockMask, ControlMask, Mod1-5 bits)
 * as the server has it now: effective modifiers in `*mods`, locked ones in
 * `*locked`. */
OD_API int od_input_modifier_state(od_display *display, uint32_t *mods, uint32_t *locked);

/* ---- X11 desktop objects: windows, clipboard, input events ------------- */
/* Each of these objects owns its own connection (XCB to the X server, or
 * D-Bus) and never shares one with od_display, so they never race it. X errors
 * reach them as per-request XCB errors (no process-wide Xlib error handler is
 * involved). Handles are not thread-safe unless stated; the TypeScript
 * wrappers serialise their calls. */

/* Windows (EWMH/ICCCM). Window ids are X window ids of client (not frame) windows. */
typedef struct od_windows od_windows;
/* Opens an own XCB connection (`display_name` NULL = $DISPLAY). Free with od_windows_close. */
OD_API int od_windows_open(const char *display_name, od_windows **out);
OD_API int od_windows_close(od_windows *w);
/* JSON array of {id,title,instance,class,pid,x,y,width,height,frame[l,r,t,b],minimized,
 * desktop,focused}; x/y are the client area's root coordinates. */
OD_API int od_windows_list(od_windows *w, uint8_t *buf, uint32_t cap, uint32_t *len);
/* The _NET_ACTIVE_WINDOW (or input focus) window, 0 for none. */
OD_API int od_windows_active(od_windows *w, uint32_t *out_window);
/* Asks the WM to activate (switch desktop, de-iconify, raise, focus) the window. */
OD_API int od_windows_focus(od_windows *w, uint32_t window);
/* Moves/resizes so that the client area has these root coordinates and size. */
OD_API int od_windows_move(od_windows *w, uint32_t window, int32_t x, int32_t y, uint32_t width,
                           uint32_t height);
/* Polite close: _NET_CLOSE_WINDOW, else WM_DELETE_WINDOW, else XKillClient. A window that
 * does not exist gives OD_ERR_NOT_FOUND (also for focus and move). */
OD_API int od_windows_request_close(od_windows *w, uint32_t window);

/* Clipboard (the CLIPBOARD selection). Thread-safe: reads are serialised, writes go to the
 * owner thread, which keeps its own connection while opendesk owns the selection. */
typedef struct od_clipboard od_clipboard;
OD_API int od_clipboard_open(const char *display_name, od_clipboard **out);
/* Stops the owner thread (the selection is given up) and frees the handle. */
OD_API int od_clipboard_close(od_clipboard *cb);
/* Owns CLIPBOARD with a copy of `packed`: repeated {u32 mime length, mime, u32 data length,
 * data} in host byte order. Text entries (mime text/plain...) are also served as UTF8_STRING,
 * STRING, TEXT and text/plain. Returns when the server confirmed ownership (or timeout). */
OD_API int od_clipboard_write(od_clipboard *cb, const uint8_t *packed, uint32_t len,
                              uint32_t timeout_ms);
/* *out_owned = 1 while the selection written by this handle is still owned. */
OD_API int od_clipboard_owned(od_clipboard *cb, int32_t *out_owned);
/* Converts CLIPBOARD to `target` (an atom name such as "UTF8_STRING" or "image/png") within
 * `timeout_ms`, following INCR; keeps the bytes in the handle and sets *out_len. No owner or a
 * refused target: OD_ERR_X11_NO_SELECTION; a silent owner: OD_ERR_X11_TIMEOUT. */
OD_API int od_clipboard_read(od_clipboard *cb, const char *target, uint32_t timeout_ms,
                             uint32_t *out_len);
/* Copies the bytes of the last od_clipboard_read. */
OD_API int od_clipboard_fetch(od_clipboard *cb, uint8_t *buf, uint32_t cap, uint32_t *len);
/* The owner's TARGETS as newline-terminated atom names. */
OD_API int od_clipboard_targets(od_clipboard *cb, uint32_t timeout_ms, uint8_t *buf,
                                uint32_t cap, uint32_t *len);

/* Input events: the user's real pointer and key events (XInput 2 raw events on the root, all
 * master devices, including XTEST-injected ones). od_input_events_wait may run on another
 * thread than od_input_events_open; od_input_events_close wakes and waits for it. */
#define OD_INPUT_EVENT_POINTER 1
#define OD_INPUT_EVENT_KEY 2
#define OD_INPUT_ACTION_MOVE 0   /* pointer only */
#define OD_INPUT_ACTION_DOWN 1
#define OD_INPUT_ACTION_UP 2
#define OD_INPUT_ACTION_SCROLL 3 /* pointer only: dx/dy in wheel clicks, dy > 0 = up */
typedef struct od_input_event {
  uint8_t kind;        /* OD_INPUT_EVENT_* */
  uint8_t action;      /* OD_INPUT_ACTION_* */
  uint8_t button;      /* X button 1-3, 8, 9 for pointer down/up, else 0 */
  uint8_t is_repeat;   /* key down while already down (auto-repeat) */
  uint32_t modifiers;  /* X modifier mask before the event (Shift 1, Lock 2, Control 4, Mod1 8,
                          Mod4 0x40) */
  int32_t x, y;        /* pointer position in root pixels (pointer events) */
  int32_t dx, dy;      /* scroll clicks */
  uint32_t keysym;     /* X keysym (shift level applied), 0 if none */
  uint32_t keycode;    /* X keycode */
  double timestamp;    /* Unix epoch seconds when the shim read the event */
  char name[24];       /* X keysym name ("Return", "a"), NUL-terminated, "" if none */
} od_input_event;      /* 64 bytes */
typedef struct od_input_events od_input_events;
/* Starts the reader thread; `capacity` (1..2^20) bounds the ring of undelivered events. */
OD_API int od_input_events_open(const char *display_name, uint32_t capacity,
                                od_input_events **out);
/* Waits up to `timeout_ms` for events and moves up to `cap` of them into `out`; `*count` may
 * be 0 after a timeout. `*dropped` (optional) receives the total of events dropped because the
 * ring was full. After close: OD_ERR_STATE; after the server went away:
 * OD_ERR_X11_CONNECTION_LOST (once the ring is empty). */
OD_API int od_input_events_wait(od_input_events *h, uint32_t timeout_ms, od_input_event *out,
                                uint32_t cap, uint32_t *count, uint64_t *dropped);
OD_API int od_input_events_close(od_input_events *h);

/* ---- Accessibility (AT-SPI over D-Bus) -------------------------------- */

/* Accessibility over AT-SPI. Each handle has its own connection to the accessibility bus,
 * whose address it asks org.a11y.Bus on the session bus at `session_bus_address` (NULL or ""
 * = the environment's session bus; with none configured od_a11y_open fails with OD_ERR_DBUS
 * rather than let libdbus autolaunch a private bus). All od_a11y_* calls in the process are
 * serialised; they may be called from any thread. */
typedef struct od_a11y od_a11y;
OD_API int od_a11y_open(const char *session_bus_address, od_a11y **out);
OD_API int od_a11y_close(od_a11y *h);
#define OD_A11Y_TREE_DEFAULT 0u
/* Walk through libdbus's connection instead of the faster socket of the shim's own (the same
 * tree; for comparisons). */
#define OD_A11Y_TREE_VIA_LIBDBUS 1u
/* Walks one accessible tree into JSON {"app","tree","truncated","nodes","elapsed_ms"}; tree
 * nodes are {role,name,value,bounds:[x,y,w,h]|null,focused,enabled,editable,actions,ref,
 * children}. The root: the application with process `pid` (> 0) or whose name contains `app`,
 * narrowed to its window named `title` when given; with none of them, the active window.
 * Budgets: `max_depth` levels below the root, `max_nodes` nodes, `deadline_ms` in total (also
 * applied as the D-Bus timeout of each call); "truncated" names the budget that cut the walk
 * ("depth", "nodes", "deadline") or is null. No matching root: OD_ERR_NOT_FOUND, or
 * OD_ERR_A11Y_TIMEOUT when the deadline passed while looking. `flags`: OD_A11Y_TREE_*. */
OD_API int od_a11y_tree(od_a11y *h, int32_t pid, const char *app, const char *title,
                        uint32_t max_depth, uint32_t max_nodes, uint32_t deadline_ms,
                        uint32_t flags, uint8_t *buf, uint32_t cap, uint32_t *len);
/* Action names of the element `ref` ("<bus name>|<path>"), newline-terminated. */
OD_API int od_a11y_actions(od_a11y *h, const char *ref, uint32_t timeout_ms, uint8_t *buf,
                           uint32_t cap, uint32_t *len);
/* Runs the action named `action` (case-insensitive); "click" falls back to click, press,
 * activate, toggle, jump, then the first action. Unknown action: OD_ERR_NOT_FOUND. */
OD_API int od_a11y_do_action(od_a11y *h, const char *ref, const char *action,
                             uint32_t timeout_ms);
/* Replaces the text of an editable element (EditableText.SetTextContents). */
OD_API int od_a11y_set_text(od_a11y *h, const char *ref, const char *text, uint32_t timeout_ms);
/* Moves the keyboard focus to the element (Component.GrabFocus); an element that cannot take
 * it answers OD_ERR_A11Y. */
OD_API int od_a11y_grab_focus(od_a11y *h, const char *ref, uint32_t timeout_ms);

/* ---- Notifications (observed on the session bus) ---------------------- */

/* Notifications: org.freedesktop.Notifications.Notify calls observed on the session bus by a
 * monitor connection (BecomeMonitor) and its reader thread. No session bus: OD_ERR_DBUS (no
 * autolaunch); the bus refused monitoring: OD_ERR_DBUS. Thread-safe. */
typedef struct od_notifications od_notifications;
/* Monitors the bus at `session_bus_address` (NULL or "" = the environment's session bus).
 * `capacity` (1..65536) bounds the ring; the oldest notification is dropped when full. */
OD_API int od_notifications_open(const char *session_bus_address, uint32_t capacity,
                                 od_notifications **out);
/* JSON array, oldest first, of {id (server id, 0 until it answered), sender, serial, app,
 * title, body, timestamp (Unix seconds)}. */
OD_API int od_notifications_list(od_notifications *h, uint8_t *buf, uint32_t cap,
                                 uint32_t *len);
OD_API int od_notifications_close(od_notifications *h);

/* ---------------------------------------------------------------------------------------------
 * Windows (native/src/win32/). The functions above keep their meaning with these differences:
 *   - od_display_open ignores `name`; the desktop is the virtual screen (all monitors) in
 *     physical pixels (the shim makes each calling thread per-monitor-v2 DPI aware), and its
 *     top-left may be negative (od_display_origin). od_capture_grab takes virtual-screen
 *     coordinates; od_display_features reports OD_FEATURE_WIN_* bits.
 *   - od_input_key takes the same X keysyms (the protocol's key names map to them in the TS
 *     layer) and presses the matching virtual key; od_input_keymap_restore has nothing to
 *     restore (nothing is remapped); od_input_modifier_state reports the X mask bits.
 *   - od_windows_* ids are HWNDs (Windows keeps window handles 32-bit significant so that 32-
 *     and 64-bit processes can share them); x/y/width/height are the client area in desktop
 *     pixels and frame[l,r,t,b] reaches out to the DWM extended frame bounds (the visible
 *     window); "instance" is the executable's file name, "desktop" is 0.
 *   - od_clipboard_* take MIME names: text/plain (and UTF8_STRING, STRING, TEXT) is
 *     CF_UNICODETEXT, text/html is "HTML Format", image/png is the registered "PNG" format
 *     (read falls back to CF_DIB / CF_DIBV5 converted to PNG). od_clipboard_targets lists MIME
 *     names for those and the Windows format names for the others.
 *   - od_a11y_* walk UI Automation (session_bus_address is ignored); refs are
 *     "<window>|<runtime id as dot-separated hex>".
 *   - Notifications have no Windows implementation: no public API reads other applications'
 *     toasts (UserNotificationListener needs a packaged app with user consent), so
 *     od_notifications_open fails with OD_ERR_UNSUPPORTED.
 * ------------------------------------------------------------------------------------------- */
#define OD_ERR_WIN_CALL 0x30           /* a Win32 call failed (its error text is in the message) */
#define OD_ERR_WIN_CAPTURE 0x31        /* reading the screen failed (BitBlt or Desktop Duplication) */
#define OD_ERR_WIN_INPUT_BLOCKED 0x32  /* SendInput took fewer events (secure desktop or a more
                                          privileged foreground window) */
#define OD_ERR_WIN_CLIPBOARD_BUSY 0x33 /* another program kept the clipboard open past the retries */
#define OD_ERR_WIN_COM 0x34            /* a COM / UI Automation call failed */
#define OD_ERR_WIN_TIMEOUT 0x35        /* a wait (window, process, clipboard) passed its deadline */
#define OD_ERR_WIN_NO_DATA 0x36        /* the clipboard has nothing in the asked format */
#define OD_ERR_WIN_FOREGROUND 0x37     /* Windows refused to bring the window to the foreground */

#define OD_FEATURE_WIN_DXGI (1u << 16)      /* Desktop Duplication works for every monitor */
#define OD_FEATURE_WIN_PER_MONITOR (1u << 17) /* per-monitor-v2 DPI awareness is available */

/* Writes the virtual screen's top-left corner (negative when a monitor is left of or above the
 * primary one). */
OD_API int od_display_origin(od_display *display, int32_t *x, int32_t *y);

/* Locks the workstation (LockWorkStation); returns before the lock screen shows. */
OD_API int od_session_lock(void);

/* Job objects: a process tree that can be killed as one. Processes a member starts belong to
 * the job too (unless they break away), so terminating the job ends the whole tree. */
typedef struct od_job od_job;
#define OD_JOB_KILL_ON_CLOSE 1u /* od_job_destroy ends every process still in the job */
OD_API int od_job_create(uint32_t flags, od_job **out);
OD_API int od_job_destroy(od_job *job);
/* Adds the running process `pid` (processes it started before this call stay outside);
 * OD_ERR_NOT_FOUND when it does not exist or has already exited. */
OD_API int od_job_assign(od_job *job, uint32_t pid);
/* Starts `command_line` (UTF-8, CreateProcess rules; `cwd` NULL = inherited) suspended, puts it
 * in the job, then lets it run: no process of the tree can escape before it is a member. */
OD_API int od_job_spawn(od_job *job, const char *command_line, const char *cwd, uint32_t *pid);
/* Process ids still running in the job (OD_ERR_BUFFER_TOO_SMALL with `*count` = needed). */
OD_API int od_job_processes(od_job *job, uint32_t *pids, uint32_t cap, uint32_t *count);
/* Ends every process in the job with `exit_code`. */
OD_API int od_job_terminate(od_job *job, uint32_t exit_code);
/* Waits until no process is left in the job; OD_ERR_WIN_TIMEOUT after `timeout_ms`. */
OD_API int od_job_wait(od_job *job, uint32_t timeout_ms);

/* Applications. od_app_launch opens `target` (a path, a program name found on PATH or under
 * "App Paths", a document or URL) with ShellExecuteEx, with `args` (may be NULL), and adds the
 * process it started to `job`; `*pid` is 0 when Windows handed the request to an already
 * running program (no new process). */
OD_API int od_app_launch(od_job *job, const char *target, const char *args, uint32_t *pid);
/* Waits for the first visible, titled top-level window of any process in the job. */
OD_API int od_app_wait_window(od_job *job, uint32_t timeout_ms, uint32_t *window);
/* Closes politely (WM_CLOSE to every top-level window of the job's processes), waits up to
 * `grace_ms` for the processes to end, then terminates what is left; `*terminated` = 1 when
 * termination was needed. */
OD_API int od_app_close(od_job *job, uint32_t grace_ms, uint32_t *terminated);

/* ---------------------------------------------------------------------------------------------
 * Wayland driver (wlroots compositors: sway, Hyprland, river, labwc...), in the same Linux
 * library as the X11 driver when libwayland-client and libxkbcommon are present (listed by
 * od_library_drivers as "wayland"). Its functions are od_wayland_<object>_<verb> and mirror
 * the X11 driver's (od_display_open -> od_wayland_display_open, od_input_text ->
 * od_wayland_input_text, ...), so the TypeScript driver is the X11 one's shape with another
 * symbol prefix.
 *
 * One od_wayland handle is one connection to the compositor plus a thread that reads its
 * events; every od_wayland_* call is thread-safe. Failures leave their sentence in
 * od_last_error. A compositor that goes away gives OD_ERR_WAYLAND_CONNECTION_LOST afterwards.
 *
 * Coordinates are logical pixels of the compositor's output layout (the space in which
 * outputs have their positions, what `swaymsg -t get_outputs` calls rect). With output scale
 * 1 they equal image pixels; a capture of an output with scale s is s times larger than its
 * logical size (its buffer pixels), as the compositor renders it.
 * ------------------------------------------------------------------------------------------- */
#define OD_ERR_WAYLAND_CONNECT 0x50         /* no compositor at that display name */
#define OD_ERR_WAYLAND_CONNECTION_LOST 0x51 /* the compositor went away or closed the connection */
#define OD_ERR_WAYLAND_NO_PROTOCOL 0x52     /* the compositor lacks the protocol the call needs */
#define OD_ERR_WAYLAND_CAPTURE 0x53         /* the compositor failed a screen copy */
#define OD_ERR_WAYLAND_TIMEOUT 0x54         /* the compositor or a client did not answer in time */
#define OD_ERR_WAYLAND_NO_SELECTION 0x55    /* the clipboard is empty or lacks the type asked for */
#define OD_ERR_WAYLAND_KEYMAP 0x56          /* a keyboard map could not be built */
#define OD_ERR_WAYLAND_SWAY_IPC 0x57        /* no sway IPC socket, or sway refused the request */

/* Protocols found at open (bits of od_wayland_display_features). */
#define OD_WAYLAND_FEATURE_SCREENCOPY (1u << 0)        /* zwlr_screencopy_manager_v1 */
#define OD_WAYLAND_FEATURE_SCREENCOPY_DAMAGE (1u << 1) /* its version >= 2: copy_with_damage */
#define OD_WAYLAND_FEATURE_XDG_OUTPUT (1u << 2)        /* zxdg_output_manager_v1: logical layout */
#define OD_WAYLAND_FEATURE_VIRTUAL_POINTER (1u << 3)   /* zwlr_virtual_pointer_manager_v1 */
#define OD_WAYLAND_FEATURE_VIRTUAL_KEYBOARD (1u << 4)  /* zwp_virtual_keyboard_manager_v1 */
#define OD_WAYLAND_FEATURE_TOPLEVELS (1u << 5)         /* zwlr_foreign_toplevel_manager_v1 */
#define OD_WAYLAND_FEATURE_DATA_CONTROL (1u << 6)      /* zwlr_data_control_manager_v1 */
#define OD_WAYLAND_FEATURE_SWAY_IPC (1u << 7)          /* sway's IPC socket answered */

typedef struct od_wayland od_wayland;

/* Connects to the compositor `display_name` (a socket name relative to $XDG_RUNTIME_DIR or an
 * absolute path; NULL or "" = $WAYLAND_DISPLAY), binds the protocols it offers and waits until
 * the outputs are described. Release with od_wayland_display_close. */
OD_API int od_wayland_display_open(const char *display_name, od_wayland **out);
/* Releases held keys and buttons, gives up a clipboard it owns, disconnects. NULL accepted. */
OD_API int od_wayland_display_close(od_wayland *wl);
OD_API int od_wayland_display_features(od_wayland *wl, uint32_t *flags);
/* The sentence of the handle's last failed call: od_last_error kept on the handle, for calls
 * made from a thread pool (the last failure of any thread using the handle). */
OD_API int od_wayland_last_error(od_wayland *wl, char *buf, uint32_t cap, uint32_t *len);

/* One output (monitor), 64 bytes. */
typedef struct od_wayland_output {
  int32_t x, y;                       /* logical position in the layout */
  uint32_t width, height;             /* logical size */
  uint32_t pixel_width, pixel_height; /* current mode in buffer pixels (before transform) */
  uint32_t width_mm, height_mm;       /* physical size, 0 when unknown */
  uint32_t scale;                     /* wl_output integer scale */
  uint32_t transform;                 /* wl_output transform (0 = normal) */
  char name[24];                      /* connector name ("HEADLESS-1"), NUL-terminated */
} od_wayland_output;
/* Writes up to `cap` outputs in the compositor's order; more than `cap`:
 * OD_ERR_BUFFER_TOO_SMALL with `*count` = the number needed. */
OD_API int od_wayland_display_outputs(od_wayland *wl, od_wayland_output *out, uint32_t cap,
                                      uint32_t *count);
/* The bounding box of all outputs in the layout. */
OD_API int od_wayland_display_bounds(od_wayland *wl, int32_t *x, int32_t *y, uint32_t *width,
                                     uint32_t *height);

/* Captures the layout area (x, y, width, height) into `frame` with screencopy. The area may
 * span outputs of the same scale; the image has (width * scale) x (height * scale) pixels.
 * OD_CAPTURE_CURSOR asks the compositor to draw the pointer. */
OD_API int od_wayland_capture_grab(od_wayland *wl, od_frame *frame, int32_t x, int32_t y,
                                   uint32_t width, uint32_t height, uint32_t flags);

/* A stream of one output's frames with damage: a static screen costs nothing. */
typedef struct od_wayland_stream od_wayland_stream;
OD_API int od_wayland_stream_open(od_wayland *wl, uint32_t output_index, uint32_t flags,
                                  od_wayland_stream **out);
/* Waits up to `timeout_ms` for the output to change (the first call returns at once with the
 * whole output), copies the new image into `frame` and writes the changed rectangles (x, y,
 * width, height in image pixels: four uint32_t each, at most `cap_rects`, else one bounding
 * rectangle) and their number. Nothing changed before the deadline: OD_OK, `*count` = 0 and
 * `frame` untouched (`timeout_ms` 0 only looks). Before returning a frame it asks the
 * compositor for the next, so a change made while the caller works on this one is copied as
 * it is shown and returned by the next call. Use one stream from one thread at a time. */
OD_API int od_wayland_stream_next(od_wayland_stream *s, od_frame *frame, uint32_t timeout_ms,
                                  uint32_t *rects, uint32_t cap_rects, uint32_t *count);
/* Close every stream before the od_wayland it came from. */
OD_API int od_wayland_stream_close(od_wayland_stream *s);

/* Pointer (zwlr_virtual_pointer_v1): absolute motion over the layout; buttons as X numbers
 * (1 left, 2 middle, 3 right, 4/5 wheel up/down, 6/7 wheel left/right, 8/9 back/forward). */
OD_API int od_wayland_input_pointer_move(od_wayland *wl, int32_t x, int32_t y);
OD_API int od_wayland_input_pointer_button(od_wayland *wl, uint32_t button, uint32_t down);
/* Wayland lets no client read the pointer: this is where the shim last moved it.
 * Before the first move: OD_ERR_STATE. */
OD_API int od_wayland_cursor_position(od_wayland *wl, int32_t *x, int32_t *y);

/* Keyboard (zwp_virtual_keyboard_v1) with a keymap the shim uploads: the layout from the
 * XKB_DEFAULT_* environment (default "us"), plus spare keycodes that the shim maps to keysyms
 * the layout lacks (the map is swapped in and restored; Wayland clients apply a new map before
 * the key events that follow it, so no settling delay is needed). Modifiers are sent
 * explicitly from the shim's own keyboard state. */
OD_API int od_wayland_input_key(od_wayland *wl, uint32_t keysym, uint32_t down);
/* Types code points (line feed = Return, tab = Tab) with the Shift/AltGr level each needs. */
OD_API int od_wayland_input_text(od_wayland *wl, const uint32_t *codepoints, uint32_t count,
                                 uint32_t interval_us, uint32_t *typed);
/* Uploads the plain layout again when spare keycodes are mapped and none is held. */
OD_API int od_wayland_input_keymap_restore(od_wayland *wl);
OD_API int od_wayland_input_release_all(od_wayland *wl);
/* X-compatible modifier masks (Shift 1, Lock 2, Control 4, Mod1 8, Mod4 0x40, Mod5 0x80) of
 * the shim's virtual keyboard (Wayland lets no client read other devices' state). */
OD_API int od_wayland_input_modifier_state(od_wayland *wl, uint32_t *mods, uint32_t *locked);

/* Toplevel windows (zwlr_foreign_toplevel_manager_v1). Ids are the shim's, stable for the life
 * of the handle. JSON array of {id,title,app_id,activated,minimized,maximized,fullscreen}; the
 * protocol has no geometry (see od_wayland_sway_request). */
OD_API int od_wayland_windows_list(od_wayland *wl, uint8_t *buf, uint32_t cap, uint32_t *len);
/* The activated window's id, 0 for none. */
OD_API int od_wayland_windows_active(od_wayland *wl, uint32_t *id);
/* Activates the window and waits up to `timeout_ms` until the compositor reports it active. */
OD_API int od_wayland_windows_focus(od_wayland *wl, uint32_t id, uint32_t timeout_ms);
/* Asks the window to close (its client may refuse or ask the user). */
OD_API int od_wayland_windows_request_close(od_wayland *wl, uint32_t id);
#define OD_WAYLAND_STATE_MAXIMIZED 0
#define OD_WAYLAND_STATE_MINIMIZED 1
#define OD_WAYLAND_STATE_FULLSCREEN 3
/* Sets (`on` = 1) or clears one OD_WAYLAND_STATE_* of the window. */
OD_API int od_wayland_windows_set_state(od_wayland *wl, uint32_t id, uint32_t state, uint32_t on);

/* sway's IPC (when the compositor is sway): sends message `type` (0 RUN_COMMAND, 3 GET_OUTPUTS,
 * 4 GET_TREE, ...) with `payload` and writes the JSON reply. Window geometry and moves come from
 * here; on other compositors window bounds are unknown (OD_ERR_WAYLAND_SWAY_IPC). */
OD_API int od_wayland_sway_request(od_wayland *wl, uint32_t type, const char *payload, uint8_t *buf,
                                   uint32_t cap, uint32_t *len);

/* Clipboard (zwlr_data_control_manager_v1): no keyboard focus needed. `packed` as
 * od_clipboard_write; text types are also offered as text/plain, UTF8_STRING, STRING, TEXT.
 * The shim serves the data to readers (any size, through the pipe) until another client takes
 * the selection. */
OD_API int od_wayland_clipboard_write(od_wayland *wl, const uint8_t *packed, uint32_t len,
                                      uint32_t timeout_ms);
OD_API int od_wayland_clipboard_owned(od_wayland *wl, int32_t *owned);
/* Reads the selection as `mime` into the handle (`*len` = its size); fetch copies it out. */
OD_API int od_wayland_clipboard_read(od_wayland *wl, const char *mime, uint32_t timeout_ms,
                                     uint32_t *len);
OD_API int od_wayland_clipboard_fetch(od_wayland *wl, uint8_t *buf, uint32_t cap, uint32_t *len);
/* The MIME types offered by the selection's owner, newline-terminated. */
OD_API int od_wayland_clipboard_targets(od_wayland *wl, uint8_t *buf, uint32_t cap, uint32_t *len);
/* ---- end of Wayland ---- */

#ifdef __cplusplus
}
#endif

#endif /* OPENDESK_H */
