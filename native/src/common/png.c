/* PNG encoder tuned for screen contents: 8-bit RGB, one IDAT chunk holding a
 * zlib stream assembled from independently deflated horizontal strips (one
 * per thread, each ending on a sync flush, checksums combined), with the Up
 * filter and fast deflate settings (chosen by scripts/bench_capture.ts runs:
 * see the notes below). */
#include "_common.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifndef OD_PNG_LEVEL
#define OD_PNG_LEVEL 1
#endif
#ifndef OD_PNG_STRATEGY
#define OD_PNG_STRATEGY Z_DEFAULT_STRATEGY
#endif
#ifndef OD_PNG_FILTER
#define OD_PNG_FILTER 2 /* 0 none, 1 sub, 2 up, 4 paeth */
#endif

#define OD_PNG_MIN_STRIP_ROWS 64

uint64_t od_png_bound(uint32_t w, uint32_t h) {
  uint64_t raw = ((uint64_t)w * 3 + 1) * h;
  /* Stored-block worst case per strip, plus the flush markers and chunk framing. */
  return raw + raw / 1000 + 64 * 8 + (raw >> 12) * 5 + 256;
}

static inline uint8_t od_paeth(uint8_t a, uint8_t b, uint8_t c) {
  int p = (int)a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/* Converts one BGRX row to RGB. */
static void od_row_rgb(const uint8_t *src, uint32_t w, uint8_t *dst) {
  for (uint32_t x = 0; x < w; x++) {
    dst[3 * x] = src[4 * x + 2];
    dst[3 * x + 1] = src[4 * x + 1];
    dst[3 * x + 2] = src[4 * x];
  }
}

/* Writes filter byte + filtered row; `prev` is NULL for the image's first row. */
static void od_row_filter(const uint8_t *cur, const uint8_t *prev, uint32_t n, uint8_t *out) {
  int filter = OD_PNG_FILTER;
  if (!prev && (filter == 2 || filter == 4)) filter = filter == 4 ? 1 : 0;
  out[0] = (uint8_t)filter;
  uint8_t *o = out + 1;
  switch (filter) {
  case 1:
    for (uint32_t i = 0; i < n; i++) o[i] = (uint8_t)(cur[i] - (i >= 3 ? cur[i - 3] : 0));
    break;
  case 2:
    for (uint32_t i = 0; i < n; i++) o[i] = (uint8_t)(cur[i] - prev[i]);
    break;
  case 4:
    for (uint32_t i = 0; i < n; i++) {
      uint8_t a = i >= 3 ? cur[i - 3] : 0, c = i >= 3 ? prev[i - 3] : 0;
      o[i] = (uint8_t)(cur[i] - od_paeth(a, prev[i], c));
    }
    break;
  default:
    memcpy(o, cur, n);
  }
}

typedef struct {
  uint8_t *data;
  uint64_t len;
  uLong adler, crc;
  uint64_t raw_len;
  int status;
} od_strip;

typedef struct {
  const uint8_t *px;
  uint32_t stride, w, h, pieces;
  od_strip *strips;
} od_png_job;

#define OD_PNG_BATCH_ROWS 16

static void od_png_strip(uint32_t index, void *arg) {
  od_png_job *job = arg;
  od_strip *s = &job->strips[index];
  uint32_t y0 = (uint32_t)((uint64_t)job->h * index / job->pieces);
  uint32_t y1 = (uint32_t)((uint64_t)job->h * (index + 1) / job->pieces);
  uint32_t n = job->w * 3;
  size_t row = (size_t)n + 1;
  uint64_t raw = row * (y1 - y0);
  uint64_t cap = raw + raw / 1000 + (raw >> 12) * 5 + 64;
  uint8_t *batch = malloc(row * OD_PNG_BATCH_ROWS);
  uint8_t *rgb = malloc((size_t)n * 2);
  s->data = malloc(cap);
  s->status = OD_ERR_NO_MEMORY;
  if (!batch || !rgb || !s->data) goto done;
  z_stream z;
  memset(&z, 0, sizeof z);
  s->status = OD_ERR_ENCODE;
  if (deflateInit2(&z, OD_PNG_LEVEL, Z_DEFLATED, -15, 8, OD_PNG_STRATEGY) != Z_OK) goto done;
  z.next_out = s->data;
  z.avail_out = (uInt)cap;
  s->adler = adler32(0L, Z_NULL, 0);
  uint8_t *cur = rgb, *prev = rgb + n;
  if (y0 > 0) od_row_rgb(job->px + (size_t)(y0 - 1) * job->stride, job->w, prev);
  int ok = 1;
  for (uint32_t y = y0; y < y1 && ok;) {
    uint32_t k = 0;
    for (; k < OD_PNG_BATCH_ROWS && y < y1; k++, y++) {
      od_row_rgb(job->px + (size_t)y * job->stride, job->w, cur);
      od_row_filter(cur, y > 0 ? prev : NULL, n, batch + k * row);
      uint8_t *t = cur;
      cur = prev;
      prev = t;
    }
    s->adler = adler32(s->adler, batch, (uInt)(k * row));
    z.next_in = batch;
    z.avail_in = (uInt)(k * row);
    int flush = y < y1 ? Z_NO_FLUSH : (index + 1 == job->pieces ? Z_FINISH : Z_SYNC_FLUSH);
    int rc = deflate(&z, flush);
    ok = (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR) && z.avail_in == 0;
  }
  if (ok) {
    s->len = cap - z.avail_out;
    s->raw_len = raw;
    s->crc = crc32(0L, s->data, (uInt)s->len);
    s->status = OD_OK;
  }
  deflateEnd(&z);
done:
  free(batch);
  free(rgb);
}

static uint8_t *od_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
  return p + 4;
}

