/*
 * Internal declarations of the Windows backend, shared by every file in native/src/win32/.
 *
 * Rules:
 *   1. Every exported function that works in desktop coordinates calls od_win_dpi_thread() first:
 *      the calling thread then sees physical pixels (per-monitor-v2 awareness), whatever the
 *      host process declared. FFI calls arrive on varying threads, so this is per call.
 *   2. Failures go through od_win_fail / od_win_fail_sys: they keep the text on the handle (when
 *      there is one) and in the calling thread's last error (od_last_error), and log it.
 *   3. Strings cross the ABI as UTF-8; Win32 calls use the wide (UTF-16) variants.
 */
#ifndef OD_WIN32_H
#define OD_WIN32_H

#include "../common/_common.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#define OD_WIN_MAX_HELD 32

/* A key (virtual-key code) or button the shim pressed and has not released. */
typedef struct {
  uint32_t is_button;
  uint32_t code; /* button number 1-9, or virtual-key code */
  uint32_t unicode; /* for keys typed as KEYEVENTF_UNICODE: the UTF-16 unit, else 0 */
  uint32_t auto_shift; /* the shim pressed Shift for this key and releases it with it */
} od_win_held;

struct od_dxgi; /* capture_dxgi.c */

struct od_display {
  CRITICAL_SECTION lock; /* guards held keys and the DXGI state */
  uint32_t features;     /* OD_FEATURE_WIN_* */
  od_win_held held[OD_WIN_MAX_HELD];
  uint32_t held_count;
  struct od_dxgi *dxgi; /* NULL when Desktop Duplication is unavailable */
  char error[OD_ERROR_TEXT];
};

/* Records `fmt` on `error` (may be NULL) and as the thread's last error; returns `status`. */
int od_win_fail(char *error, int status, const char *fmt, ...)
    __attribute__((format(gnu_printf, 3, 4)));
/* Same, appending the text of GetLastError() (read before anything else runs). */
int od_win_fail_sys(char *error, int status, const char *fmt, ...)
    __attribute__((format(gnu_printf, 3, 4)));
/* Same, appending an HRESULT in hex. */
int od_win_fail_hr(char *error, int status, long hr, const char *fmt, ...)
    __attribute__((format(gnu_printf, 4, 5)));

/* Per-monitor-v2 DPI awareness for the calling thread (and, once, the process when allowed). */
void od_win_dpi_thread(void);
/* 1 when Windows has per-thread DPI awareness contexts (Windows 10 1607 and later). */
int od_win_per_monitor_available(void);

/* UTF-8 -> UTF-16, malloc'd and NUL-terminated (NULL on bad input or no memory; `n` may be
 * -1 for NUL-terminated input). `*units` (optional) receives the length without the NUL. */
wchar_t *od_win_wide(const char *utf8, int n, int *units);
/* UTF-16 -> UTF-8, malloc'd and NUL-terminated; `n` -1 for NUL-terminated input. */
char *od_win_utf8(const wchar_t *wide, int n, int *bytes);

/* The virtual screen (all monitors) in physical pixels. */
void od_win_virtual_screen(RECT *out);

/* Desktop Duplication (capture_dxgi.c). od_dxgi_open returns NULL when unavailable. */
struct od_dxgi *od_dxgi_open(char *why, size_t why_cap);
void od_dxgi_close(struct od_dxgi *dx);
/* Copies the area into `frame` when it lies inside one duplicated output. Returns OD_OK, or
 * OD_ERR_UNSUPPORTED when GDI must be used instead (area spans outputs, access lost). */
int od_dxgi_grab(struct od_dxgi *dx, od_frame *frame, const RECT *area);

/* Draws the pointer into a BGRX image whose top-left pixel is desktop point (x0, y0). */
void od_win_draw_cursor(uint8_t *pixels, uint32_t width, uint32_t height, uint32_t stride,
                        int32_t x0, int32_t y0);

/* SendInput of `n` events; fails with OD_ERR_WIN_INPUT_BLOCKED when Windows took fewer. */
int od_win_send(od_display *d, INPUT *events, uint32_t n);
/* Adds (down) or removes a held key or button (lock held). */
void od_win_track(od_display *d, uint32_t is_button, uint32_t code, uint32_t unicode, int down);
/* The held entry of a key (lock held), NULL when it is not held. */
od_win_held *od_win_held_key(od_display *d, uint32_t code, uint32_t unicode);

/* Windows of process `pid` (0 = any) that are visible, top-level and unowned; callback style. */
typedef int (*od_win_each_fn)(HWND hwnd, void *arg); /* return 0 to stop */
void od_win_each_window(od_win_each_fn fn, void *arg);

/* Monotonic milliseconds. */
uint64_t od_win_now_ms(void);

#endif /* OD_WIN32_H */
