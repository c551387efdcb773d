/* od_diff: tile comparison between consecutive frames. Keeps a copy of the
 * last image; each update compares tile by tile, copies changed tiles into
 * the copy, and merges changed tiles into rectangles (horizontal runs per
 * tile row, then runs with the same columns stacked vertically). */
#include "_common.h"

#include <stdlib.h>
#include <string.h>

struct od_diff {
  uint32_t tile;
  uint32_t width, height;
  uint8_t *prev; /* width * height * 4, tightly packed */
  uint8_t *changed; /* one flag per tile */
  int primed;
};

OD_API int od_diff_create(uint32_t tile_size, od_diff **out) {
  if (!out) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_diff_create: `out` is NULL");
  if (tile_size < 8 || tile_size > 512) {
    return od_fail(OD_ERR_INVALID_ARGUMENT, "Tile size %u is outside 8-512", tile_size);
  }
  od_diff *d = calloc(1, sizeof *d);
  if (!d) return od_fail(OD_ERR_NO_MEMORY, "Cannot allocate a diff");
  d->tile = tile_size;
  *out = d;
  return OD_OK;
}

OD_API int od_diff_destroy(od_diff *diff) {
  if (!diff) return OD_OK;
  free(diff->prev);
  free(diff->changed);
  free(diff);
  return OD_OK;
}

static void od_diff_copy_all(od_diff *d, const od_frame *f) {
  for (uint32_t y = 0; y < f->height; y++)
    memcpy(d->prev + (size_t)y * f->width * 4, f->pixels + (size_t)y * f->stride,
           (size_t)f->width * 4);
}

/* Compares one tile; on change, copies it into `prev` and returns 1. */
static int od_diff_tile(od_diff *d, const od_frame *f, uint32_t tx, uint32_t ty) {
  uint32_t x0 = tx * d->tile, y0 = ty * d->tile;
  uint32_t w = f->width - x0 < d->tile ? f->width - x0 : d->tile;
  uint32_t h = f->height - y0 < d->tile ? f->height - y0 : d->tile;
  size_t bytes = (size_t)w * 4;
  uint32_t y = 0;
  for (; y < h; y++) {
    const uint8_t *cur = f->pixels + (size_t)(y0 + y) * f->stride + (size_t)x0 * 4;
    const uint8_t *old = d->prev + ((size_t)(y0 + y) * f->width + x0) * 4;
    if (memcmp(cur, old, bytes) != 0) break;
  }
  if (y == h) return 0;
  for (y = 0; y < h; y++)
    memcpy(d->prev + ((size_t)(y0 + y) * f->width + x0) * 4,
           f->pixels + (size_t)(y0 + y) * f->stride + (size_t)x0 * 4, bytes);
  return 1;
}

static uint32_t od_min(uint32_t a, uint32_t b) { return a < b ? a : b; }

OD_API int od_diff_update(od_diff *diff, const od_frame *frame, uint32_t flags, uint32_t *rects,
                          uint32_t cap_rects, uint32_t *count) {
  if (!diff || !frame || !rects || !count || cap_rects == 0) return OD_ERR_INVALID_ARGUMENT;
  if (!frame->pixels) return OD_ERR_STATE;
  *count = 0;
  uint32_t w = frame->width, h = frame->height, t = diff->tile;
  uint32_t cols = (w + t - 1) / t, rows = (h + t - 1) / t;
  if (!diff->primed || diff->width != w || diff->height != h || (flags & OD_DIFF_FORCE_FULL)) {
    if (diff->width != w || diff->height != h || !diff->prev) {
      uint8_t *p = realloc(diff->prev, (size_t)w * h * 4);
      uint8_t *c = realloc(diff->changed, (size_t)cols * rows);
      if (p) diff->prev = p;
      if (c) diff->changed = c;
      if (!p || !c) {
        diff->primed = 0;
        return OD_ERR_NO_MEMORY;
      }
      diff->width = w;
      diff->height = h;
    }
    od_diff_copy_all(diff, frame);
    diff->primed = 1;
    rects[0] = 0;
    rects[1] = 0;
    rects[2] = w;
    rects[3] = h;
    *count = 1;
    return OD_OK;
  }
  uint32_t any = 0;
  for (uint32_t ty = 0; ty < rows; ty++)
    for (uint32_t tx = 0; tx < cols; tx++)
      any |= diff->changed[ty * cols + tx] = (uint8_t)od_diff_tile(diff, frame, tx, ty);
  if (!any) return OD_OK;
  /* Merge: a run [c0, c1) in tile row ty extends an open rectangle from row ty-1
   * with the same run, otherwise starts a new one. Rectangles are in tile units
   * while merging; `open` marks rectangles that ended on the previous row. */
  uint32_t n = 0, overflow = 0;
  uint32_t bx0 = cols, by0 = rows, bx1 = 0, by1 = 0;
  for (uint32_t ty = 0; ty < rows; ty++) {
    uint32_t tx = 0;
    while (tx < cols) {
      if (!diff->changed[ty * cols + tx]) {
        tx++;
        continue;
      }
      uint32_t c0 = tx;
      while (tx < cols && diff->changed[ty * cols + tx]) tx++;
      if (c0 < bx0) bx0 = c0;
      if (tx > bx1) bx1 = tx;
      if (ty < by0) by0 = ty;
      by1 = ty + 1;
      if (overflow) continue;
      uint32_t k = 0;
      for (; k < n; k++) {
        uint32_t *r = rects + 4 * k;
        if (r[0] == c0 && r[2] == tx - c0 && r[1] + r[3] == ty) break;
      }
      if (k < n) {
        rects[4 * k + 3] += 1;
      } else if (n < cap_rects) {
        uint32_t *r = rects + 4 * n++;
        r[0] = c0;
        r[1] = ty;
        r[2] = tx - c0;
        r[3] = 1;
      } else {
        overflow = 1;
      }
    }
  }
  if (overflow) {
    n = 1;
    rects[0] = bx0;
    rects[1] = by0;
    rects[2] = bx1 - bx0;
    rects[3] = by1 - by0;
  }
  for (uint32_t k = 0; k < n; k++) {
    uint32_t *r = rects + 4 * k;
    uint32_t x0 = r[0] * t, y0 = r[1] * t;
    r[2] = od_min(r[2] * t, w - x0);
    r[3] = od_min(r[3] * t, h - y0);
    r[0] = x0;
    r[1] = y0;
  }
  *count = n;
  return OD_OK;
}
