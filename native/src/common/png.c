/* PNG encoder tuned for screen contents: 8-bit RGB, one IDAT chunk holding a
 * zlib stream assembled from independently compressed horizontal strips (one
 * per piece, each ending on a sync flush, checksums combined), with the Sub
 * filter and the shim's own fast deflate (deflate_fast.c). Measured on a
 * 1920x1080 desktop with a photo over 40 % of it: zlib level 1 took 28 ms on
 * one core (1.10 MB), libdeflate level 1 18 ms (1.03 MB), deflate_fast 12 ms
 * (1.13 MB with Up). With deflate_fast, Sub beat the other filters on both
 * size and time (1080p: Sub 1.034 MB in 10.9 ms, Up 1.084 MB in 11.8 ms,
 * Paeth 1.107 MB, Average 1.126 MB, per-row choice by least sum 1.080 MB;
 * the 1568x882 downscale: Sub 1.014 MB in 10.3 ms, Up 1.033 MB in 11.0 ms),
 * and it needs no previous row, so a piece that scales its rows keeps only
 * the current one. The palette variant (colour type 3, from png_palette.c)
 * writes unfiltered index rows compressed by zlib, in the same strips. */
#include "_common.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>


#define OD_PNG_MIN_STRIP_ROWS 64

uint64_t od_png_bound(uint32_t w, uint32_t h) {
  uint64_t raw = ((uint64_t)w * 3 + 1) * h;
  /* Stored-block worst case per strip, plus the flush markers and chunk framing. */
  return raw + raw / 1000 + 64 * 8 + (raw >> 12) * 5 + 256;
}

/* Adler-32 (RFC 1950) in 32 lanes: per 32-byte block, lane j adds its byte
 * to `sum` and (32 - j) times it to `weighted`, and `before` collects the
 * lane sums of the earlier blocks (each block's start adds 32 * a to b).
 * Uniform loops that compilers turn into vector code; Debian's zlib does one
 * byte per step, which cost a third of the encode time. */
#define OD_ADLER_MOD 65521u
#define OD_ADLER_CHUNK 1024 /* blocks between reductions: no lane overflows */

OD_HOT static uint32_t od_adler32(uint32_t adler, const uint8_t *p, size_t n) {
  uint64_t a = adler & 0xffff, b = adler >> 16;
  while (n >= 32) {
    size_t blocks = n / 32 < OD_ADLER_CHUNK ? n / 32 : OD_ADLER_CHUNK;
    uint32_t sum[32] = {0}, weighted[32] = {0}, before[32] = {0};
    for (size_t k = 0; k < blocks; k++, p += 32)
      for (uint32_t j = 0; j < 32; j++) {
        before[j] += sum[j];
        sum[j] += p[j];
        weighted[j] += (32 - j) * (uint32_t)p[j];
      }
    uint64_t sa = 0, sb = 0, sp = 0;
    for (uint32_t j = 0; j < 32; j++) {
      sa += sum[j];
      sb += weighted[j];
      sp += before[j];
    }
    b = (b + 32 * blocks * a + 32 * sp + sb) % OD_ADLER_MOD;
    a = (a + sa) % OD_ADLER_MOD;
    n -= blocks * 32;
  }
  for (; n > 0; n--) {
    a += *p++;
    b += a;
  }
  return (uint32_t)(((b % OD_ADLER_MOD) << 16) | (a % OD_ADLER_MOD));
}

/* Writes one PNG row with the Sub filter, converting BGRX to RGB on the way.
 * Written as "pixel minus the pixel one step back" over two pointers (like an
 * Up filter against the row shifted by a pixel), which compilers vectorise;
 * indexing cur[4x - 4] in one loop did not (13 % of a scaled encode). */
OD_HOT static void od_row_sub(const uint8_t *restrict cur, uint32_t w, uint8_t *restrict out) {
  out[0] = 1;
  out[1] = cur[2];
  out[2] = cur[1];
  out[3] = cur[0];
  const uint8_t *a = cur + 4, *b = cur;
  uint8_t *o = out + 4;
  for (uint32_t x = 1; x < w; x++, a += 4, b += 4, o += 3) {
    o[0] = (uint8_t)(a[2] - b[2]);
    o[1] = (uint8_t)(a[1] - b[1]);
    o[2] = (uint8_t)(a[0] - b[0]);
  }
}

