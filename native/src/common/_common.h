/*
 * Internal declarations shared by the shim's source files (not installed,
 * not part of the ABI). Platform files include it after opendesk.h.
 */
#ifndef OD_COMMON_H
#define OD_COMMON_H

#include "opendesk.h"

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

#define OD_ERROR_TEXT 256

/* A platform resource attached to a frame (e.g. an X shared memory segment).
 * `release` frees it; it is called by od_frame_destroy or by the platform. */
typedef struct od_frame_backing {
  void (*release)(struct od_frame_backing *backing);
} od_frame_backing;

struct od_frame {
  uint8_t *pixels; /* current image (one of the buffers below or backing memory) */
  uint32_t width, height, stride;
  uint8_t *own; /* heap buffer for captures without shared memory */
  size_t own_cap;
  uint8_t *scaled; /* heap buffer holding a scaled image */
  size_t scaled_cap;
  od_frame_backing *backing; /* NULL when none */
  char error[OD_ERROR_TEXT];
};

/* Logs through the installed callback (no-op by default). */
void od_log(int32_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats `fmt` into `dst` (capacity OD_ERROR_TEXT) and logs it at WARN. */
void od_error_text(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copies a NUL-terminated string into a caller buffer per the header's rules. */
int od_copy_text(const char *src, char *buf, uint32_t cap, uint32_t *len);

/* Makes `frame->own` hold at least `bytes`; returns OD_OK or OD_ERR_NO_MEMORY. */
int od_frame_reserve_own(od_frame *frame, size_t bytes);

/* Number of pieces (and threads) the encoders split work into (1-8). */
uint32_t od_worker_count(void);

/* Runs fn(i, arg) for i in [0, n) (n <= 8) on up to n threads, the caller
 * running i = 0. When a thread cannot be started, its piece runs on the
 * calling thread, so every piece always runs exactly once. */
void od_parallel(uint32_t n, void (*fn)(uint32_t index, void *arg), void *arg);

/* Encoders: read a BGRX image (`stride` bytes per row). */
int od_png_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, uint8_t *out,
                  uint64_t cap, uint64_t *len, char *error);
int od_jpeg_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, uint32_t quality,
                   uint8_t *out, uint64_t cap, uint64_t *len, char *error);
uint64_t od_png_bound(uint32_t w, uint32_t h);

/* Compresses in[0..n) as raw deflate into out (capacity cap); the last block is
 * final when `final`, otherwise the output ends with a sync flush (byte
 * aligned, so pieces concatenate). Returns the bytes written, 0 when `cap`
 * was too small or memory ran out. */
uint64_t od_deflate_fast(const uint8_t *in, uint64_t n, uint8_t *out, uint64_t cap, int final);
uint64_t od_jpeg_bound(uint32_t w, uint32_t h);

#endif /* OD_COMMON_H */
