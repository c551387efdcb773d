/* Shared-memory buffers for screencopy and anonymous files for keymaps. */
#define _GNU_SOURCE
#include "_wayland.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int od_wl_memfd(const char *name, const void *data, size_t size) {
  int fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) return -1;
  if (ftruncate(fd, (off_t)size) != 0) {
    close(fd);
    return -1;
  }
  if (data) {
    const uint8_t *p = data;
    size_t done = 0;
    while (done < size) {
      ssize_t n = write(fd, p + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fd);
        return -1;
      }
      done += (size_t)n;
    }
  }
  return fd;
}

int od_wl_buffer_create(od_wayland *wl, uint32_t format, uint32_t width, uint32_t height,
                        uint32_t stride, od_wl_buffer *out) {
  memset(out, 0, sizeof *out);
  size_t size = (size_t)stride * height;
  if (size == 0 || stride < width * 4u)
    return od_fail(OD_ERR_WAYLAND_CAPTURE, "The compositor offered an unusable %ux%u buffer",
                   width, height);
  int fd = od_wl_memfd("opendesk-capture", NULL, size);
  if (fd < 0) return od_fail(OD_ERR_SYSTEM, "Cannot create shared memory: %s", strerror(errno));
  void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    close(fd);
    return od_fail(OD_ERR_SYSTEM, "Cannot map shared memory: %s", strerror(errno));
  }
  struct wl_shm_pool *pool = wl_shm_create_pool(wl->shm, fd, (int32_t)size);
  out->buffer = wl_shm_pool_create_buffer(pool, 0, (int32_t)width, (int32_t)height,
                                          (int32_t)stride, format);
  wl_shm_pool_destroy(pool);
  close(fd);
  out->data = data;
  out->size = size;
  out->width = width;
  out->height = height;
  out->stride = stride;
  out->format = format;
  return OD_OK;
}

void od_wl_buffer_destroy(od_wl_buffer *b) {
  if (b->buffer) wl_buffer_destroy(b->buffer);
  if (b->data) munmap(b->data, b->size);
  memset(b, 0, sizeof *b);
}

int od_wl_buffer_to_bgrx(const od_wl_buffer *b, int y_invert, uint8_t *dst,
                         uint32_t dst_stride) {
  int swap;
  switch (b->format) {
  case WL_SHM_FORMAT_XRGB8888:
  case WL_SHM_FORMAT_ARGB8888:
    swap = 0; /* little-endian: B, G, R, X in memory, the frame's own order */
    break;
  case WL_SHM_FORMAT_XBGR8888:
  case WL_SHM_FORMAT_ABGR8888:
    swap = 1;
    break;
  default:
    return od_fail(OD_ERR_WAYLAND_CAPTURE, "The compositor offered pixel format 0x%08x, which the "
                   "shim cannot read", b->format);
  }
  for (uint32_t y = 0; y < b->height; y++) {
    const uint8_t *src = b->data + (size_t)(y_invert ? b->height - 1 - y : y) * b->stride;
    uint8_t *row = dst + (size_t)y * dst_stride;
    if (!swap) {
      memcpy(row, src, (size_t)b->width * 4);
      continue;
    }
    for (uint32_t x = 0; x < b->width; x++) {
      row[4 * x] = src[4 * x + 2];
      row[4 * x + 1] = src[4 * x + 1];
      row[4 * x + 2] = src[4 * x];
      row[4 * x + 3] = 0xff;
    }
  }
  return OD_OK;
}
