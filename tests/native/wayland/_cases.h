/* The test cases of the Wayland driver's C test, one file per area. */
#ifndef OD_WL_TEST_CASES_H
#define OD_WL_TEST_CASES_H

#include "../../../native/include/opendesk.h"
#include "_harness.h"

/* The running desktop: the driver's handle, the GTK probe and foot. */
typedef struct {
  od_wayland *wl;
  child probe;
  pid_t foot;
  char tree[1 << 20]; /* last sway tree */
} desk;

/* sway's tree (GET_TREE) into d->tree; 0 on failure. */
int desk_tree(desk *d);
/* A window's rect from sway's tree; 0 when the window is not there. */
int desk_rect(desk *d, const char *app_id, long r[4]);
/* The driver's window id for an app_id, 0 when the list lacks it. */
uint32_t desk_window(desk *d, const char *app_id);
/* Waits until the probe's entry holds `want`; returns 1 when it did. */
int probe_wait_text(desk *d, const char *want, int timeout_ms, char *last, size_t cap);
/* Waits until the probe prints `want`. */
int probe_wait_line(desk *d, const char *want, int timeout_ms);
/* Clears the probe's entry. */
int probe_clear(desk *d);
/* Encodes a string as JSON the way Python's json.dumps does (ASCII only, \uXXXX escapes). */
void json_ascii(const char *utf8, char *out, size_t cap);

void test_capture(desk *d);
void test_stream(desk *d);
void test_pointer(desk *d);
void test_keyboard(desk *d);
void test_windows(desk *d);
void test_clipboard(desk *d);
void test_outputs_scaled(desk *d);

#endif
