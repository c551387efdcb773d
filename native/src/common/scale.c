/* Downscaling by area averaging: each output pixel is the average of the
 * source area it covers, partial source pixels weighted by their overlap.
 * Separable and fixed-point; output rows are split across threads. */
#include "_common.h"

#include <stdlib.h>
#include <string.h>

/* Vertical weights sum to 2^12, horizontal ones to 2^11: a channel's total
 * stays below 255 * 2^23 < 2^32. */
#define OD_WY_BITS 12
#define OD_WX_BITS 11

/* For each output index: the first source index and the weights of the
 * consecutive source indices it covers (summing to 2^bits). */
typedef struct {
  uint32_t *start;
  uint32_t *count;
  uint16_t *weights; /* `span` entries per output index */
  uint32_t span;
} od_axis;

static void od_axis_free(od_axis *a) {
  free(a->start);
  free(a->count);
  free(a->weights);
}

static int od_axis_build(od_axis *a, uint32_t src, uint32_t dst, uint32_t bits) {
  const uint32_t one = 1u << bits;
  a->span = (src + dst - 1) / dst + 1;
  a->start = calloc(dst, sizeof(uint32_t));
  a->count = calloc(dst, sizeof(uint32_t));
  a->weights = calloc((size_t)dst * a->span, sizeof(uint16_t));
  if (!a->start || !a->count || !a->weights) return OD_ERR_NO_MEMORY;
  /* Work in units of 1/dst source pixel: output i covers [i*src, (i+1)*src). */
  for (uint32_t i = 0; i < dst; i++) {
    uint64_t lo = (uint64_t)i * src, hi = lo + src;
    uint32_t first = (uint32_t)(lo / dst), last = (uint32_t)((hi - 1) / dst);
    uint16_t *w = a->weights + (size_t)i * a->span;
    uint32_t n = last - first + 1, total = 0;
    for (uint32_t k = 0; k < n; k++) {
      uint64_t plo = (uint64_t)(first + k) * dst, phi = plo + dst;
      uint64_t overlap = (phi < hi ? phi : hi) - (plo > lo ? plo : lo);
      w[k] = (uint16_t)((overlap * one + src / 2) / src);
      total += w[k];
    }
    /* Rounding can leave the sum a little off: settle it on the largest weight. */
    uint32_t big = 0;
    for (uint32_t k = 1; k < n; k++)
      if (w[k] > w[big]) big = k;
    w[big] = (uint16_t)(w[big] + one - (int32_t)total);
    a->start[i] = first;
    a->count[i] = n;
  }
  return OD_OK;
}

typedef struct {
  const uint8_t *src;
  uint32_t src_stride, src_w;
  uint8_t *dst;
  uint32_t dst_stride, dst_w, dst_h;
  const od_axis *ax, *ay;
  uint32_t pieces;
  int failed;
} od_scale_job;

static void od_scale_rows(uint32_t index, void *arg) {
  od_scale_job *job = arg;
  uint32_t y0 = (uint32_t)((uint64_t)job->dst_h * index / job->pieces);
  uint32_t y1 = (uint32_t)((uint64_t)job->dst_h * (index + 1) / job->pieces);
  const uint32_t lanes = job->src_w * 4; /* B, G, R, X: uniform loops vectorise */
  uint32_t *acc = malloc((size_t)lanes * sizeof(uint32_t));
  if (!acc) {
    job->failed = 1;
    return;
  }
  for (uint32_t oy = y0; oy < y1; oy++) {
    /* Vertical pass: weighted sum of the covered source rows. */
    const uint16_t *wy = job->ay->weights + (size_t)oy * job->ay->span;
    const uint8_t *row = job->src + (size_t)job->ay->start[oy] * job->src_stride;
    uint32_t w0 = wy[0];
    for (uint32_t i = 0; i < lanes; i++) acc[i] = w0 * row[i];
    for (uint32_t k = 1; k < job->ay->count[oy]; k++) {
      row += job->src_stride;
      uint32_t w = wy[k];
      for (uint32_t i = 0; i < lanes; i++) acc[i] += w * row[i];
    }
    /* Horizontal pass. */
    uint8_t *out = job->dst + (size_t)oy * job->dst_stride;
    const uint32_t shift = OD_WY_BITS + OD_WX_BITS, half = 1u << (shift - 1);
    for (uint32_t ox = 0; ox < job->dst_w; ox++) {
      const uint16_t *wx = job->ax->weights + (size_t)ox * job->ax->span;
      const uint32_t *a = acc + 4 * job->ax->start[ox];
      uint32_t b = half, g = half, r = half;
      for (uint32_t k = 0; k < job->ax->count[ox]; k++, a += 4) {
        b += wx[k] * a[0];
        g += wx[k] * a[1];
        r += wx[k] * a[2];
      }
      out[4 * ox] = (uint8_t)(b >> shift);
      out[4 * ox + 1] = (uint8_t)(g >> shift);
      out[4 * ox + 2] = (uint8_t)(r >> shift);
      out[4 * ox + 3] = 0xff;
    }
  }
  free(acc);
}

OD_API int od_frame_scale(od_frame *frame, uint32_t width, uint32_t height) {
  if (!frame || width == 0 || height == 0) return OD_ERR_INVALID_ARGUMENT;
  if (!frame->pixels) {
    od_error_text(frame->error, "Cannot scale an empty frame");
    return OD_ERR_STATE;
  }
  if (width > frame->width || height > frame->height) {
    od_error_text(frame->error, "Cannot scale %ux%u up to %ux%u: only downscaling is supported",
                  frame->width, frame->height, width, height);
    return OD_ERR_INVALID_ARGUMENT;
  }
  if (width == frame->width && height == frame->height) return OD_OK;
  if (frame->pixels == frame->scaled) {
    od_error_text(frame->error, "Cannot scale a frame twice: capture again first");
    return OD_ERR_STATE;
  }
  size_t bytes = (size_t)width * height * 4;
  if (frame->scaled_cap < bytes) {
    uint8_t *p = realloc(frame->scaled, bytes);
    if (!p) {
      od_error_text(frame->error, "Cannot allocate %zu bytes for a scaled frame", bytes);
      return OD_ERR_NO_MEMORY;
    }
    frame->scaled = p;
    frame->scaled_cap = bytes;
  }
  od_axis ax = {0}, ay = {0};
  int status = od_axis_build(&ax, frame->width, width, OD_WX_BITS);
  if (status == OD_OK) status = od_axis_build(&ay, frame->height, height, OD_WY_BITS);
  if (status == OD_OK) {
    uint32_t pieces = od_worker_count();
    if (height < pieces * 16) pieces = 1;
    od_scale_job job = {frame->pixels, frame->stride, frame->width, frame->scaled, width * 4,
                        width, height, &ax, &ay, pieces, 0};
    od_parallel(pieces, od_scale_rows, &job);
    if (job.failed) status = OD_ERR_NO_MEMORY;
  }
  od_axis_free(&ax);
  od_axis_free(&ay);
  if (status != OD_OK) {
    od_error_text(frame->error, "Cannot scale the frame: out of memory");
    return status;
  }
  frame->pixels = frame->scaled;
  frame->width = width;
  frame->height = height;
  frame->stride = width * 4;
  return OD_OK;
}
