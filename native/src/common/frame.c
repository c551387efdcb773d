/* od_frame: an image owned by the shim (see opendesk.h). */
#include "_common.h"

#include <stdlib.h>
#include <string.h>

OD_API int od_frame_create(od_frame **out) {
  if (!out) return OD_ERR_INVALID_ARGUMENT;
  *out = calloc(1, sizeof(od_frame));
  return *out ? OD_OK : OD_ERR_NO_MEMORY;
}

OD_API int od_frame_destroy(od_frame *frame) {
  if (!frame) return OD_OK;
  if (frame->backing) frame->backing->release(frame->backing);
  free(frame->own);
  free(frame->scaled);
  free(frame);
  return OD_OK;
}

OD_API int od_frame_pixels(const od_frame *frame, uint8_t **pixels, uint32_t *width,
                           uint32_t *height, uint32_t *stride) {
  if (!frame || !pixels || !width || !height || !stride) return OD_ERR_INVALID_ARGUMENT;
  *pixels = frame->pixels;
  *width = frame->width;
  *height = frame->height;
  *stride = frame->stride;
  return OD_OK;
}

OD_API int od_frame_last_error(const od_frame *frame, char *buf, uint32_t cap, uint32_t *len) {
  if (!frame) return OD_ERR_INVALID_ARGUMENT;
  return od_copy_text(frame->error, buf, cap, len);
}

int od_frame_reserve_own(od_frame *frame, size_t bytes) {
  if (frame->own_cap >= bytes) return OD_OK;
  uint8_t *p = realloc(frame->own, bytes);
  if (!p) {
    od_error_text(frame->error, "Cannot allocate %zu bytes for a frame", bytes);
    return OD_ERR_NO_MEMORY;
  }
  frame->own = p;
  frame->own_cap = bytes;
  return OD_OK;
}
