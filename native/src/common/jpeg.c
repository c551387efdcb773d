/* JPEG encoder over libjpeg-turbo: reads BGRX rows directly (JCS_EXT_BGRX),
 * 4:2:0 chroma, fast integer DCT, writes into the caller's buffer through a
 * destination manager that fails cleanly when the buffer is full. libjpeg's
 * default error handler ends the process, so errors longjmp back here. */
#include "_common.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

uint64_t od_jpeg_bound(uint32_t w, uint32_t h) {
  /* libjpeg-turbo's own worst case is below 6 bytes per 4:2:0 pixel pair plus headers. */
  return (uint64_t)w * h * 3 + 4096;
}

typedef struct {
  struct jpeg_error_mgr base;
  jmp_buf escape;
  char message[JMSG_LENGTH_MAX];
} od_jpeg_error;

static void od_jpeg_error_exit(j_common_ptr cinfo) {
  od_jpeg_error *err = (od_jpeg_error *)cinfo->err;
  err->base.format_message(cinfo, err->message);
  longjmp(err->escape, 1);
}

static void od_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

typedef struct {
  struct jpeg_destination_mgr base;
  int overflow;
} od_jpeg_dest;

static void od_jpeg_init_destination(j_compress_ptr cinfo) { (void)cinfo; }

static boolean od_jpeg_empty_buffer(j_compress_ptr cinfo) {
  od_jpeg_dest *dest = (od_jpeg_dest *)cinfo->dest;
  dest->overflow = 1;
  ERREXIT(cinfo, JERR_BUFFER_SIZE);
  return FALSE;
}

static void od_jpeg_term_destination(j_compress_ptr cinfo) { (void)cinfo; }

int od_jpeg_encode(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, uint32_t quality,
                   int compact, uint8_t *out, uint64_t cap, uint64_t *len, char *error) {
  struct jpeg_compress_struct cinfo;
  od_jpeg_error err;
  od_jpeg_dest dest;
  memset(&cinfo, 0, sizeof cinfo);
  memset(&dest, 0, sizeof dest);
  cinfo.err = jpeg_std_error(&err.base);
  err.base.error_exit = od_jpeg_error_exit;
  err.base.output_message = od_jpeg_output_message;
  if (setjmp(err.escape)) {
    int overflow = dest.overflow;
    jpeg_destroy_compress(&cinfo);
    if (overflow) {
      od_error_text(error, "Cannot encode JPEG: the output does not fit in %llu bytes",
                    (unsigned long long)cap);
      return OD_ERR_BUFFER_TOO_SMALL;
    }
    od_error_text(error, "Cannot encode JPEG: %s", err.message);
    return OD_ERR_ENCODE;
  }
  jpeg_create_compress(&cinfo);
  dest.base.next_output_byte = out;
  dest.base.free_in_buffer = (size_t)cap;
  dest.base.init_destination = od_jpeg_init_destination;
  dest.base.empty_output_buffer = od_jpeg_empty_buffer;
  dest.base.term_destination = od_jpeg_term_destination;
  cinfo.dest = &dest.base;
  cinfo.image_width = w;
  cinfo.image_height = h;
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_EXT_BGRX;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, (int)quality, TRUE);
  cinfo.dct_method = JDCT_ISLOW;
  cinfo.optimize_coding = compact ? TRUE : FALSE;
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = (JSAMPROW)(px + (size_t)cinfo.next_scanline * stride);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  *len = cap - dest.base.free_in_buffer;
  jpeg_destroy_compress(&cinfo);
  return OD_OK;
}
