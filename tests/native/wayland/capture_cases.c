/* Capture cases: pixels against grim's, PNG speed against grim, damage streaming. */
#define _GNU_SOURCE
#include "_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* grim's image of an area (NULL = everything) as RGB rows; NULL when grim failed. */
static uint8_t *grim_rgb(const char *geometry, const char *output, uint32_t *w, uint32_t *h) {
  char cmd[256];
  if (output) snprintf(cmd, sizeof cmd, "grim -o %s -t ppm -", output);
  else if (geometry) snprintf(cmd, sizeof cmd, "grim -g '%s' -t ppm -", geometry);
  else snprintf(cmd, sizeof cmd, "grim -t ppm -");
  size_t len = 0;
  char *ppm = run_output(cmd, NULL, 0, &len);
  unsigned max = 0;
  int header = 0;
  if (!ppm || sscanf(ppm, "P6 %u %u %u%n", w, h, &max, &header) != 3 || max != 255 ||
      len < (size_t)header + 1 + (size_t)*w * *h * 3) {
    free(ppm);
    return NULL;
  }
  uint8_t *rgb = malloc((size_t)*w * *h * 3);
  memcpy(rgb, ppm + header + 1, (size_t)*w * *h * 3);
  free(ppm);
  return rgb;
}

/* Counts pixels of the frame that differ from grim's RGB image. */
static long diff_pixels(od_frame *f, const uint8_t *rgb, uint32_t w, uint32_t h) {
  uint8_t *px;
  uint32_t fw, fh, stride;
  od_frame_pixels(f, &px, &fw, &fh, &stride);
  if (fw != w || fh != h) return -1;
  long bad = 0;
  for (uint32_t y = 0; y < h; y++)
    for (uint32_t x = 0; x < w; x++) {
      const uint8_t *a = px + (size_t)y * stride + x * 4, *b = rgb + ((size_t)y * w + x) * 3;
      bad += a[2] != b[0] || a[1] != b[1] || a[0] != b[2];
    }
  return bad;
}

/* Compares a capture with grim's image of the same area, taken while the screen stood still
 * (grim's images before and after ours are equal). */
