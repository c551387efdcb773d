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

/* Writes to `*out` a capacity that is always large enough to encode a
 * `width` x `height` image in `format`. */
OD_API int od_encode_bound(uint32_t format, uint32_t width, uint32_t height, uint64_t *out);

/* Encodes the sub-rectangle (x, y, width, height) of the frame's image in
 * `format` into `out` (capacity `cap`); `*len` receives the bytes written.
 * `quality` (1-100) applies to JPEG; PNG is always lossless (RGB, 8 bit).
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
/* Walks one accessible tree into JSON {"app","tree","truncated","nodes","elapsed_ms"}; tree
 * nodes are {role,name,value,bounds:[x,y,w,h]|null,focused,enabled,editable,actions,ref,
 * children}. The root: the application with process `pid` (> 0) or whose name contains `app`,
 * narrowed to its window named `title` when given; with none of them, the active window.
 * Budgets: `max_depth` levels below the root, `max_nodes` nodes, `deadline_ms` in total (also
 * applied as the D-Bus timeout of each call); "truncated" names the budget that cut the walk
 * ("depth", "nodes", "deadline") or is null. No matching root: OD_ERR_NOT_FOUND, or
 * OD_ERR_A11Y_TIMEOUT when the deadline passed while looking. `flags`: 0. */
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

#ifdef __cplusplus
}
#endif

#endif /* OPENDESK_H */