typedef struct {
  od_work *work; /* holds `data` until the pieces are joined */
  uint8_t *data;
  uint64_t len;
  uLong adler, crc;
  uint64_t raw_len;
  int status;
} od_strip;

typedef struct {
  const uint8_t *px;
  uint32_t stride, w, h, pieces;
  const od_scaler *scaler; /* NULL: px is the w x h image itself */
  od_strip *strips;
  const uint8_t *indices; /* not NULL: a w x h palette image (colour type 3) */
} od_png_job;

/* Palette rows take no filter: measured on a typical desktop (1456x819, 256
 * colours, 128 of them exact, zlib level 1), filter None gave 279 KB, a per-row
 * choice of None/Sub/Up by least sum of magnitudes 314 KB. Differences of
 * indices carry no meaning a filter could exploit, even with the palette
 * ordered by luma. */
static void od_row_indexed(const uint8_t *cur, uint32_t w, uint8_t *out) {
  out[0] = 0;
  memcpy(out + 1, cur, w);
}

/* Compresses an indexed strip with zlib level 1 as raw deflate ending in a
 * sync flush (or the final block). On that desktop: level 1 279 KB, level 6
 * 269 KB in twice the time, the shim's deflate_fast (tuned for RGB rows,
 * 6-byte matches) 322 KB. */
static uint64_t od_zlib_strip(const uint8_t *in, uint64_t n, uint8_t *out, uint64_t cap,
                              int final) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
  z.next_in = (Bytef *)in;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int flush = final ? Z_FINISH : Z_SYNC_FLUSH;
  int rc = deflate(&z, flush);
  uint64_t len = z.total_out;
  deflateEnd(&z);
  if (final ? rc != Z_STREAM_END : (rc != Z_OK || z.avail_in != 0)) return 0;
  return len;
}

/* Source row `y` of the image to encode: a pointer into the frame, or, when
 * scaling, the row scaled into `row`. */
static const uint8_t *od_png_row(const od_png_job *job, uint32_t y, uint8_t *row, void *scratch) {
  if (!job->scaler) return job->px + (size_t)y * job->stride;
  od_scaler_row(job->scaler, job->px, job->stride, y, row, scratch);
  return row;
}

static void od_png_strip(uint32_t index, void *arg) {
  od_png_job *job = arg;
  od_strip *s = &job->strips[index];
  uint32_t y0 = (uint32_t)((uint64_t)job->h * index / job->pieces);
  uint32_t y1 = (uint32_t)((uint64_t)job->h * (index + 1) / job->pieces);
  uint32_t n = job->indices ? job->w : job->w * 3;
  size_t row = (size_t)n + 1;
  uint64_t raw = row * (y1 - y0);
  uint64_t cap = raw + raw / 1000 + (raw >> 12) * 5 + 64;
  s->status = OD_ERR_NO_MEMORY;
  s->work = od_work_take();
  if (!s->work) return;
  size_t rows_bytes = job->scaler ? ((size_t)job->w * 4 + 63) & ~(size_t)63 : 0;
  size_t scratch_bytes = job->scaler ? od_scaler_scratch_bytes(job->scaler) : 0;
  uint8_t *filtered = od_work_buffer(s->work, 0, raw);
  s->data = od_work_buffer(s->work, 1, cap);
  uint8_t *scaled = od_work_buffer(s->work, 2, rows_bytes + scratch_bytes + 1);
  od_deflate_work *deflate = od_work_deflate(s->work);
  if (!filtered || !s->data || !scaled || !deflate) return;
  void *scratch = scaled + rows_bytes;
  if (job->indices) {
    for (uint32_t y = y0; y < y1; y++)
      od_row_indexed(job->indices + (size_t)y * job->w, job->w, filtered + (size_t)(y - y0) * row);
  } else {
    for (uint32_t y = y0; y < y1; y++)
      od_row_sub(od_png_row(job, y, scaled, scratch), job->w, filtered + (size_t)(y - y0) * row);
  }
  s->adler = od_adler32(1, filtered, raw);
  if (job->indices) {
    s->len = od_zlib_strip(filtered, raw, s->data, cap, index + 1 == job->pieces);
  } else {
    /* Downscaled images (for AI models, mostly) take the faster sparse search. */
    s->len = od_deflate_fast(deflate, filtered, raw, s->data, cap, index + 1 == job->pieces,
                             job->scaler != NULL);
  }
  if (s->len == 0) {
    s->status = OD_ERR_ENCODE;
    return;
  }
  s->raw_len = raw;
  s->crc = crc32(0L, s->data, (uInt)s->len);
  s->status = OD_OK;
}

