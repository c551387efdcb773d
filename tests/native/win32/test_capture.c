/* Display facts and capture: the pixels of the test window's solid squares at their known
 * desktop positions, the pointer overlay, and the shared encoders (PNG, JPEG through WIC). */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "_tap.h"
#include "_tests.h"
#include "_ui.h"

void test_display(od_display *d) {
  uint32_t w = 0, h = 0;
  int32_t ox = 1, oy = 1;
  int s = od_display_size(d, &w, &h);
  int so = od_display_origin(d, &ox, &oy);
  tap_check(s == OD_OK && so == OD_OK && (int)w == GetSystemMetrics(SM_CXVIRTUALSCREEN) &&
                (int)h == GetSystemMetrics(SM_CYVIRTUALSCREEN) &&
                ox == GetSystemMetrics(SM_XVIRTUALSCREEN) &&
                oy == GetSystemMetrics(SM_YVIRTUALSCREEN),
            "od_display_size/origin give the virtual screen (%ux%u at %d,%d)", w, h, ox, oy);
  od_monitor mons[8];
  uint32_t count = 0;
  s = od_display_monitors(d, mons, 8, &count);
  tap_check(s == OD_OK && count == (uint32_t)GetSystemMetrics(SM_CMONITORS) && count >= 1 &&
                mons[0].width > 0 && mons[0].name[0] != 0,
            "od_display_monitors lists %u monitor(s), first %s %ux%u at %d,%d primary=%u", count,
            count ? mons[0].name : "-", count ? mons[0].width : 0, count ? mons[0].height : 0,
            count ? mons[0].x : 0, count ? mons[0].y : 0, count ? mons[0].primary : 0);
  s = od_display_monitors(d, mons, 0, &count);
  tap_check(s == OD_ERR_BUFFER_TOO_SMALL && count >= 1,
            "od_display_monitors with no room reports the count needed (%s)", tap_status(s));
  uint32_t features = 0;
  od_display_features(d, &features);
  tap_diag("features 0x%x (Desktop Duplication %s)", features,
           (features & OD_FEATURE_WIN_DXGI) ? "on" : "off: GDI capture");
}

static uint32_t pixel_at(od_frame *f, uint32_t x, uint32_t y) {
  uint8_t *px;
  uint32_t w, h, stride;
  od_frame_pixels(f, &px, &w, &h, &stride);
  if (!px || x >= w || y >= h) return 0xdeadbeef;
  const uint8_t *p = px + (size_t)y * stride + (size_t)x * 4;
  return ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0]; /* 0xRRGGBB */
}

/* Captures the main window's client area; 1 when the three squares show their colours. */
static int squares_visible(od_display *d, od_frame *f) {
  POINT o = ui_client_origin(ui_main);
  if (od_capture_grab(d, f, o.x, o.y, UI_CLIENT_W, UI_CLIENT_H, 0) != OD_OK) return 0;
  int c = UI_SQUARE_Y + UI_SQUARE / 2;
  return pixel_at(f, UI_RED_X + 30, c) == 0xff0000 && pixel_at(f, UI_GREEN_X + 30, c) == 0x00ff00 &&
         pixel_at(f, UI_BLUE_X + 30, c) == 0x0000ff && pixel_at(f, 10, 100) == 0xffffff;
}

