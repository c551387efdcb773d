/* od_display_pixel: the colour of one desktop pixel, read with a 1x1
 * GetImage request (no shared memory: one pixel is cheaper to copy than to
 * attach a segment for). */
#include "_x11.h"

#include <X11/Xutil.h>

/* Scales the bits of `pixel` under `mask` to 0-255. */
static uint32_t od_channel(unsigned long pixel, unsigned long mask) {
  if (mask == 0) return 0;
  while ((mask & 1) == 0) {
    mask >>= 1;
    pixel >>= 1;
  }
  return (uint32_t)(((pixel & mask) * 255 + mask / 2) / mask);
}

OD_API int od_display_pixel(od_display *d, int32_t x, int32_t y, uint32_t *rgb) {
  if (!d || !rgb) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_display_pixel: a pointer is NULL");
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  int width = DisplayWidth(d->dpy, d->screen);
  int height = DisplayHeight(d->dpy, d->screen);
  if (x < 0 || y < 0 || x >= width || y >= height) {
    status = od_x11_fail(d, OD_ERR_INVALID_ARGUMENT,
                         "Point (%d, %d) is outside the %dx%d desktop", x, y, width, height);
    return od_x11_end(d, status);
  }
  od_x11_trap_begin(d);
  XImage *image = XGetImage(d->dpy, d->root, x, y, 1, 1, AllPlanes, ZPixmap);
  status = od_x11_trap_end(d, "read a pixel");
  if (status == OD_OK && !image) {
    status = od_x11_fail(d, OD_ERR_X11_CAPTURE, "Cannot read the pixel at (%d, %d)", x, y);
  }
  if (status == OD_OK) {
    unsigned long pixel = XGetPixel(image, 0, 0);
    *rgb = od_channel(pixel, d->red_mask) << 16 | od_channel(pixel, d->green_mask) << 8 |
           od_channel(pixel, d->blue_mask);
  }
  if (image) XDestroyImage(image);
  return od_x11_end(d, status);
}
