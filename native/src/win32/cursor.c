/* Pointer overlay: the cursor the user sees (GetCursorInfo), drawn with DrawIconEx into a small
 * DIB that holds a copy of the pixels under it, then copied back. Working on a copy serves both
 * capture paths (the GDI path's DIB and Desktop Duplication's plain memory). */
#include "_win32.h"

#include <string.h>

#define OD_CURSOR_BOX 128 /* the largest cursor drawn (Windows' biggest accessibility size) */

void od_win_draw_cursor(uint8_t *pixels, uint32_t width, uint32_t height, uint32_t stride,
                        int32_t x0, int32_t y0) {
  CURSORINFO ci;
  memset(&ci, 0, sizeof ci);
  ci.cbSize = sizeof ci;
  if (!GetCursorInfo(&ci) || !(ci.flags & CURSOR_SHOWING) || !ci.hCursor) return;
  ICONINFO ii;
  int hx = 0, hy = 0;
  if (GetIconInfo(ci.hCursor, &ii)) {
    hx = (int)ii.xHotspot;
    hy = (int)ii.yHotspot;
    if (ii.hbmMask) DeleteObject(ii.hbmMask);
    if (ii.hbmColor) DeleteObject(ii.hbmColor);
  }
  /* The cursor's box in image coordinates, clipped to the image. */
  int left = ci.ptScreenPos.x - hx - x0, top = ci.ptScreenPos.y - hy - y0;
  int bx0 = left < 0 ? 0 : left, by0 = top < 0 ? 0 : top;
  int bx1 = left + OD_CURSOR_BOX, by1 = top + OD_CURSOR_BOX;
  if (bx1 > (int)width) bx1 = (int)width;
  if (by1 > (int)height) by1 = (int)height;
  if (bx0 >= bx1 || by0 >= by1) return;
  BITMAPINFO bi;
  memset(&bi, 0, sizeof bi);
  bi.bmiHeader.biSize = sizeof bi.bmiHeader;
  bi.bmiHeader.biWidth = OD_CURSOR_BOX;
  bi.bmiHeader.biHeight = -OD_CURSOR_BOX;
  bi.bmiHeader.biPlanes = 1;
  bi.bmiHeader.biBitCount = 32;
  bi.bmiHeader.biCompression = BI_RGB;
  HDC dc = CreateCompatibleDC(NULL);
  if (!dc) return;
  void *bits = NULL;
  HBITMAP bmp = CreateDIBSection(dc, &bi, DIB_RGB_COLORS, &bits, NULL, 0);
  if (!bmp || !bits) {
    DeleteDC(dc);
    return;
  }
  HGDIOBJ old = SelectObject(dc, bmp);
  uint8_t *box = bits;
  size_t run = (size_t)(bx1 - bx0) * 4;
  for (int y = by0; y < by1; y++)
    memcpy(box + (size_t)(y - top) * OD_CURSOR_BOX * 4 + (size_t)(bx0 - left) * 4,
           pixels + (size_t)y * stride + (size_t)bx0 * 4, run);
  DrawIconEx(dc, 0, 0, ci.hCursor, 0, 0, 0, NULL, DI_NORMAL);
  GdiFlush();
  for (int y = by0; y < by1; y++)
    memcpy(pixels + (size_t)y * stride + (size_t)bx0 * 4,
           box + (size_t)(y - top) * OD_CURSOR_BOX * 4 + (size_t)(bx0 - left) * 4, run);
  SelectObject(dc, old);
  DeleteObject(bmp);
  DeleteDC(dc);
}
