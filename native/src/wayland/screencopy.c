/* The screencopy frame protocol: describe the buffer, copy into it, wait for ready or failed. */
#include "_screencopy.h"

#include <string.h>

static void od_sc_buffer(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format,
                         uint32_t width, uint32_t height, uint32_t stride) {
  od_wl_copy *c = data;
  if (!c->have_shm) {
    c->format = format;
    c->width = width;
    c->height = height;
    c->stride = stride;
    c->have_shm = 1;
  }
  if (zwlr_screencopy_frame_v1_get_version(f) < 3) c->described = 1;
}

static void od_sc_flags(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t flags) {
  ((od_wl_copy *)data)->flags = flags;
}

static void od_sc_ready(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t hi, uint32_t lo,
                        uint32_t ns) {
  ((od_wl_copy *)data)->finished = 1;
}

static void od_sc_failed(void *data, struct zwlr_screencopy_frame_v1 *f) {
  od_wl_copy *c = data;
  c->failed = 1;
  c->finished = 1;
  c->described = 1; /* a copy that fails before describing its buffer ends too */
}

static void od_sc_damage(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t x, uint32_t y,
                         uint32_t w, uint32_t h) {
  od_wl_copy *c = data;
  if (c->damage_count < OD_WL_MAX_DAMAGE) {
    uint32_t *r = c->damage[c->damage_count++];
    r[0] = x, r[1] = y, r[2] = w, r[3] = h;
  } else {
    c->damage_overflow = 1;
  }
}

static void od_sc_dmabuf(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format,
                         uint32_t width, uint32_t height) {}

static void od_sc_buffer_done(void *data, struct zwlr_screencopy_frame_v1 *f) {
  ((od_wl_copy *)data)->described = 1;
}

static const struct zwlr_screencopy_frame_v1_listener od_sc_listener = {
    .buffer = od_sc_buffer,
    .flags = od_sc_flags,
    .ready = od_sc_ready,
    .failed = od_sc_failed,
    .damage = od_sc_damage,
    .linux_dmabuf = od_sc_dmabuf,
    .buffer_done = od_sc_buffer_done,
};

int od_wl_copy_start(od_wayland *wl, od_wl_copy *c, struct wl_output *output, const int32_t *region,
                     int overlay_cursor) {
  memset(c, 0, sizeof *c);
  if (!wl->screencopy)
    return od_fail(OD_ERR_WAYLAND_NO_PROTOCOL, "The compositor does not offer screen capture "
                   "(zwlr_screencopy_manager_v1); it works on wlroots compositors");
  if (region)
    c->frame = zwlr_screencopy_manager_v1_capture_output_region(
        wl->screencopy, overlay_cursor, output, region[0], region[1], region[2], region[3]);
  else
    c->frame = zwlr_screencopy_manager_v1_capture_output(wl->screencopy, overlay_cursor, output);
  zwlr_screencopy_frame_v1_add_listener(c->frame, &od_sc_listener, c);
  int status = od_wl_wait(wl, &c->described, OD_WL_COPY_TIMEOUT_MS);
  if (status == OD_OK && (c->failed || !c->have_shm))
    status = od_fail(OD_ERR_WAYLAND_CAPTURE, "The compositor refused to capture the output%s",
                     c->failed ? "" : " into shared memory");
  if (status != OD_OK) od_wl_copy_finish(c);
  return status;
}

int od_wl_copy_wait(od_wayland *wl, od_wl_copy *c, uint32_t timeout_ms) {
  int status = od_wl_wait(wl, &c->finished, timeout_ms);
  if (status == OD_OK && c->failed)
    status = od_fail(OD_ERR_WAYLAND_CAPTURE, "The compositor failed the screen copy (the output "
                     "may have changed or gone away)");
  return status;
}

int od_wl_copy_run(od_wayland *wl, od_wl_copy *c, od_wl_buffer *buffer, int with_damage,
                   uint32_t timeout_ms) {
  if (with_damage)
    zwlr_screencopy_frame_v1_copy_with_damage(c->frame, buffer->buffer);
  else
    zwlr_screencopy_frame_v1_copy(c->frame, buffer->buffer);
  return od_wl_copy_wait(wl, c, timeout_ms);
}

void od_wl_copy_finish(od_wl_copy *c) {
  if (c->frame) zwlr_screencopy_frame_v1_destroy(c->frame);
  c->frame = NULL;
}
