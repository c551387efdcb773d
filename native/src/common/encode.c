/* od_frame_encode, od_frame_encode_scaled and od_encode_bound: format
 * dispatch plus the raw formats. The palette PNG scales into the frame's
 * memory first (it quantises the whole image before writing any row). */
#include "_common.h"

#include <string.h>

OD_API int od_encode_bound(uint32_t format, uint32_t width, uint32_t height, uint64_t *out) {
  if (!out) return OD_ERR_INVALID_ARGUMENT;
  switch (format) {
  case OD_FORMAT_PNG:
  case OD_FORMAT_PNG_PALETTE:
    *out = od_png_bound(width, height);
    return OD_OK;
  case OD_FORMAT_JPEG:
  case OD_FORMAT_JPEG_COMPACT:
    *out = od_jpeg_bound(width, height);
    return OD_OK;
  case OD_FORMAT_RAW_RGBA:
    *out = (uint64_t)width * height * 4;
    return OD_OK;
  case OD_FORMAT_RAW_RGB:
    *out = (uint64_t)width * height * 3;
    return OD_OK;
  default:
    return OD_ERR_INVALID_ARGUMENT;
  }
}

static int od_encode_raw(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h,
                         uint32_t channels, uint8_t *out, uint64_t cap, uint64_t *len,
                         char *error) {
  uint64_t need = (uint64_t)w * h * channels;
  *len = need;
  if (need > cap) {
    od_error_text(error, "Cannot write raw pixels: %llu bytes do not fit in %llu",
                  (unsigned long long)need, (unsigned long long)cap);
    return OD_ERR_BUFFER_TOO_SMALL;
  }
  for (uint32_t y = 0; y < h; y++) {
    const uint8_t *s = px + (size_t)y * stride;
    uint8_t *d = out + (size_t)y * w * channels;
    if (channels == 4) {
      for (uint32_t x = 0; x < w; x++, s += 4, d += 4) {
        d[0] = s[2];
        d[1] = s[1];
        d[2] = s[0];
        d[3] = 0xff;
      }
    } else {
      for (uint32_t x = 0; x < w; x++, s += 4, d += 3) {
        d[0] = s[2];
        d[1] = s[1];
        d[2] = s[0];
      }
    }
  }
  return OD_OK;
}

OD_API int od_frame_encode(od_frame *frame, uint32_t format, uint32_t quality, uint32_t x,
                           uint32_t y, uint32_t width, uint32_t height, uint8_t *out,
                           uint64_t cap, uint64_t *len) {
  if (!frame || !out || !len) return OD_ERR_INVALID_ARGUMENT;
  *len = 0;
  if (!frame->pixels) {
    od_error_text(frame->error, "Cannot encode an empty frame: capture first");
    return OD_ERR_STATE;
  }
  if (width == 0 && x < frame->width) width = frame->width - x;
  if (height == 0 && y < frame->height) height = frame->height - y;
  if (x >= frame->width || y >= frame->height || width > frame->width - x ||
      height > frame->height - y || width == 0 || height == 0) {
    od_error_text(frame->error, "Cannot encode area %u,%u %ux%u of a %ux%u frame", x, y, width,
                  height, frame->width, frame->height);
    return OD_ERR_INVALID_ARGUMENT;
  }
  const uint8_t *px = frame->pixels + (size_t)y * frame->stride + (size_t)x * 4;
  switch (format) {
  case OD_FORMAT_PNG:
    return od_png_encode(px, frame->stride, width, height, NULL, out, cap, len, frame->error);
  case OD_FORMAT_PNG_PALETTE:
    return od_png_palette_encode(px, frame->stride, width, height, out, cap, len, frame->error);
  case OD_FORMAT_JPEG:
  case OD_FORMAT_JPEG_COMPACT:
    if (quality < 1 || quality > 100) {
      od_error_text(frame->error, "Cannot encode JPEG with quality %u: use 1 to 100", quality);
      return OD_ERR_INVALID_ARGUMENT;
    }
    return od_jpeg_encode(px, frame->stride, width, height, quality,
                          format == OD_FORMAT_JPEG_COMPACT, out, cap, len, frame->error);
  case OD_FORMAT_RAW_RGBA:
    return od_encode_raw(px, frame->stride, width, height, 4, out, cap, len, frame->error);
  case OD_FORMAT_RAW_RGB:
    return od_encode_raw(px, frame->stride, width, height, 3, out, cap, len, frame->error);
  default:
    od_error_text(frame->error, "Cannot encode in format %u: unknown format", format);
    return OD_ERR_INVALID_ARGUMENT;
  }
}

OD_API int od_frame_encode_scaled(od_frame *frame, uint32_t format, uint32_t quality,
                                  uint32_t width, uint32_t height, uint8_t *out, uint64_t cap,
                                  uint64_t *len) {
  if (!frame || !out || !len) return OD_ERR_INVALID_ARGUMENT;
  *len = 0;
  int status = od_frame_check_scale(frame, width, height);
  if (status != OD_OK) return status;
  if (width == frame->width && height == frame->height)
    return od_frame_encode(frame, format, quality, 0, 0, 0, 0, out, cap, len);
  if (format == OD_FORMAT_PNG) {
    /* Scaled inside the encoder's pieces: the scaled image is never stored. */
    od_scaler *scaler = NULL;
    status = od_scaler_create(frame->width, frame->height, width, height, &scaler);
    if (status != OD_OK) {
      od_error_text(frame->error, "Cannot scale the frame: out of memory");
      return status;
    }
    status = od_png_encode(frame->pixels, frame->stride, width, height, scaler, out, cap, len,
                           frame->error);
    od_scaler_destroy(scaler);
    return status;
  }
  if (frame->pixels == frame->scaled) {
    od_error_text(frame->error, "Cannot scale a frame twice: capture again first");
    return OD_ERR_STATE;
  }
  status = od_frame_scale_into(frame, width, height);
  if (status != OD_OK) return status;
  /* Encode the scaled copy, then show the frame's own image again. */
  uint8_t *pixels = frame->pixels;
  uint32_t w = frame->width, h = frame->height, stride = frame->stride;
  frame->pixels = frame->scaled;
  frame->width = width;
  frame->height = height;
  frame->stride = width * 4;
  status = od_frame_encode(frame, format, quality, 0, 0, 0, 0, out, cap, len);
  frame->pixels = pixels;
  frame->width = w;
  frame->height = h;
  frame->stride = stride;
  return status;
}
