/* Windows against sway's tree, and the clipboard against wl-copy / wl-paste. */
#define _GNU_SOURCE
#include "_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

void test_windows(desk *d) {
  static char list[65536];
  uint32_t len = 0;
  int st = od_wayland_windows_list(d->wl, (uint8_t *)list, sizeof list - 1, &len);
  list[st == OD_OK ? len : 0] = 0;
  desk_tree(d);
  int ours = count(list, "{\"id\":"), swaycount = count(d->tree, "\"xdg_shell\"");
  uint32_t foot = desk_window(d, "foot"), gtk = desk_window(d, "opendesk-gtk-probe");
  check(st == OD_OK && foot && gtk && ours == swaycount, "windows list matches sway's tree",
        "%d listed, sway has %d: %s", ours, swaycount, list);
  check(strstr(list, "\"title\":\"opendesk wayland probe\"") != NULL, "windows list has titles",
        "%s", list);
  /* A connection opened after the windows appeared lists them too. */
  od_wayland *late = NULL;
  static char late_list[65536];
  st = od_wayland_display_open(NULL, &late);
  if (st == OD_OK)
    st = od_wayland_windows_list(late, (uint8_t *)late_list, sizeof late_list - 1, &len);
  late_list[st == OD_OK ? len : 0] = 0;
  od_wayland_display_close(late);
  check(st == OD_OK && count(late_list, "{\"id\":") == ours,
        "windows listed by a later connection", "status %d: %s", st, late_list);

  st = od_wayland_windows_focus(d->wl, foot, 5000);
  uint32_t active = 0;
  od_wayland_windows_active(d->wl, &active);
  desk_tree(d);
  const char *node = sway_node(d->tree, "foot");
  const char *focused = node ? sway_node_before(d->tree, node, "focused") : NULL;
  check(st == OD_OK && active == foot && focused && strncmp(focused, "true", 4) == 0,
        "windows focus activates foot in sway", "status %d, active %u (foot %u), sway %.5s", st,
        active, foot, focused ? focused : "?");
  od_wayland_windows_focus(d->wl, gtk, 5000);

  /* Bounds and moves through sway's IPC. */
  uint8_t reply[4096];
  st = od_wayland_sway_request(d->wl, 0,
                          "[app_id=\"foot\"] floating enable, resize set 640 400, "
                          "move position 100 120",
                          reply, sizeof reply, &len);
  long r[4] = {0};
  double end = now_ms() + 5000;
  while (now_ms() < end && !(desk_rect(d, "foot", r) && r[0] == 100 && r[1] == 120 &&
                             r[2] == 640 && r[3] == 400))
    usleep(20000);
  check(st == OD_OK && r[0] == 100 && r[1] == 120 && r[2] == 640 && r[3] == 400,
        "sway IPC moves foot", "rect %ld,%ld %ldx%ld", r[0], r[1], r[2], r[3]);

  st = od_wayland_windows_set_state(d->wl, gtk, OD_WAYLAND_STATE_FULLSCREEN, 1);
  end = now_ms() + 5000;
  int full = 0;
  while (!full && now_ms() < end) {
    desk_tree(d);
    node = sway_node(d->tree, "opendesk-gtk-probe");
    const char *mode = node ? json_value(node, "fullscreen_mode") : NULL;
    full = mode && *mode == '1';
    if (!full) {
      /* fullscreen_mode may precede app_id in the object: look backwards too. */
      mode = node ? sway_node_before(d->tree, node, "fullscreen_mode") : NULL;
      full = mode && *mode == '1';
    }
    if (!full) usleep(20000);
  }
  check(st == OD_OK && full, "windows fullscreen reaches sway", "status %d", st);
  od_wayland_windows_set_state(d->wl, gtk, OD_WAYLAND_STATE_FULLSCREEN, 0);

  st = od_wayland_windows_request_close(d->wl, foot);
  end = now_ms() + 10000;
  int gone = 0;
  while (!gone && now_ms() < end) {
    desk_tree(d);
    gone = desk_window(d, "foot") == 0 && sway_node(d->tree, "foot") == NULL;
    if (!gone) usleep(20000);
  }
  check(st == OD_OK && gone, "windows close ends foot", "status %d", st);
  st = od_wayland_windows_request_close(d->wl, foot);
  check(st == OD_ERR_NOT_FOUND, "windows close of a closed window is NOT_FOUND", "status %d", st);
  if (gone) {
    waitpid(d->foot, NULL, 0);
    d->foot = 0;
  }
}

