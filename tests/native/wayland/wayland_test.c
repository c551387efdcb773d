/* C test of the Wayland driver against a running headless sway (WAYLAND_DISPLAY, SWAYSOCK):
 * starts foot and a GTK probe, then checks capture, damage streaming, pointer, keyboard,
 * windows and clipboard against sway's own view and the peer tools (grim, wtype, wl-clipboard).
 * Prints "ok NAME" / "not ok NAME: reason" and "figure NAME VALUE UNIT" lines.
 * Usage: wayland_test <gtk_probe.py> */
#define _GNU_SOURCE
#include "_cases.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int desk_tree(desk *d) {
  uint32_t len = 0;
  int st = od_wayland_sway_request(d->wl, 4, "", (uint8_t *)d->tree, sizeof d->tree - 1, &len);
  d->tree[st == OD_OK ? len : 0] = 0;
  return st == OD_OK;
}

int desk_rect(desk *d, const char *app_id, long r[4]) {
  if (!desk_tree(d)) return 0;
  const char *node = sway_node(d->tree, app_id);
  const char *rect = node ? sway_node_before(d->tree, node, "rect") : NULL;
  if (!rect) return 0;
  r[0] = json_int(rect, "x", -1), r[1] = json_int(rect, "y", -1);
  r[2] = json_int(rect, "width", -1), r[3] = json_int(rect, "height", -1);
  return 1;
}

uint32_t desk_window(desk *d, const char *app_id) {
  static char list[65536];
  uint32_t len = 0;
  if (od_wayland_windows_list(d->wl, (uint8_t *)list, sizeof list - 1, &len) != OD_OK) return 0;
  list[len] = 0;
  char pat[256];
  snprintf(pat, sizeof pat, "\"app_id\":\"%s\"", app_id);
  char *at = strstr(list, pat);
  if (!at) return 0;
  while (at > list && strncmp(at, "{\"id\":", 6) != 0) at--;
  return (uint32_t)strtoul(at + 6, NULL, 10);
}

void json_ascii(const char *s, char *out, size_t cap) {
  size_t at = 0;
  const unsigned char *p = (const unsigned char *)s;
  at += (size_t)snprintf(out + at, cap - at, "\"");
  while (*p && at + 16 < cap) {
    uint32_t cp;
    int n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
    cp = n == 1 ? *p : (*p & (0x7f >> n));
    for (int i = 1; i < n; i++) cp = (cp << 6) | (p[i] & 0x3f);
    p += n;
    if (cp == '"' || cp == '\\') at += (size_t)snprintf(out + at, cap - at, "\\%c", (char)cp);
    else if (cp >= 0x20 && cp < 0x7f) out[at++] = (char)cp;
    else if (cp < 0x10000) at += (size_t)snprintf(out + at, cap - at, "\\u%04x", cp);
    else {
      cp -= 0x10000;
      at += (size_t)snprintf(out + at, cap - at, "\\u%04x\\u%04x", 0xd800 + (cp >> 10),
                             0xdc00 + (cp & 0x3ff));
    }
  }
  snprintf(out + at, cap - at, "\"");
}

int probe_wait_line(desk *d, const char *want, int timeout_ms) {
  char line[4096];
  double end = now_ms() + timeout_ms;
  while (now_ms() < end)
    if (child_line(&d->probe, line, sizeof line, (int)(end - now_ms())) && strcmp(line, want) == 0)
      return 1;
  return 0;
}

int probe_wait_text(desk *d, const char *want, int timeout_ms, char *last, size_t cap) {
  char expect[8192];
  json_ascii(want, expect, sizeof expect);
  double end = now_ms() + timeout_ms;
  snprintf(last, cap, "(no answer)");
  while (now_ms() < end) {
    child_send(&d->probe, "dump\n");
    if (!child_line(&d->probe, last, cap, 2000)) continue;
    if (strcmp(last, expect) == 0) return 1;
  }
  return 0;
}

int probe_clear(desk *d) {
  return child_send(&d->probe, "clear\n") && probe_wait_line(d, "cleared", 5000);
}