int od_png_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, uint8_t *out,
                  uint64_t cap, uint64_t *len, char *error) {
  uint32_t pieces = od_worker_count();
  while (pieces > 1 && h / pieces < OD_PNG_MIN_STRIP_ROWS) pieces--;
  od_strip strips[4];
  memset(strips, 0, sizeof strips);
  od_png_job job = {px, stride, w, h, pieces, strips};
  od_parallel(pieces, od_png_strip, &job);
  int status = OD_OK;
  uint64_t body = 2 + 4;
  for (uint32_t i = 0; i < pieces; i++) {
    if (strips[i].status != OD_OK && status == OD_OK) status = strips[i].status;
    body += strips[i].len;
  }
  if (status != OD_OK) {
    od_error_text(error, status == OD_ERR_NO_MEMORY ? "Cannot encode PNG: out of memory"
                                                    : "Cannot encode PNG: deflate failed");
    goto done;
  }
  uint64_t total = 8 + 25 + 12 + body + 12;
  *len = total;
  if (total > cap || body > 0x7fffffffu) {
    od_error_text(error, "Cannot encode PNG: %llu bytes do not fit in a buffer of %llu",
                  (unsigned long long)total, (unsigned long long)cap);
    status = OD_ERR_BUFFER_TOO_SMALL;
    goto done;
  }
  static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  uint8_t *p = out;
  memcpy(p, sig, 8);
  p += 8;
  uint8_t *chunk = p;
  p = od_put32(p, 13);
  memcpy(p, "IHDR", 4);
  p = od_put32(p + 4, w);
  p = od_put32(p, h);
  *p++ = 8; /* bit depth */
  *p++ = 2; /* colour type: RGB */
  *p++ = 0; /* deflate */
  *p++ = 0; /* adaptive filtering */
  *p++ = 0; /* no interlace */
  p = od_put32(p, (uint32_t)crc32(0L, chunk + 4, 17));
  chunk = p;
  p = od_put32(p, (uint32_t)body);
  memcpy(p, "IDAT", 4);
  p += 4;
  *p++ = 0x78; /* zlib header: deflate, 32K window, fastest */
  *p++ = 0x01;
  uLong crc = crc32(0L, chunk + 4, 6);
  uLong adler = adler32(0L, Z_NULL, 0);
  for (uint32_t i = 0; i < pieces; i++) {
    memcpy(p, strips[i].data, strips[i].len);
    p += strips[i].len;
    crc = crc32_combine(crc, strips[i].crc, (z_off_t)strips[i].len);
    adler = adler32_combine(adler, strips[i].adler, (z_off_t)strips[i].raw_len);
  }
  uint8_t tail[4];
  od_put32(tail, (uint32_t)adler);
  memcpy(p, tail, 4);
  p += 4;
  crc = crc32(crc, tail, 4);
  p = od_put32(p, (uint32_t)crc);
  p = od_put32(p, 0);
  memcpy(p, "IEND", 4);
  p = od_put32(p + 4, (uint32_t)crc32(0L, (const uint8_t *)"IEND", 4));
done:
  for (uint32_t i = 0; i < pieces; i++) free(strips[i].data);
  return status;
}