/* Packs {u32 len, mime, u32 len, data} entries. */
static size_t pack(uint8_t *out, const char *mime, const void *data, uint32_t len) {
  uint32_t ml = (uint32_t)strlen(mime);
  memcpy(out, &ml, 4);
  memcpy(out + 4, mime, ml);
  memcpy(out + 4 + ml, &len, 4);
  memcpy(out + 8 + ml, data, len);
  return 8 + ml + len;
}

void test_clipboard(desk *d) {
  /* Write two types, one of them 6 MB, and read them with wl-paste. */
  uint32_t big_len = 6u << 20;
  uint8_t *big = malloc(big_len);
  for (uint32_t i = 0; i < big_len; i++) big[i] = (uint8_t)(i * 2654435761u >> 24);
  uint8_t *packed = malloc(big_len + 1024);
  const char *text = "héllo from opendesk ✓";
  size_t n = pack(packed, "text/plain;charset=utf-8", text, (uint32_t)strlen(text));
  n += pack(packed + n, "application/x-opendesk-test", big, big_len);
  int st = od_wayland_clipboard_write(d->wl, packed, (uint32_t)n, 5000);
  int32_t owned = 0;
  od_wayland_clipboard_owned(d->wl, &owned);
  check(st == OD_OK && owned == 1, "clipboard write owns the selection", "status %d", st);
  char *types = run_output("wl-paste --list-types", NULL, 0, NULL);
  check(types && strstr(types, "text/plain;charset=utf-8\n") &&
            strstr(types, "application/x-opendesk-test\n") && strstr(types, "UTF8_STRING\n"),
        "clipboard types seen by wl-paste", "wl-paste listed: %s", types ? types : "(failed)");
  free(types);
  char *got = run_output("wl-paste --no-newline -t text/plain", NULL, 0, NULL);
  check(got && strcmp(got, text) == 0, "clipboard text read by wl-paste", "got '%s'",
        got ? got : "(failed)");
  free(got);
  size_t got_len = 0;
  got = run_output("wl-paste -t application/x-opendesk-test", NULL, 0, &got_len);
  check(got && got_len == big_len && memcmp(got, big, big_len) == 0,
        "clipboard 6 MB read by wl-paste", "got %zu bytes", got_len);
  free(got);

  /* wl-copy owns it now: read its types and a large payload without focus. */
  const char *copy = "wl-copy -t application/octet-stream >/dev/null 2>&1";
  char *copy_out = run_output(copy, big, big_len, NULL);
  int copied = copy_out != NULL;
  free(copy_out);
  od_wayland_clipboard_owned(d->wl, &owned);
  uint32_t len = 0;
  st = od_wayland_clipboard_read(d->wl, "application/octet-stream", 10000, &len);
  uint8_t *back = malloc(big_len);
  uint32_t fetched = 0;
  if (st == OD_OK) st = od_wayland_clipboard_fetch(d->wl, back, big_len, &fetched);
  check(copied && owned == 0 && st == OD_OK && fetched == big_len &&
            memcmp(back, big, big_len) == 0,
        "clipboard 6 MB from wl-copy", "status %d, owned %d, %u bytes", st, owned, fetched);
  run_quiet("wl-copy -t text/html '<b>bold</b>'");
  char targets[4096] = "";
  st = od_wayland_clipboard_targets(d->wl, (uint8_t *)targets, sizeof targets - 1, &len);
  targets[st == OD_OK ? len : 0] = 0;
  st = od_wayland_clipboard_read(d->wl, "text/html", 5000, &len);
  char html[64] = "";
  if (st == OD_OK) od_wayland_clipboard_fetch(d->wl, (uint8_t *)html, sizeof html - 1, &len);
  html[st == OD_OK && len < sizeof html ? len : 0] = 0;
  check(strstr(targets, "text/html\n") && strcmp(html, "<b>bold</b>") == 0,
        "clipboard html from wl-copy", "targets %s, html '%s'", targets, html);
  st = od_wayland_clipboard_read(d->wl, "image/png", 2000, &len);
  check(st == OD_ERR_WAYLAND_NO_SELECTION, "clipboard missing type is NO_SELECTION", "status %d",
        st);
  free(back);
  free(big);
  free(packed);
}
