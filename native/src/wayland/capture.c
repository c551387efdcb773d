/* od_wayland_capture_grab: a layout area, copied output by output with screencopy into one
 * frame. */
#include "_screencopy.h"

#include <string.h>

typedef struct {
  od_wl_out *out;
  int32_t lx, ly, lw, lh; /* the piece in layout coordinates */
} od_piece;

/* The outputs the area touches, clipped to each (lock held). */
static uint32_t od_pieces(od_wayland *wl, int32_t x, int32_t y, uint32_t w, uint32_t h,
                          od_piece *pieces) {
  uint32_t n = 0;
  int64_t ax1 = (int64_t)x + w, ay1 = (int64_t)y + h;
  for (uint32_t i = 0; i < wl->output_count; i++) {
    od_wl_out *o = &wl->outputs[i];
    if (!o->described) continue;
    int64_t x0 = o->info.x > x ? o->info.x : x, y0 = o->info.y > y ? o->info.y : y;
    int64_t ox1 = (int64_t)o->info.x + o->info.width, oy1 = (int64_t)o->info.y + o->info.height;
    int64_t x1 = ox1 < ax1 ? ox1 : ax1, y1 = oy1 < ay1 ? oy1 : ay1;
    if (x1 <= x0 || y1 <= y0) continue;
    pieces[n++] = (od_piece){o, (int32_t)x0, (int32_t)y0, (int32_t)(x1 - x0), (int32_t)(y1 - y0)};
  }
  return n;
}

/* Captures one piece into `buffer` (kept between calls when its shape fits). */
static int od_grab_piece(od_wayland *wl, const od_piece *p, od_wl_buffer *buffer, int cursor,
                         od_wl_copy *c) {
  int32_t region[4] = {p->lx - p->out->info.x, p->ly - p->out->info.y, p->lw, p->lh};
  int status = od_wl_copy_start(wl, c, p->out->output, region, cursor);
  if (status != OD_OK) return status;
  if (!buffer->buffer || buffer->format != c->format || buffer->width != c->width ||
      buffer->height != c->height || buffer->stride != c->stride) {
    od_wl_buffer_destroy(buffer);
    status = od_wl_buffer_create(wl, c->format, c->width, c->height, c->stride, buffer);
  }
  if (status == OD_OK) status = od_wl_copy_run(wl, c, buffer, 0, OD_WL_COPY_TIMEOUT_MS);
  od_wl_copy_finish(c);
  return status;
}

static int od_grab_locked(od_wayland *wl, od_frame *frame, int32_t x, int32_t y, uint32_t w,
                          uint32_t h, uint32_t flags) {
  od_piece pieces[OD_WL_MAX_OUTPUTS];
  uint32_t n = od_pieces(wl, x, y, w, h, pieces);
  uint64_t covered = 0;
  for (uint32_t i = 0; i < n; i++) covered += (uint64_t)pieces[i].lw * (uint64_t)pieces[i].lh;
  if (n == 0 || covered != (uint64_t)w * h)
    return od_fail(OD_ERR_INVALID_ARGUMENT,
                   "Cannot capture %ux%u at %d,%d: the area is not covered by outputs", w, h,
                   x, y);
  /* Image pixels per logical pixel, from the first piece's buffer; the others must agree. */
  uint32_t fw = 0, fh = 0;
  int status = OD_OK;
  for (uint32_t i = 0; i < n && status == OD_OK; i++) {
    od_wl_copy c;
    od_wl_buffer *buffer = &wl->grab_buffers[i];
    status = od_grab_piece(wl, &pieces[i], buffer, (flags & OD_CAPTURE_CURSOR) != 0, &c);
    if (status != OD_OK) break;
    if (i == 0) {
      fw = (uint32_t)((uint64_t)w * buffer->width / (uint32_t)pieces[0].lw);
      fh = (uint32_t)((uint64_t)h * buffer->height / (uint32_t)pieces[0].lh);
      status = od_frame_reserve_own(frame, (size_t)fw * fh * 4);
      if (status != OD_OK) return od_fail(status, "Out of memory for a %ux%u image", fw, fh);
    }
    uint32_t px = (uint32_t)((uint64_t)(pieces[i].lx - x) * fw / w);
    uint32_t py = (uint32_t)((uint64_t)(pieces[i].ly - y) * fh / h);
    if (px + buffer->width > fw || py + buffer->height > fh)
      return od_fail(OD_ERR_UNSUPPORTED, "Cannot capture across outputs of different scales "
                     "in one image; capture each output separately");
    status = od_wl_buffer_to_bgrx(buffer, (c.flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT) != 0,
                                  frame->own + (size_t)py * fw * 4 + (size_t)px * 4, fw * 4);
  }
  if (status != OD_OK) return status;
  frame->pixels = frame->own;
  frame->width = fw;
  frame->height = fh;
  frame->stride = fw * 4;
  return OD_OK;
}

OD_API int od_wayland_capture_grab(od_wayland *wl, od_frame *frame, int32_t x, int32_t y,
                                   uint32_t width, uint32_t height, uint32_t flags) {
  if (!wl || !frame || width == 0 || height == 0)
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_capture_grab: NULL handle or empty area");
  pthread_mutex_lock(&wl->capture_lock);
  int status = od_wl_begin(wl);
  if (status == OD_OK)
    status = od_wl_end(wl, od_grab_locked(wl, frame, x, y, width, height, flags));
  if (status != OD_OK) {
    frame->pixels = NULL;
    frame->width = frame->height = frame->stride = 0;
    od_last_error(frame->error, sizeof frame->error, &(uint32_t){0}); /* the handle's copy */
  }
  pthread_mutex_unlock(&wl->capture_lock);
  return status;
}
