/* od_wl_stream_*: one output's frames with copy_with_damage. The compositor answers a copy
 * with damage only once the output changed, so a static screen sends nothing; a copy still
 * pending at the caller's deadline stays pending for the next call. */
#include "_screencopy.h"

#include <stdlib.h>
#include <string.h>

struct od_wayland_stream {
  od_wayland *wl;
  uint32_t global; /* the output's registry name: the output may go away */
  uint32_t flags;
  od_wl_buffer buffer;
  od_wl_copy copy; /* the pending copy when copy.frame is set */
  int pending;
};

OD_API int od_wayland_stream_open(od_wayland *wl, uint32_t output_index, uint32_t flags,
                                  od_wayland_stream **out) {
  if (!wl || !out) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_stream_open: NULL argument");
  *out = NULL;
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  if (!(wl->features & OD_WAYLAND_FEATURE_SCREENCOPY_DAMAGE)) {
    status = od_fail(OD_ERR_WAYLAND_NO_PROTOCOL, "The compositor's screencopy has no damage "
                     "(version 2 or later is needed)");
  } else if (output_index >= wl->output_count) {
    status = od_fail(OD_ERR_NOT_FOUND, "There is no output %u (the compositor has %u)",
                     output_index, wl->output_count);
  } else {
    od_wayland_stream *s = calloc(1, sizeof *s);
    if (!s) {
      status = od_fail(OD_ERR_NO_MEMORY, "Out of memory");
    } else {
      s->wl = wl;
      s->global = wl->outputs[output_index].global;
      s->flags = flags;
      *out = s;
    }
  }
  return od_wl_end(wl, status);
}

/* Starts a copy with damage (lock held). */
static int od_stream_start(od_wayland_stream *s) {
  od_wayland *wl = s->wl;
  struct wl_output *output = NULL;
  for (uint32_t i = 0; i < wl->output_count; i++)
    if (wl->outputs[i].global == s->global) output = wl->outputs[i].output;
  if (!output) return od_fail(OD_ERR_NOT_FOUND, "The stream's output was removed");
  int status = od_wl_copy_start(wl, &s->copy, output, NULL, (s->flags & OD_CAPTURE_CURSOR) != 0);
  if (status != OD_OK) return status;
  od_wl_copy *c = &s->copy;
  od_wl_buffer *b = &s->buffer;
  if (!b->buffer || b->format != c->format || b->width != c->width || b->height != c->height ||
      b->stride != c->stride) {
    od_wl_buffer_destroy(b);
    status = od_wl_buffer_create(wl, c->format, c->width, c->height, c->stride, b);
    if (status != OD_OK) {
      od_wl_copy_finish(c);
      return status;
    }
  }
  zwlr_screencopy_frame_v1_copy_with_damage(c->frame, b->buffer);
  s->pending = 1;
  return OD_OK;
}

/* Writes the damage of a finished copy as rectangles in image pixels. */
static void od_stream_rects(const od_wl_copy *c, uint32_t *rects, uint32_t cap, uint32_t *count) {
  int invert = (c->flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT) != 0;
  uint32_t n = c->damage_count;
  if (n == 0 || c->damage_overflow || n > cap) {
    /* Unknown or too many rectangles: one covering all of them (or the whole image). */
    uint32_t x0 = c->width, y0 = c->height, x1 = 0, y1 = 0;
    if (n == 0 || c->damage_overflow) x0 = 0, y0 = 0, x1 = c->width, y1 = c->height;
    for (uint32_t i = 0; i < n && !c->damage_overflow; i++) {
      const uint32_t *r = c->damage[i];
      if (r[0] < x0) x0 = r[0];
      if (r[1] < y0) y0 = r[1];
      if (r[0] + r[2] > x1) x1 = r[0] + r[2];
      if (r[1] + r[3] > y1) y1 = r[1] + r[3];
    }
    if (cap == 0) {
      *count = 0;
      return;
    }
    uint32_t r[4] = {x0, y0, x1 - x0, y1 - y0};
    if (invert) r[1] = c->height - (r[1] + r[3]);
    memcpy(rects, r, sizeof r);
    *count = 1;
    return;
  }
  for (uint32_t i = 0; i < n; i++) {
    uint32_t r[4] = {c->damage[i][0], c->damage[i][1], c->damage[i][2], c->damage[i][3]};
    if (invert) r[1] = c->height - (r[1] + r[3]);
    memcpy(rects + 4 * i, r, sizeof r);
  }
  *count = n;
}

OD_API int od_wayland_stream_next(od_wayland_stream *s, od_frame *frame, uint32_t timeout_ms,
                                  uint32_t *rects, uint32_t cap_rects, uint32_t *count) {
  if (!s || !frame || !count || (cap_rects > 0 && !rects))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_stream_next: NULL argument");
  *count = 0;
  od_wayland *wl = s->wl;
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  if (!s->pending) status = od_stream_start(s);
  if (status == OD_OK) {
    status = od_wl_copy_wait(wl, &s->copy, timeout_ms);
    if (status == OD_ERR_WAYLAND_TIMEOUT) {
      status = OD_OK; /* nothing changed: the copy stays pending */
    } else {
      s->pending = 0;
      if (status == OD_OK) {
        const od_wl_buffer *b = &s->buffer;
        status = od_frame_reserve_own(frame, (size_t)b->width * b->height * 4);
        if (status == OD_OK)
          status = od_wl_buffer_to_bgrx(
              b, (s->copy.flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT) != 0, frame->own,
              b->width * 4);
        if (status == OD_OK) {
          frame->pixels = frame->own;
          frame->width = b->width;
          frame->height = b->height;
          frame->stride = b->width * 4;
          od_stream_rects(&s->copy, rects, cap_rects, count);
        }
      }
      od_wl_copy_finish(&s->copy);
    }
  }
  return od_wl_end(wl, status);
}

OD_API int od_wayland_stream_close(od_wayland_stream *s) {
  if (!s) return OD_OK;
  pthread_mutex_lock(&s->wl->lock);
  if (s->pending) od_wl_copy_finish(&s->copy);
  od_wl_buffer_destroy(&s->buffer);
  if (!s->wl->lost) wl_display_flush(s->wl->display);
  pthread_mutex_unlock(&s->wl->lock);
  free(s);
  return OD_OK;
}