static uint8_t *od_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
  return p + 4;
}

/* Compresses the job's strips and writes the PNG; `palette` (`colors` RGB
 * entries) when the job holds indices. */
static int od_png_write(od_png_job *job, const uint8_t *palette, uint32_t colors, uint8_t *out,
                        uint64_t cap, uint64_t *len, char *error) {
  uint32_t w = job->w, h = job->h;
  uint32_t pieces = od_worker_count();
  while (pieces > 1 && h / pieces < OD_PNG_MIN_STRIP_ROWS) pieces--;
  od_strip strips[8];
  memset(strips, 0, sizeof strips);
  job->pieces = pieces;
  job->strips = strips;
  od_parallel(pieces, od_png_strip, job);
  int status = OD_OK;
  uint64_t body = 2 + 4;
  for (uint32_t i = 0; i < pieces; i++) {
    if (strips[i].status != OD_OK && status == OD_OK) status = strips[i].status;
    body += strips[i].len;
  }
  if (status != OD_OK) {
    od_error_text(error, status == OD_ERR_NO_MEMORY ? "Cannot encode PNG: out of memory"
                                                    : "Cannot encode PNG: compression failed");
    goto done;
  }
  uint64_t plte = job->indices ? 12 + (uint64_t)colors * 3 : 0;
  uint64_t total = 8 + 25 + plte + 12 + body + 12;
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
  *p++ = job->indices ? 3 : 2; /* colour type: palette or RGB */
  *p++ = 0; /* deflate */
  *p++ = 0; /* adaptive filtering */
  *p++ = 0; /* no interlace */
  p = od_put32(p, (uint32_t)crc32(0L, chunk + 4, 17));
  if (job->indices) {
    chunk = p;
    p = od_put32(p, colors * 3);
    memcpy(p, "PLTE", 4);
    memcpy(p + 4, palette, (size_t)colors * 3);
    p += 4 + (size_t)colors * 3;
    p = od_put32(p, (uint32_t)crc32(0L, chunk + 4, 4 + colors * 3));
  }
  chunk = p;
  p = od_put32(p, (uint32_t)body);
  memcpy(p, "IDAT", 4);
  p += 4;
  *p++ = 0x78; /* zlib header: deflate, 32K window, fastest */
  *p++ = 0x01;
  uLong crc = crc32(0L, chunk + 4, 6);
  uLong adler = 1;
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
  for (uint32_t i = 0; i < pieces; i++) od_work_give(strips[i].work);
  return status;
}

int od_png_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h,
                  const od_scaler *scaler, uint8_t *out, uint64_t cap, uint64_t *len,
                  char *error) {
  od_png_job job = {px, stride, w, h, 0, scaler, NULL, NULL};
  return od_png_write(&job, NULL, 0, out, cap, len, error);
}

int od_png_encode_indexed(const uint8_t *indices, uint32_t w, uint32_t h, const uint8_t *palette,
                          uint32_t colors, uint8_t *out, uint64_t cap, uint64_t *len,
                          char *error) {
  if (colors < 1 || colors > 256) {
    od_error_text(error, "Cannot encode PNG: a palette of %u colours (use 1 to 256)", colors);
    return OD_ERR_INVALID_ARGUMENT;
  }
  od_png_job job = {NULL, 0, w, h, 0, NULL, NULL, indices};
  return od_png_write(&job, palette, colors, out, cap, len, error);
}