static pid_t start_foot(void) {
  pid_t pid = fork();
  if (pid == 0) {
    execlp("foot", "foot", "-o", "cursor.blink=no", "sh", "-c",
           "printf 'opendesk wayland test\\n'; exec sleep 600", (char *)NULL);
    _exit(127);
  }
  return pid;
}

/* Last: sway exits, and every call on the handle says the connection is lost. */
static void test_compositor_exit(desk *d) {
  uint8_t reply[1024];
  uint32_t len, n = 0;
  od_wayland_sway_request(d->wl, 0, "exit", reply, sizeof reply, &len);
  od_wayland_output outs[4];
  int st = OD_OK;
  double end = now_ms() + 10000;
  while (st != OD_ERR_WAYLAND_CONNECTION_LOST && now_ms() < end) {
    st = od_wayland_display_outputs(d->wl, outs, 4, &n);
    if (st != OD_ERR_WAYLAND_CONNECTION_LOST) usleep(20000);
  }
  od_frame *f;
  od_frame_create(&f);
  uint32_t cp = 'a', typed;
  int grab = od_wayland_capture_grab(d->wl, f, 0, 0, 10, 10, 0);
  int text = od_wayland_input_text(d->wl, &cp, 1, 0, &typed);
  int clip = od_wayland_clipboard_read(d->wl, "text/plain", 1000, &len);
  od_frame_destroy(f);
  check(st == OD_ERR_WAYLAND_CONNECTION_LOST && grab == st && text == st && clip == st,
        "compositor exit gives CONNECTION_LOST", "outputs %d, grab %d, text %d, clipboard %d",
        st, grab, text, clip);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: wayland_test <gtk_probe.py>\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  static desk d;
  int st = od_wayland_display_open(NULL, &d.wl);
  char err[512];
  uint32_t n;
  od_last_error(err, sizeof err, &n);
  check(st == OD_OK, "open", "od_wayland_display_open: %d %s", st, err);
  if (st != OD_OK) return 1;
  od_wayland *none = NULL;
  st = od_wayland_display_open("opendesk-no-such-socket", &none);
  od_last_error(err, sizeof err, &n);
  check(st == OD_ERR_WAYLAND_CONNECT && none == NULL && strstr(err, "opendesk-no-such-socket"),
        "open of a missing compositor is WAYLAND_CONNECT", "status %d: %s", st, err);
  int32_t px, py;
  st = od_wayland_cursor_position(d.wl, &px, &py);
  check(st == OD_ERR_STATE, "cursor position before any move is STATE", "status %d", st);
  uint32_t features = 0;
  od_wayland_display_features(d.wl, &features);
  check(features == 0xff, "features", "features 0x%x, want every protocol and sway IPC (0xff)",
        features);

  d.foot = start_foot();
  char *probe_argv[] = {"/usr/bin/python3", argv[1], NULL};
  int started = child_start(&d.probe, probe_argv) && probe_wait_line(&d, "ready", 20000);
  check(started, "probe", "the GTK probe did not start");
  if (!started) goto out;
  long r[4];
  double end = now_ms() + 20000;
  while (now_ms() < end && !(desk_rect(&d, "foot", r) && r[2] > 0)) usleep(50000);
  check(desk_rect(&d, "foot", r), "foot", "foot did not appear in sway's tree");
  /* Both windows mapped and drawn: wait until foot's text is on screen (its size settles). */
  end = now_ms() + 5000;
  uint32_t fid = 0, gid = 0;
  while (now_ms() < end &&
         !((fid = desk_window(&d, "foot")) && (gid = desk_window(&d, "opendesk-gtk-probe"))))
    usleep(50000);

  test_capture(&d);
  test_stream(&d);
  test_pointer(&d);
  test_keyboard(&d);
  test_clipboard(&d);
  test_windows(&d);
  test_outputs_scaled(&d);
  test_compositor_exit(&d);
  printf("done\n");

out:
  child_stop(&d.probe);
  if (d.foot > 0) {
    kill(d.foot, SIGTERM);
    waitpid(d.foot, NULL, 0);
  }
  od_wayland_display_close(d.wl);
  return started ? 0 : 1;
}