static void compare_with_grim(desk *d, const char *name, int32_t x, int32_t y, uint32_t w,
                              uint32_t h, const char *geometry, const char *output) {
  od_frame *f;
  od_frame_create(&f);
  long bad = -2;
  int still = 0;
  double end = now_ms() + 10000;
  while (!still && now_ms() < end) {
    uint32_t gw, gh, gw2, gh2;
    uint8_t *before = grim_rgb(geometry, output, &gw, &gh);
    int st = od_wayland_capture_grab(d->wl, f, x, y, w, h, 0);
    uint8_t *after = grim_rgb(geometry, output, &gw2, &gh2);
    if (before && after && gw == gw2 && gh == gh2 && st == OD_OK) {
      still = memcmp(before, after, (size_t)gw * gh * 3) == 0;
      if (still) bad = diff_pixels(f, before, gw, gh);
    }
    free(before);
    free(after);
  }
  check(still && bad == 0, name, "%s; %ld pixels differ from grim's", still ? "screen still" :
        "the screen never stood still", bad);
  od_frame_destroy(f);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

void test_capture(desk *d) {
  compare_with_grim(d, "capture full output equals grim", 0, 0, 1920, 1080, NULL, NULL);
  compare_with_grim(d, "capture region equals grim", 100, 50, 640, 480, "100,50 640x480", NULL);

  /* 1920x1080 PNG: capture + encode in this process, against grim writing a PNG file. */
  od_frame *f;
  od_frame_create(&f);
  uint64_t cap = 0;
  od_encode_bound(OD_FORMAT_PNG, 1920, 1080, &cap);
  uint8_t *png = malloc(cap);
  double ours[15], grims[15];
  int ok = 1;
  uint64_t len = 0;
  for (int i = 0; i < 15; i++) {
    double t0 = now_ms();
    ok &= od_wayland_capture_grab(d->wl, f, 0, 0, 1920, 1080, 0) == OD_OK;
    ok &= od_frame_encode(f, OD_FORMAT_PNG, 0, 0, 0, 0, 0, png, cap, &len) == OD_OK;
    ours[i] = now_ms() - t0;
    t0 = now_ms();
    ok &= run_quiet("grim -t png /tmp/opendesk-wl-grim.png");
    grims[i] = now_ms() - t0;
  }
  unlink("/tmp/opendesk-wl-grim.png");
  check(ok && len > 8 && memcmp(png, "\x89PNG", 4) == 0, "capture 1920x1080 png", "encode failed");
  qsort(ours, 15, sizeof ours[0], cmp_double);
  qsort(grims, 15, sizeof grims[0], cmp_double);
  figure("capture_png_1920x1080_p50_ms_in_process", ours[7], "ms");
  figure("grim_png_1920x1080_p50_ms", grims[7], "ms");

  /* With the pointer drawn in: the call succeeds and keeps the size. */
  uint8_t *px;
  uint32_t w = 0, h = 0, stride;
  int st = od_wayland_capture_grab(d->wl, f, 0, 0, 1920, 1080, OD_CAPTURE_CURSOR);
  od_frame_pixels(f, &px, &w, &h, &stride);
  check(st == OD_OK && w == 1920 && h == 1080, "capture with cursor overlay", "status %d, %ux%u",
        st, w, h);
  st = od_wayland_capture_grab(d->wl, f, 1900, 0, 100, 10, 0);
  check(st == OD_ERR_INVALID_ARGUMENT, "capture outside the layout is rejected", "status %d", st);
  free(png);
  od_frame_destroy(f);
}

void test_stream(desk *d) {
  od_wayland_stream *s = NULL;
  od_frame *f;
  od_frame_create(&f);
  uint32_t rects[64], count = 0;
  int st = od_wayland_stream_open(d->wl, 0, 0, &s);
  if (st == OD_OK) st = od_wayland_stream_next(s, f, 3000, rects, 16, &count);
  check(st == OD_OK && count == 1 && rects[2] == 1920 && rects[3] == 1080,
        "stream first frame is the whole output", "status %d, %u rects", st, count);
  /* A static screen: nothing within 300 ms (drain changes still on their way first). */
  double end = now_ms() + 10000;
  do {
    st = od_wayland_stream_next(s, f, 300, rects, 16, &count);
  } while (st == OD_OK && count > 0 && now_ms() < end);
  check(st == OD_OK && count == 0, "stream static screen sends nothing", "status %d, %u rects",
        st, count);
  /* A change in the GTK entry: a damaged area smaller than the output. */
  uint32_t cp = 'x';
  uint32_t typed;
  od_wayland_input_text(d->wl, &cp, 1, 0, &typed);
  st = od_wayland_stream_next(s, f, 3000, rects, 16, &count);
  uint64_t area = 0;
  for (uint32_t i = 0; i < count; i++) area += (uint64_t)rects[4 * i + 2] * rects[4 * i + 3];
  check(st == OD_OK && count >= 1 && area < 1920ull * 1080, "stream reports the damaged area",
        "status %d, %u rects, area %llu", st, count, (unsigned long long)area);
  probe_clear(d);

  /* A 30 fps animation in the probe: frames the stream delivers while it runs (a figure). */
  do {
    st = od_wayland_stream_next(s, f, 300, rects, 16, &count);
  } while (st == OD_OK && count > 0);
  child_send(&d->probe, "animate 90\n");
  int frames = 0;
  double first = 0, last = 0;
  for (;;) {
    st = od_wayland_stream_next(s, f, 1000, rects, 16, &count);
    if (st != OD_OK || count == 0) break;
    last = now_ms();
    if (frames++ == 0) first = last;
  }
  int animated = probe_wait_line(d, "animated", 5000);
  check(st == OD_OK && animated && frames >= 2, "stream follows an animation",
        "status %d, %d frames, probe finished %d", st, frames, animated);
  if (frames >= 2)
    figure("stream_fps_during_30fps_animation", (frames - 1) / ((last - first) / 1000.0), "fps");
  od_wayland_stream_close(s);
  od_frame_destroy(f);
}

void test_outputs_scaled(desk *d) {
  od_wayland_output outs[4];
  uint32_t n = 0;
  int st = od_wayland_display_outputs(d->wl, outs, 4, &n);
  check(st == OD_OK && n == 1 && outs[0].width == 1920 && outs[0].height == 1080 &&
            outs[0].scale == 1 && strcmp(outs[0].name, "HEADLESS-1") == 0,
        "outputs: one 1920x1080 HEADLESS-1", "status %d, %u outputs, first %ux%u '%s'", st, n,
        outs[0].width, outs[0].height, outs[0].name);
  /* A second output at scale 2, right of the first. */
  uint8_t reply[4096];
  uint32_t len;
  od_wayland_sway_request(d->wl, 0, "create_output", reply, sizeof reply, &len);
  od_wayland_sway_request(d->wl, 0, "output HEADLESS-2 resolution 800x600 position 1920 0 scale 2",
                     reply, sizeof reply, &len);
  double end = now_ms() + 5000;
  int found = 0;
  while (!found && now_ms() < end) {
    n = 0;
    od_wayland_display_outputs(d->wl, outs, 4, &n);
    for (uint32_t i = 0; i < n; i++)
      found |= strcmp(outs[i].name, "HEADLESS-2") == 0 && outs[i].scale == 2 &&
               outs[i].width == 400 && outs[i].x == 1920;
    if (!found) usleep(20000);
  }
  check(found, "outputs: a scale-2 output has its logical size and position",
        "HEADLESS-2 not reported as 400x300 at 1920,0 scale 2");
  int32_t bx, by;
  uint32_t bw, bh;
  st = od_wayland_display_bounds(d->wl, &bx, &by, &bw, &bh);
  check(st == OD_OK && bx == 0 && by == 0 && bw == 2320 && bh == 1080, "layout bounds",
        "status %d, %ux%u at %d,%d", st, bw, bh, bx, by);
  compare_with_grim(d, "capture of a scale-2 output equals grim", 1920, 0, 400, 300, NULL,
                    "HEADLESS-2");
  od_frame *f;
  od_frame_create(&f);
  st = od_wayland_capture_grab(d->wl, f, 1800, 0, 300, 100, 0);
  check(st == OD_ERR_UNSUPPORTED, "capture across scales is refused", "status %d", st);
  od_frame_destroy(f);
}
