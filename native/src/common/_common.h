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

/* Makes `text` the calling thread's last error (od_last_error). */
void od_set_last_error(const char *text);

/* Formats `fmt` as the calling thread's last error, logs it at WARN and
 * returns `status`: `return od_fail(OD_ERR_NOT_FOUND, "No window %u", id);`. */
int od_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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

/* Hot loops: built for AVX2 and for baseline x86-64, the right one picked
 * when the library loads (GCC/Clang function multiversioning, which needs
 * glibc's ifunc). Elsewhere a plain function. */
#if defined(__x86_64__) && defined(__GLIBC__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define OD_HOT __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef OD_HOT
#define OD_HOT
#endif

/* Area-averaging downscaler tables for one source and target size (scale.c). */
typedef struct od_scaler od_scaler;
int od_scaler_create(uint32_t src_w, uint32_t src_h, uint32_t dst_w, uint32_t dst_h,
                     od_scaler **out);
void od_scaler_destroy(od_scaler *s);
/* Bytes of scratch memory od_scaler_row needs. */
size_t od_scaler_scratch_bytes(const od_scaler *s);
/* Writes output row `oy` (BGRX, dst_w pixels) of the scaled `src` image. */
void od_scaler_row(const od_scaler *s, const uint8_t *src, uint32_t stride, uint32_t oy,
                   uint8_t *out, void *scratch);
/* Checks that the frame holds an image that can be scaled down to width x height. */
int od_frame_check_scale(od_frame *frame, uint32_t width, uint32_t height);
/* Writes the frame's image scaled to width x height into `frame->scaled`
 * (tightly packed) without changing the current image. */
int od_frame_scale_into(od_frame *frame, uint32_t width, uint32_t height);

/* Deflate tables of one compression at a time (deflate_fast.c). */
typedef struct od_deflate_work od_deflate_work;
od_deflate_work *od_deflate_work_create(void);
void od_deflate_work_destroy(od_deflate_work *work);

/* A workspace borrowed by one piece of an encode (work.c): a few growable
 * buffers and deflate tables, kept between calls. */
#define OD_WORK_SLOTS 3
typedef struct od_work od_work;
/* Borrows a workspace (NULL when out of memory); give it back with od_work_give. */
od_work *od_work_take(void);
void od_work_give(od_work *w);
/* Buffer `slot` with at least `bytes` (contents not kept when it grows); NULL when out of memory. */
uint8_t *od_work_buffer(od_work *w, uint32_t slot, size_t bytes);
/* The workspace's deflate tables; NULL when out of memory. */
od_deflate_work *od_work_deflate(od_work *w);

/* Encoders: read a BGRX image (`stride` bytes per row). PNG encodes `px`
 * scaled to w x h through `scaler` when it is not NULL (px is then the
 * scaler's source image), `px` itself otherwise. */
int od_png_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h,
                  const od_scaler *scaler, uint8_t *out, uint64_t cap, uint64_t *len,
                  char *error);
/* `compact`: optimised Huffman tables (a second pass over the coefficients;
 * where the platform's encoder cannot, it is ignored). */
int od_jpeg_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, uint32_t quality,
                   int compact, uint8_t *out, uint64_t cap, uint64_t *len, char *error);
/* PNG colour type 3 from `w` x `h` palette indices and `colors` RGB entries. */
int od_png_encode_indexed(const uint8_t *indices, uint32_t w, uint32_t h, const uint8_t *palette,
                          uint32_t colors, uint8_t *out, uint64_t cap, uint64_t *len,
                          char *error);
/* Quantises a BGRX image to at most 256 colours (quantize.c): `indices`
 * receives w x h entries of `palette` (RGB triples, `*colors` of them). */
int od_quantize(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, uint8_t *indices,
                uint8_t *palette, uint32_t *colors);
/* A BGRX image as a palette PNG (png_palette.c). */
int od_png_palette_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h,
                          uint8_t *out, uint64_t cap, uint64_t *len, char *error);
uint64_t od_png_bound(uint32_t w, uint32_t h);

/* Compresses in[0..n) as raw deflate into out (capacity cap); the last block is
 * final when `final`, otherwise the output ends with a sync flush (byte
 * aligned, so pieces concatenate). `sparse` probes for matches at every third
 * position only, extending each match found backwards: faster, slightly
 * larger. Returns the bytes written, 0 when `cap` was too small. */
uint64_t od_deflate_fast(od_deflate_work *work, const uint8_t *in, uint64_t n, uint8_t *out,
                         uint64_t cap, int final, int sparse);
uint64_t od_jpeg_bound(uint32_t w, uint32_t h);

#endif /* OD_COMMON_H */
