/*
 * Internal state of the Wayland driver (not part of the ABI).
 *
 * Threading rule: one reader thread per od_wayland reads and dispatches the connection's events,
 * always holding `lock` while it dispatches. Every API call takes `lock` to create protocol
 * objects, send requests and look at state that listeners write, and waits for answers on
 * `cond` (broadcast after every dispatch). So listeners never race API calls, and a proxy
 * always has its listener before any event for it can be dispatched.
 */
#ifndef OD_WAYLAND_H
#define OD_WAYLAND_H

#include "../common/_common.h"

#include <pthread.h>
#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "virtual-keyboard-unstable-v1-client-protocol.h"
#include "wlr-data-control-unstable-v1-client-protocol.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"
#include "wlr-screencopy-unstable-v1-client-protocol.h"
#include "wlr-virtual-pointer-unstable-v1-client-protocol.h"
#include "xdg-output-unstable-v1-client-protocol.h"

#define OD_WL_MAX_OUTPUTS 16
#define OD_WL_MAX_SPARE 128

typedef struct od_wl_out {
  uint32_t global;
  struct wl_output *output;
  struct zxdg_output_v1 *xdg;
  od_wayland_output info;
  int described; /* wl_output.done seen */
} od_wl_out;

typedef struct od_wl_toplevel {
  uint32_t id;
  struct zwlr_foreign_toplevel_handle_v1 *handle;
  char *title, *app_id;
  uint32_t state; /* bit (1 << OD_WAYLAND_STATE_*), plus bit 2 for activated */
  int closed;
  struct od_wl_toplevel *next;
} od_wl_toplevel;

typedef struct od_wl_offer {
  struct zwlr_data_control_offer_v1 *offer;
  char *mimes; /* newline-terminated list */
  size_t mimes_len;
  struct od_wl_offer *next;
} od_wl_offer;

typedef struct od_wl_keyboard {
  struct zwp_virtual_keyboard_v1 *vk;
  struct xkb_context *ctx;
  struct xkb_keymap *base;   /* the plain layout */
  char *base_text;           /* its text */
  struct xkb_keymap *active; /* the map uploaded now (base or base + spares) */
  struct xkb_state *state;   /* tracks the keys the shim holds */
  uint32_t spare_code[OD_WL_MAX_SPARE]; /* unused keycodes of the base map */
  uint32_t spare_sym[OD_WL_MAX_SPARE];  /* keysym mapped there in the active map, 0 = none */
  uint32_t spare_count;
  int spares_uploaded; /* the active map has spare keysyms */
  uint8_t held[1024];  /* keycodes the shim holds down */
  uint32_t sent[4];    /* modifiers last sent: depressed, latched, locked, group */
  int sent_valid;
} od_wl_keyboard;

/* A shared-memory wl_buffer (memfd) of `stride * height` bytes. */
typedef struct od_wl_buffer {
  struct wl_buffer *buffer;
  uint8_t *data;
  size_t size;
  uint32_t width, height, stride, format;
} od_wl_buffer;
struct od_wayland {
  char display_name[256]; /* as given to od_wayland_display_open, else $WAYLAND_DISPLAY */
  struct wl_display *display;
  struct wl_registry *registry;
  struct wl_shm *shm;
  struct wl_seat *seat;
  uint32_t seat_caps; /* WL_SEAT_CAPABILITY_* as the compositor announces them */
  struct zxdg_output_manager_v1 *xdg_outputs;
  struct zwlr_screencopy_manager_v1 *screencopy;
  uint32_t screencopy_version;
  struct zwlr_virtual_pointer_manager_v1 *pointer_manager;
  struct zwp_virtual_keyboard_manager_v1 *keyboard_manager;
  struct zwlr_foreign_toplevel_manager_v1 *toplevel_manager;
  struct zwlr_data_control_manager_v1 *data_control;
  uint32_t features;

  pthread_t reader;
  int reader_started;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int wake[2]; /* wakes the reader to stop */
  int stop;
  int lost; /* the connection failed: every later call fails */
  char error[OD_ERROR_TEXT]; /* the last failed call's sentence, for od_wayland_last_error (lock) */

