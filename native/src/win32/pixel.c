/* od_display_pixel on Windows: one pixel of the virtual screen read with GetPixel on the screen
 * device context (no DIB section: one pixel is cheaper to ask for than to blit). Coordinates are
 * virtual-screen pixels, like od_capture_grab's, so they may be negative left of or above the
 * primary monitor. */
#include "_win32.h"

OD_API int od_display_pixel(od_display *d, int32_t x, int32_t y, uint32_t *rgb) {
  if (!d || !rgb)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_display_pixel: a pointer is NULL");
  od_win_dpi_thread();
  RECT vs;
  od_win_virtual_screen(&vs);
  if (x < vs.left || y < vs.top || x >= vs.right || y >= vs.bottom) {
    return od_win_fail(d->error, OD_ERR_INVALID_ARGUMENT,
                       "Point (%d, %d) is outside the desktop (%ld,%ld to %ld,%ld)", x, y, vs.left,
                       vs.top, vs.right, vs.bottom);
  }
  HDC screen = GetDC(NULL);
  if (!screen) return od_win_fail_sys(d->error, OD_ERR_WIN_CAPTURE, "GetDC(screen) failed");
  COLORREF c = GetPixel(screen, x, y);
  ReleaseDC(NULL, screen);
  if (c == CLR_INVALID) {
    return od_win_fail(d->error, OD_ERR_WIN_CAPTURE,
                       "Cannot read the pixel at (%d, %d): GetPixel returned CLR_INVALID "
                       "(the point is on no monitor, or the desktop is not readable)",
                       x, y);
  }
  *rgb = (uint32_t)GetRValue(c) << 16 | (uint32_t)GetGValue(c) << 8 | GetBValue(c);
  return OD_OK;
}
