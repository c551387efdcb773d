/* od_wayland_stream_*: one output's frames with copy_with_damage. The compositor answers a copy
 * with damage only once the output changed, so a static screen sends nothing.
 *
 * A copy is pending whenever no finished image waits for the caller, and the reader thread
 * requests it itself (capture, then copy on the buffer description): the compositor copies the
 * first change it shows after the last copy while the caller still encodes and sends, with no
 * round trip through the caller in between. At most one finished image waits; the next copy is
 * requested when the caller takes it. Three buffers: one being copied into, one waiting, one
 * the caller reads without the lock. */
#include "_screencopy.h"

#include <stdlib.h>
#include <string.h>

#define OD_STREAM_BUFFERS 3

struct od_wayland_stream {
  od_wayland *wl;
  uint32_t global; /* the output's registry name: the output may go away */
  uint32_t flags;
  od_wl_buffer buffers[OD_STREAM_BUFFERS];
  od_wl_copy copy; /* the copy in flight when copy.frame is set */
  int copying;     /* buffer the copy in flight writes, -1 while it is being described */
  int ready;       /* buffer holding a finished image for the caller, -1 for none */
  uint32_t ready_flags;
  uint32_t ready_damage[OD_WL_MAX_DAMAGE][4];
  uint32_t ready_damage_count;
  int ready_overflow;
  int reading;  /* buffer the caller is converting, -1 for none */
  int event;    /* a finished image or a failure is waiting (the caller's wait flag) */
  int failed;   /* the last copy failed; `error` says why */
  int started;  /* the first copy was requested */
  char error[OD_ERROR_TEXT];
};

static void od_stream_arm(od_wayland_stream *s);

/* Records a failure for the caller (lock held; the text is the calling thread's last error). */
static void od_stream_failed(od_wayland_stream *s) {
  od_last_error(s->error, sizeof s->error, &(uint32_t){0});
  s->failed = 1;
  s->event = 1;
  od_wl_copy_finish(&s->copy);
  s->copying = -1;
}

static void od_st_buffer(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format,
                         uint32_t width, uint32_t height, uint32_t stride) {
  od_wl_copy *c = &((od_wayland_stream *)data)->copy;
  if (!c->have_shm) c->format = format, c->width = width, c->height = height, c->stride = stride;
  c->have_shm = 1;
}

/* The buffer is described: copy into a free buffer of that shape (made when none fits). */
static void od_st_described(od_wayland_stream *s) {
  od_wl_copy *c = &s->copy;
  if (!c->have_shm) {
    od_fail(OD_ERR_WAYLAND_CAPTURE, "The compositor offers no shared-memory capture buffer");
    od_stream_failed(s);
    return;
  }
  int pick = -1;
  for (int i = 0; i < OD_STREAM_BUFFERS; i++) {
    if (i == s->ready || i == s->reading) continue;
    od_wl_buffer *b = &s->buffers[i];
    if (b->buffer && b->format == c->format && b->width == c->width &&
        b->height == c->height && b->stride == c->stride) {
      pick = i;
      break;
    }
    if (pick < 0) pick = i;
  }
  od_wl_buffer *b = &s->buffers[pick];
  if (!b->buffer || b->format != c->format || b->width != c->width || b->height != c->height ||
      b->stride != c->stride) {
    od_wl_buffer_destroy(b);
    if (od_wl_buffer_create(s->wl, c->format, c->width, c->height, c->stride, b) != OD_OK) {
      od_stream_failed(s);
      return;
    }
  }
  s->copying = pick;
  /* The first copy is a plain one: the compositor tracks damage per client and output, so after
   * an earlier stream of this connection a first copy with damage would wait for a change. */
  if (s->started) zwlr_screencopy_frame_v1_copy_with_damage(c->frame, b->buffer);
  else zwlr_screencopy_frame_v1_copy(c->frame, b->buffer);
  s->started = 1;
}

static void od_st_buffer_v2(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format,
                            uint32_t width, uint32_t height, uint32_t stride) {
  od_st_buffer(data, f, format, width, height, stride);
  /* Before version 3 the one shm buffer event is the whole description. */
  if (zwlr_screencopy_frame_v1_get_version(f) < 3) od_st_described(data);
}

static void od_st_buffer_done(void *data, struct zwlr_screencopy_frame_v1 *f) {
  od_st_described(data);
}

static void od_st_flags(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t flags) {
  ((od_wayland_stream *)data)->copy.flags = flags;
}

static void od_st_damage(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t x, uint32_t y,
                         uint32_t w, uint32_t h) {
  od_wl_copy *c = &((od_wayland_stream *)data)->copy;
  if (c->damage_count < OD_WL_MAX_DAMAGE) {
    uint32_t *r = c->damage[c->damage_count++];
    r[0] = x, r[1] = y, r[2] = w, r[3] = h;
  } else {
    c->damage_overflow = 1;
  }
}

static void od_st_ready(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t hi, uint32_t lo,
                        uint32_t ns) {
  od_wayland_stream *s = data;
  od_wl_copy *c = &s->copy;
  s->ready = s->copying;
  s->ready_flags = c->flags;
  s->ready_damage_count = c->damage_count;
  s->ready_overflow = c->damage_overflow;
  memcpy(s->ready_damage, c->damage, sizeof c->damage);
  s->event = 1;
  od_wl_copy_finish(c);
  s->copying = -1;
}

static void od_st_failed(void *data, struct zwlr_screencopy_frame_v1 *f) {
  od_fail(OD_ERR_WAYLAND_CAPTURE, "The compositor failed the screen copy (the output may have "
          "changed or gone away)");
  od_stream_failed(data);
}

