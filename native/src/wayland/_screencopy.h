/* One screencopy frame request and what the compositor said about it (capture.c, stream.c). */
#ifndef OD_WL_SCREENCOPY_H
#define OD_WL_SCREENCOPY_H

#include "_wayland.h"

#define OD_WL_COPY_TIMEOUT_MS 3000
#define OD_WL_MAX_DAMAGE 64

typedef struct od_wl_copy {
  struct zwlr_screencopy_frame_v1 *frame;
  uint32_t format, width, height, stride; /* the shm buffer the compositor wants */
  int have_shm;
  int described; /* every buffer event arrived */
  int finished;  /* ready or failed arrived */
  int failed;
  uint32_t flags; /* ZWLR_SCREENCOPY_FRAME_V1_FLAGS_* */
  uint32_t damage[OD_WL_MAX_DAMAGE][4];
  uint32_t damage_count;
  int damage_overflow;
} od_wl_copy;

/* With the lock held: starts a copy of `output` (the whole output when `region` is NULL,
 * else x, y, width, height in the output's logical coordinates) and waits for its buffer
 * description. On failure the copy is cleaned up. */
int od_wl_copy_start(od_wayland *wl, od_wl_copy *c, struct wl_output *output, const int32_t *region,
                     int overlay_cursor);
/* With the lock held: copies into `buffer` (with damage when `with_damage`) and waits up to
 * `timeout_ms` for the result. OD_ERR_WAYLAND_TIMEOUT leaves the copy pending. */
int od_wl_copy_run(od_wayland *wl, od_wl_copy *c, od_wl_buffer *buffer, int with_damage,
                   uint32_t timeout_ms);
/* With the lock held: waits again for a pending copy. */
int od_wl_copy_wait(od_wayland *wl, od_wl_copy *c, uint32_t timeout_ms);
void od_wl_copy_finish(od_wl_copy *c);

#endif
