/* Screen capture: Desktop Duplication when the display opened it and the area lies on one
 * monitor, otherwise GDI BitBlt from the screen into a DIB section that the frame keeps (so a
 * repeated capture of the same size allocates nothing and the frame's pixels are the DIB's).
 * The pointer overlay is drawn with DrawIconEx for both paths. */
#include "_win32.h"

#include <stdlib.h>
#include <string.h>

/* A DIB section attached to a frame as its backing. */
typedef struct {
  od_frame_backing base; /* first: the frame only sees this */
  od_frame *frame;
  HDC dc;
  HBITMAP bitmap;
  HGDIOBJ previous;
  uint8_t *bits;
  uint32_t width, height;
} od_win_dib;

static void od_dib_release(od_frame_backing *b) {
  od_win_dib *dib = (od_win_dib *)b;
  if (dib->frame && dib->frame->pixels == dib->bits) dib->frame->pixels = NULL;
  SelectObject(dib->dc, dib->previous);
  DeleteObject(dib->bitmap);
  DeleteDC(dib->dc);
  free(dib);
}

/* A top-down 32-bit DIB section of exactly width x height, reused when the size matches. */
static od_win_dib *od_dib_for(od_frame *frame, uint32_t width, uint32_t height) {
  od_win_dib *dib = (od_win_dib *)frame->backing;
  if (dib && dib->width == width && dib->height == height) return dib;
  if (dib) {
    frame->backing = NULL;
    od_dib_release(&dib->base);
  }
  dib = calloc(1, sizeof *dib);
  if (!dib) return NULL;
  BITMAPINFO bi;
  memset(&bi, 0, sizeof bi);
  bi.bmiHeader.biSize = sizeof bi.bmiHeader;
  bi.bmiHeader.biWidth = (LONG)width;
  bi.bmiHeader.biHeight = -(LONG)height; /* negative: rows top to bottom */
  bi.bmiHeader.biPlanes = 1;
  bi.bmiHeader.biBitCount = 32;
  bi.bmiHeader.biCompression = BI_RGB;
  dib->dc = CreateCompatibleDC(NULL);
  void *bits = NULL;
  dib->bitmap = dib->dc ? CreateDIBSection(dib->dc, &bi, DIB_RGB_COLORS, &bits, NULL, 0) : NULL;
  if (!dib->bitmap || !bits) {
    if (dib->dc) DeleteDC(dib->dc);
    free(dib);
    return NULL;
  }
  dib->previous = SelectObject(dib->dc, dib->bitmap);
  dib->bits = bits;
  dib->width = width;
  dib->height = height;
  dib->frame = frame;
  dib->base.release = od_dib_release;
  frame->backing = &dib->base;
  return dib;
}

static int od_gdi_grab(od_display *d, od_frame *frame, int32_t x, int32_t y, uint32_t width,
                       uint32_t height) {
  od_win_dib *dib = od_dib_for(frame, width, height);
  if (!dib)
    return od_win_fail_sys(d->error, OD_ERR_NO_MEMORY, "Cannot create a %ux%u DIB section",
                           width, height);
  HDC screen = GetDC(NULL);
  if (!screen) return od_win_fail_sys(d->error, OD_ERR_WIN_CAPTURE, "GetDC(screen) failed");
  /* CAPTUREBLT includes layered (translucent) windows, as the user sees them. */
  BOOL ok = BitBlt(dib->dc, 0, 0, (int)width, (int)height, screen, x, y, SRCCOPY | CAPTUREBLT);
  ReleaseDC(NULL, screen);
  if (!ok) return od_win_fail_sys(d->error, OD_ERR_WIN_CAPTURE, "BitBlt from the screen failed");
  GdiFlush();
  frame->pixels = dib->bits;
  frame->width = width;
  frame->height = height;
  frame->stride = width * 4;
  return OD_OK;
}

OD_API int od_capture_grab(od_display *d, od_frame *frame, int32_t x, int32_t y, uint32_t width,
                           uint32_t height, uint32_t flags) {
  if (!d || !frame || width == 0 || height == 0)
    return od_win_fail(d ? d->error : NULL, OD_ERR_INVALID_ARGUMENT,
                       "od_capture_grab: NULL handle or empty area");
  od_win_dpi_thread();
  RECT vs;
  od_win_virtual_screen(&vs);
  if (x < vs.left || y < vs.top || (int64_t)x + width > vs.right ||
      (int64_t)y + height > vs.bottom)
    return od_win_fail(d->error, OD_ERR_INVALID_ARGUMENT,
                       "The area %d,%d %ux%u is outside the desktop %ld,%ld %ldx%ld", x, y, width,
                       height, vs.left, vs.top, vs.right - vs.left, vs.bottom - vs.top);
  int status = OD_ERR_UNSUPPORTED;
  EnterCriticalSection(&d->lock);
  if (d->dxgi) {
    RECT area = {x, y, x + (LONG)width, y + (LONG)height};
    status = od_dxgi_grab(d->dxgi, frame, &area);
  }
  LeaveCriticalSection(&d->lock);
  if (status == OD_ERR_UNSUPPORTED) status = od_gdi_grab(d, frame, x, y, width, height);
  if (status != OD_OK) return status;
  if (flags & OD_CAPTURE_CURSOR)
    od_win_draw_cursor(frame->pixels, frame->width, frame->height, frame->stride, x, y);
  return OD_OK;
}

OD_API int od_cursor_position(od_display *d, int32_t *x, int32_t *y) {
  if (!d || !x || !y)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_cursor_position: NULL argument");
  od_win_dpi_thread();
  POINT p;
  if (!GetCursorPos(&p))
    return od_win_fail_sys(d->error, OD_ERR_WIN_CALL, "GetCursorPos failed");
  *x = p.x;
  *y = p.y;
  return OD_OK;
}