static void od_st_dmabuf(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format,
                         uint32_t width, uint32_t height) {}

static const struct zwlr_screencopy_frame_v1_listener od_st_listener = {
    .buffer = od_st_buffer_v2,
    .flags = od_st_flags,
    .ready = od_st_ready,
    .failed = od_st_failed,
    .damage = od_st_damage,
    .linux_dmabuf = od_st_dmabuf,
    .buffer_done = od_st_buffer_done,
};

/* Requests the next copy unless one is in flight or an image waits (lock held). */
static void od_stream_arm(od_wayland_stream *s) {
  if (s->copy.frame || s->ready >= 0 || s->failed) return;
  od_wayland *wl = s->wl;
  struct wl_output *output = NULL;
  for (uint32_t i = 0; i < wl->output_count; i++)
    if (wl->outputs[i].global == s->global) output = wl->outputs[i].output;
  if (!output) {
    od_fail(OD_ERR_NOT_FOUND, "The stream's output was removed");
    od_stream_failed(s);
    return;
  }
  memset(&s->copy, 0, sizeof s->copy);
  s->copy.frame = zwlr_screencopy_manager_v1_capture_output(
      wl->screencopy, (s->flags & OD_CAPTURE_CURSOR) != 0, output);
  zwlr_screencopy_frame_v1_add_listener(s->copy.frame, &od_st_listener, s);
  s->copying = -1;
}

/* Writes the damage of the waiting image as rectangles in image pixels. */
static void od_stream_rects(const od_wayland_stream *s, const od_wl_buffer *b, uint32_t *rects,
                            uint32_t cap, uint32_t *count) {
  int invert = (s->ready_flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT) != 0;
  uint32_t n = s->ready_damage_count, w = b->width, h = b->height;
  *count = 0;
  if (cap == 0) return;
  if (n == 0 || s->ready_overflow || n > cap) {
    /* Unknown or too many rectangles: one covering all of them (or the whole image). */
    uint32_t x0 = w, y0 = h, x1 = 0, y1 = 0;
    if (n == 0 || s->ready_overflow) x0 = 0, y0 = 0, x1 = w, y1 = h;
    for (uint32_t i = 0; i < n && !s->ready_overflow; i++) {
      const uint32_t *r = s->ready_damage[i];
      if (r[0] < x0) x0 = r[0];
      if (r[1] < y0) y0 = r[1];
      if (r[0] + r[2] > x1) x1 = r[0] + r[2];
      if (r[1] + r[3] > y1) y1 = r[1] + r[3];
    }
    uint32_t r[4] = {x0, y0, x1 - x0, y1 - y0};
    if (invert) r[1] = h - (r[1] + r[3]);
    memcpy(rects, r, sizeof r);
    *count = 1;
    return;
  }
  for (uint32_t i = 0; i < n; i++) {
    uint32_t r[4] = {s->ready_damage[i][0], s->ready_damage[i][1], s->ready_damage[i][2],
                     s->ready_damage[i][3]};
    if (invert) r[1] = h - (r[1] + r[3]);
    memcpy(rects + 4 * i, r, sizeof r);
  }
  *count = n;
}

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
      s->copying = s->ready = s->reading = -1;
      od_stream_arm(s);
      *out = s;
    }
  }
  return od_wl_end(wl, status);
}

OD_API int od_wayland_stream_next(od_wayland_stream *s, od_frame *frame, uint32_t timeout_ms,
                                  uint32_t *rects, uint32_t cap_rects, uint32_t *count) {
  if (!s || !frame || !count || (cap_rects > 0 && !rects))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_stream_next: NULL argument");
  *count = 0;
  od_wayland *wl = s->wl;
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  od_stream_arm(s); /* after a failure reported by the previous call */
  if (!s->event) status = od_wl_wait(wl, &s->event, timeout_ms);
  if (status == OD_ERR_WAYLAND_TIMEOUT) return od_wl_end(wl, OD_OK); /* nothing changed */
  if (status == OD_OK && s->failed) {
    s->failed = 0;
    s->event = 0;
    status = od_fail(OD_ERR_WAYLAND_CAPTURE, "%s", s->error);
  }
  if (status != OD_OK) return od_wl_end(wl, status);
  /* Take the waiting image, request the next copy, convert without the lock. */
  const od_wl_buffer *b = &s->buffers[s->ready];
  int invert = (s->ready_flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT) != 0;
  od_stream_rects(s, b, rects, cap_rects, count);
  s->reading = s->ready;
  s->ready = -1;
  s->event = 0;
  od_stream_arm(s);
  status = od_wl_end(wl, OD_OK);
  if (status == OD_OK) status = od_frame_reserve_own(frame, (size_t)b->width * b->height * 4);
  if (status == OD_OK) status = od_wl_buffer_to_bgrx(b, invert, frame->own, b->width * 4);
  if (status == OD_OK) {
    frame->pixels = frame->own;
    frame->width = b->width;
    frame->height = b->height;
    frame->stride = b->width * 4;
  } else {
    *count = 0;
  }
  pthread_mutex_lock(&wl->lock);
  s->reading = -1;
  pthread_mutex_unlock(&wl->lock);
  return status;
}

OD_API int od_wayland_stream_close(od_wayland_stream *s) {
  if (!s) return OD_OK;
  pthread_mutex_lock(&s->wl->lock);
  od_wl_copy_finish(&s->copy);
  for (int i = 0; i < OD_STREAM_BUFFERS; i++) od_wl_buffer_destroy(&s->buffers[i]);
  if (!s->wl->lost) wl_display_flush(s->wl->display);
  pthread_mutex_unlock(&s->wl->lock);
  free(s);
  return OD_OK;
}