void test_capture(od_display *d) {
  od_frame *f = NULL;
  od_frame_create(&f);
  SetForegroundWindow(ui_main);
  int seen = TAP_WAIT(squares_visible(d, f), 10000);
  POINT o = ui_client_origin(ui_main);
  tap_check(seen, "od_capture_grab shows red, green and blue squares at their desktop "
                  "positions (client origin %ld,%ld)", o.x, o.y);
  /* Exact edges: the pixel left of the red square is white, its first column red. */
  int c = UI_SQUARE_Y + UI_SQUARE / 2;
  tap_check(pixel_at(f, UI_RED_X - 1, c) == 0xffffff && pixel_at(f, UI_RED_X, c) == 0xff0000 &&
                pixel_at(f, UI_RED_X + UI_SQUARE - 1, c) == 0xff0000 &&
                pixel_at(f, UI_RED_X + UI_SQUARE, c) == 0xffffff,
            "the red square's edges are at x=%d and x=%d exactly", UI_RED_X,
            UI_RED_X + UI_SQUARE - 1);
  /* A sub-area grab: its own top-left is the green square's top-left. */
  int s = od_capture_grab(d, f, o.x + UI_GREEN_X, o.y + UI_SQUARE_Y, 10, 10, 0);
  tap_check(s == OD_OK && pixel_at(f, 0, 0) == 0x00ff00 && pixel_at(f, 9, 9) == 0x00ff00,
            "a 10x10 grab at the green square's corner is green (%s)", tap_status(s));
  /* One pixel: od_display_pixel reads the same colours at the same desktop positions. */
  uint32_t red = 0, white = 0;
  int sr = od_display_pixel(d, o.x + UI_RED_X, o.y + c, &red);
  int sw = od_display_pixel(d, o.x + UI_RED_X - 1, o.y + c, &white);
  tap_check(sr == OD_OK && sw == OD_OK && red == 0xff0000 && white == 0xffffff,
            "od_display_pixel reads the red square's first column (0x%06x) and the white pixel "
            "left of it (0x%06x)",
            red, white);
  uint32_t w = 0, h = 0;
  od_display_size(d, &w, &h);
  int32_t ox = 0, oy = 0;
  od_display_origin(d, &ox, &oy);
  s = od_display_pixel(d, ox + (int32_t)w, oy, &red);
  tap_check(s == OD_ERR_INVALID_ARGUMENT, "a pixel right of the desktop is refused (%s: %s)",
            tap_status(s), tap_shim_error());
  s = od_capture_grab(d, f, 0, 0, w + 1, h, 0);
  tap_check(s == OD_ERR_INVALID_ARGUMENT, "an area outside the desktop is refused (%s: %s)",
            tap_status(s), tap_shim_error());

  /* Pointer overlay: the pointer over the red square changes pixels only with the flag. */
  od_input_pointer_move(d, o.x + UI_RED_X + 20, o.y + UI_SQUARE_Y + 20);
  od_frame *with = NULL;
  od_frame_create(&with);
  int differs = TAP_WAIT(
      od_capture_grab(d, f, o.x + UI_RED_X, o.y + UI_SQUARE_Y, UI_SQUARE, UI_SQUARE, 0) == OD_OK &&
          od_capture_grab(d, with, o.x + UI_RED_X, o.y + UI_SQUARE_Y, UI_SQUARE, UI_SQUARE,
                          OD_CAPTURE_CURSOR) == OD_OK &&
          pixel_at(f, 20, 20) == 0xff0000 && pixel_at(with, 20, 20) != 0xff0000,
      5000);
  tap_check(differs, "OD_CAPTURE_CURSOR draws the pointer at its hot spot (pixel 0x%06x, "
                     "without the flag 0x%06x)", pixel_at(with, 20, 20), pixel_at(f, 20, 20));
  tap_check(pixel_at(with, 2, 2) == 0xff0000, "the overlay leaves pixels away from the pointer");
  od_frame_destroy(with);

  /* Encoders on a captured window. */
  squares_visible(d, f);
  uint64_t cap = 0, len = 0;
  od_encode_bound(OD_FORMAT_PNG, UI_CLIENT_W, UI_CLIENT_H, &cap);
  uint8_t *buf = malloc(cap);
  s = od_frame_encode(f, OD_FORMAT_PNG, 0, 0, 0, 0, 0, buf, cap, &len);
  tap_check(s == OD_OK && len > 8 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0 &&
                buf[16] == 0 && buf[18] == (UI_CLIENT_W >> 8) && buf[19] == (UI_CLIENT_W & 0xff),
            "PNG of the capture: %llu bytes, IHDR width %u (%s)", (unsigned long long)len,
            UI_CLIENT_W, tap_status(s));
  s = od_frame_encode_scaled(f, OD_FORMAT_PNG, 0, UI_CLIENT_W / 2, UI_CLIENT_H / 2, buf, cap,
                             &len);
  tap_check(s == OD_OK && buf[19] == ((UI_CLIENT_W / 2) & 0xff),
            "scaled PNG (the shared scaler) is half as wide (%s)", tap_status(s));
  free(buf);
  od_encode_bound(OD_FORMAT_JPEG, UI_CLIENT_W, UI_CLIENT_H, &cap);
  buf = malloc(cap);
  s = od_frame_encode(f, OD_FORMAT_JPEG, 80, 0, 0, 0, 0, buf, cap, &len);
  char err[256] = "";
  uint32_t elen = 0;
  if (s != OD_OK) od_frame_last_error(f, err, sizeof err, &elen);
  tap_check(s == OD_OK && len > 200 && buf[0] == 0xff && buf[1] == 0xd8 && buf[len - 2] == 0xff &&
                buf[len - 1] == 0xd9,
            "JPEG through WIC: %llu bytes from SOI to EOI (%s %s)", (unsigned long long)len,
            tap_status(s), err);
  s = od_frame_encode(f, OD_FORMAT_JPEG, 80, 0, 0, 0, 0, buf, 100, &len);
  err[0] = 0;
  if (s != OD_ERR_BUFFER_TOO_SMALL) od_frame_last_error(f, err, sizeof err, &elen);
  tap_check(s == OD_ERR_BUFFER_TOO_SMALL, "JPEG into a 100-byte buffer is BUFFER_TOO_SMALL (%s %s)",
            tap_status(s), err);
  free(buf);
  od_frame_destroy(f);
}
