/*
 * Internal declarations of the X11 driver, shared by the files in
 * native/src/x11/ that use an od_display (display.c, capture.c, input.c,
 * keymap.c, pixel.c) under the same handle, lock and error trap.
 *
 * Rules for code that talks to the server through an od_display:
 *   1. Call od_x11_begin(display) first: it takes the display lock and fails
 *      with OD_ERR_X11_CONNECTION_LOST once the server is gone.
 *   2. Wrap requests that may fail in od_x11_trap_begin / od_x11_trap_end
 *      (trap_end syncs and returns OD_ERR_X11_REQUEST if the server answered
 *      with an error; the details land in display->error).
 *   3. Call od_x11_end(display) on every path (it releases the lock).
 * Never call Xlib on display->dpy without holding the lock, and never block
 * for long with it held (encode outside it).
 */
#ifndef OD_X11_H
#define OD_X11_H

#include "../common/_common.h"

#include <X11/Xlib.h>
#include <pthread.h>
#include <time.h>

#define OD_MAX_SPARE 64
#define OD_MAX_HELD 32

/* A spare keycode (no keysyms in the layout) the shim may map on demand. */
typedef struct {
  KeyCode keycode;
  KeySym keysym;      /* what it is mapped to now, NoSymbol when unmapped */
  uint32_t held;      /* pressed through od_input_key and not yet released */
  struct timespec last_used;
} od_spare_key;

/* A key or button the shim pressed and has not released. */
typedef struct {
  uint32_t is_button;
  uint32_t code; /* button number or keycode */
} od_held;

struct od_frame_shm; /* capture.c */

struct od_display {
  Display *dpy;
  int screen;
  Window root;
  pthread_mutex_t lock;
  volatile int lost;  /* set by the I/O error exit handler */
  uint32_t features;  /* OD_FEATURE_* */
  int xfixes_event, xfixes_error;
  /* Error trap (valid while the lock is held). */
  int trapping;
  int trapped_code, trapped_request, trapped_minor;
  /* Pixel format of the root window. */
  int depth, bits_per_pixel;
  unsigned long red_mask, green_mask, blue_mask;
  /* Keyboard state owned by input.c and keymap.c. */
  od_spare_key spare[OD_MAX_SPARE];
  uint32_t spare_count;
  uint32_t spare_next;
  struct timespec barrier_at; /* when the key receiver last confirmed it caught up */
  od_held held[OD_MAX_HELD];
  uint32_t held_count;
  /* Frames whose shared memory is attached to this display (capture.c). */
  struct od_frame_shm *shm_frames;
  char error[OD_ERROR_TEXT];
};

/* Takes the lock; fails (without holding it) when the connection is lost. */
int od_x11_begin(od_display *d);
/* Releases the lock; turns OD_OK into OD_ERR_X11_CONNECTION_LOST when the
 * connection was lost during the call. Returns the (possibly changed) status. */
int od_x11_end(od_display *d, int status);

/* Error trap around requests, with the lock held. */
void od_x11_trap_begin(od_display *d);
int od_x11_trap_end(od_display *d, const char *what);

/* Records a failure text on the display (and logs it); returns `status`. */
int od_x11_fail(od_display *d, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* capture.c: detaches every frame's shared memory (called by od_display_close). */
void od_x11_release_shm_frames(od_display *d);

/* keymap.c: keyboard helpers used by input.c, all with the lock held. */
typedef struct od_layout od_layout; /* what the current layout's keys produce */
/* Reads the layout in the current modifier state; free() the result. */
int od_x11_layout_new(od_display *d, od_layout **out);
/* Reads the layout's own keys (no modifier held, current group): what a key
 * event presses, so that modifiers the caller holds act on it. */
int od_x11_key_layout_new(od_display *d, od_layout **out);
/* Modifiers a found key needs added (bits of `*shift` below). */
#define OD_ADD_SHIFT 1
#define OD_ADD_LEVEL3 2
/* Finds a layout key for `keysym` (spares excluded); returns 1 when found. */
int od_x11_layout_find(const od_layout *layout, KeySym keysym, KeyCode *keycode, int *shift);
/* The layout's ISO_Level3_Shift (AltGr) key, or 0 when it has none. */
KeyCode od_x11_layout_level3_key(const od_layout *layout);
/* Finds (or maps a spare keycode for) `keysym`; `pin` keeps a spare mapped
 * until od_x11_spare_release. `*shift` tells which modifiers must be added
 * (OD_ADD_SHIFT, OD_ADD_LEVEL3). */
int od_x11_keycode_for(od_display *d, const od_layout *layout, KeySym keysym, int pin,
                       KeyCode *keycode, int *shift);
/* Maps spares for every keysym of `syms` the layout lacks, in one go. */
int od_x11_keymap_prepare(od_display *d, const od_layout *layout, const KeySym *syms,
                          uint32_t n);
void od_x11_spare_release(od_display *d, KeyCode keycode);
void od_x11_keymap_scan(od_display *d);
/* Unmaps every spare not held, after `settle_us` since its last use. */
int od_x11_keymap_restore_locked(od_display *d, uint32_t settle_us);

/* key_barrier.c: waits (lock released) until the client receiving keys has handled every
 * event sent so far; 1 when it confirmed within `timeout_ms`, 0 otherwise. */
int od_x11_key_barrier(od_display *d, uint32_t timeout_ms);

/* input.c: a key or button press/release through XTEST, tracked in `held`. */
int od_x11_fake_key(od_display *d, KeyCode keycode, int down);
int od_x11_fake_button(od_display *d, uint32_t button, int down);

/* Monotonic helpers. */
void od_now(struct timespec *ts);
uint64_t od_elapsed_us(const struct timespec *since);
void od_sleep_us(uint64_t us);

#endif /* OD_X11_H */