  od_wl_out outputs[OD_WL_MAX_OUTPUTS];
  uint32_t output_count;

  pthread_mutex_t capture_lock; /* one screencopy at a time per handle */
  od_wl_buffer grab_buffers[OD_WL_MAX_OUTPUTS]; /* kept between captures (capture_lock) */

  struct zwlr_virtual_pointer_v1 *pointer;
  int pointer_known;
  int32_t pointer_x, pointer_y;
  uint32_t buttons_held; /* bit per X button */

  od_wl_keyboard kb;

  od_wl_toplevel *toplevels;
  uint32_t next_toplevel_id;
  uint32_t toplevel_waiters; /* calls waiting on a window: closed ones are not freed meanwhile */

  struct zwlr_data_control_device_v1 *data_device;
  od_wl_offer *offers;          /* offers announced, not yet destroyed */
  od_wl_offer *selection;       /* the current selection's offer, or NULL */
  struct zwlr_data_control_source_v1 *source; /* ours while we own the selection */
  uint8_t *source_data;         /* packed entries served by `source` */
  uint32_t source_len;
  uint8_t *read_data;           /* bytes of the last clipboard read */
  size_t read_len;
  pthread_mutex_t clipboard_lock;
};

/* Takes the lock; fails with OD_ERR_WAYLAND_CONNECTION_LOST (lock not held) when the connection is
 * gone. */
int od_wl_begin(od_wayland *wl);
/* Flushes requests and releases the lock; returns `status`, or the loss of the connection. A
 * failure's sentence (the calling thread's last error) is kept on the handle first. */
int od_wl_end(od_wayland *wl, int status);
/* Keeps a failure's sentence on the handle for a call that ends outside od_wl_begin/od_wl_end
 * (takes the lock); returns `status`. */
int od_wl_kept(od_wayland *wl, int status);
/* With the lock held: waits until *flag becomes non-zero, the connection is lost or
 * `timeout_ms` passes. Returns OD_OK, OD_ERR_WAYLAND_CONNECTION_LOST or OD_ERR_WAYLAND_TIMEOUT. */
int od_wl_wait(od_wayland *wl, const volatile int *flag, uint32_t timeout_ms);
/* With the lock held: waits until the compositor has handled every request sent so far. */
int od_wl_sync(od_wayland *wl, uint32_t timeout_ms);
/* Milliseconds of a monotonic clock (event timestamps). */
uint32_t od_wl_now_ms(void);

/* Per-part set-up and tear-down, called by od_wayland_display_open / od_wayland_display_close. */
void od_wl_outputs_add(od_wayland *wl, uint32_t global, uint32_t version);
void od_wl_outputs_remove(od_wayland *wl, uint32_t global);
void od_wl_outputs_describe(od_wayland *wl);
void od_wl_outputs_free(od_wayland *wl);
void od_wl_toplevels_start(od_wayland *wl);
void od_wl_toplevels_free(od_wayland *wl);
void od_wl_clipboard_start(od_wayland *wl);
void od_wl_clipboard_free(od_wayland *wl);
/* Takes the lock for a clipboard call; fails (lock not held) without data control. */
int od_clip_begin(od_wayland *wl);
void od_wl_input_start(od_wayland *wl); /* before the reader starts */
void od_wl_input_free(od_wayland *wl);
void od_wl_sway_probe(od_wayland *wl);
void od_wl_pointer_release(od_wayland *wl); /* lock held */

int od_wl_buffer_create(od_wayland *wl, uint32_t format, uint32_t width, uint32_t height,
                        uint32_t stride, od_wl_buffer *out);
void od_wl_buffer_destroy(od_wl_buffer *b);
/* Copies a screencopy buffer's pixels into BGRX rows at `dst` (`dst_stride` bytes apart),
 * turning it upside down when `y_invert`. Unknown pixel formats fail. */
int od_wl_buffer_to_bgrx(const od_wl_buffer *b, int y_invert, uint8_t *dst, uint32_t dst_stride);
/* Creates an anonymous file of `size` bytes holding `data` (for keymaps); -1 on failure. */
int od_wl_memfd(const char *name, const void *data, size_t size);

#endif /* OD_WAYLAND_H */
