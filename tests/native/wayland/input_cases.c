/* Input cases: clicks, wheel, Unicode text, Shift/Ctrl chords, AltGr, typing speed vs wtype. */
#define _GNU_SOURCE
#include "_cases.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xkbcommon/xkbcommon-keysyms.h>

/* UTF-8 to code points; returns the count. */
static uint32_t utf32(const char *s, uint32_t *out, uint32_t cap) {
  uint32_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p && n < cap; n++) {
    int k = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
    uint32_t cp = k == 1 ? *p : (*p & (0x7f >> k));
    for (int i = 1; i < k; i++) cp = (cp << 6) | (p[i] & 0x3f);
    out[n] = cp;
    p += k;
  }
  return n;
}

static int type_text(od_wayland *wl, const char *s) {
  uint32_t cps[4096], typed = 0;
  uint32_t n = utf32(s, cps, 4096);
  return od_wayland_input_text(wl, cps, n, 0, &typed) == OD_OK && typed == n;
}

void test_pointer(desk *d) {
  long r[4];
  if (!desk_rect(d, "opendesk-gtk-probe", r)) {
    check(0, "pointer click", "the probe is not in sway's tree");
    return;
  }
  /* The centre of the probe's window is on its big button. */
  int32_t cx = (int32_t)(r[0] + r[2] / 2), cy = (int32_t)(r[1] + r[3] / 2);
  int st = od_wayland_input_pointer_move(d->wl, cx, cy);
  int32_t px = -1, py = -1;
  od_wayland_cursor_position(d->wl, &px, &py);
  check(st == OD_OK && px == cx && py == cy, "pointer move", "status %d at %d,%d", st, px, py);
  for (uint32_t b = 1; b <= 3; b += 2) {
    od_wayland_input_pointer_button(d->wl, b, 1);
    od_wayland_input_pointer_button(d->wl, b, 0);
    char want[32], name[64];
    snprintf(want, sizeof want, "press %u", b);
    snprintf(name, sizeof name, "pointer button %u reaches the GTK app", b);
    check(probe_wait_line(d, want, 5000), name, "the probe did not print '%s'", want);
  }
  od_wayland_input_pointer_button(d->wl, 5, 1);
  od_wayland_input_pointer_button(d->wl, 5, 0);
  check(probe_wait_line(d, "scroll down", 5000), "pointer wheel down reaches the GTK app",
        "no 'scroll down'");
  od_wayland_input_pointer_button(d->wl, 4, 1);
  od_wayland_input_pointer_button(d->wl, 4, 0);
  check(probe_wait_line(d, "scroll up", 5000), "pointer wheel up reaches the GTK app",
        "no 'scroll up'");
  st = od_wayland_input_pointer_move(d->wl, 5000, 10);
  check(st == OD_ERR_INVALID_ARGUMENT, "pointer move outside the layout is rejected", "status %d",
        st);
}

/* Captures on another thread while the main thread types: one handle, two threads. */
static void *capture_loop(void *arg) {
  od_wayland *wl = arg;
  od_frame *f;
  od_frame_create(&f);
  intptr_t failed = 0;
  for (int i = 0; i < 20; i++) failed += od_wayland_capture_grab(wl, f, 0, 0, 1920, 1080, 0) != 0;
  od_frame_destroy(f);
  return (void *)failed;
}

static void test_threads(desk *d) {
  char last[8192];
  const char *text = "typed while another thread captures the screen: äöü ✓ 12345";
  probe_clear(d);
  pthread_t t;
  pthread_create(&t, NULL, capture_loop, d->wl);
  int typed = type_text(d->wl, text);
  void *failed = NULL;
  pthread_join(t, &failed);
  check(typed && failed == NULL && probe_wait_text(d, text, 5000, last, sizeof last),
        "one handle used from two threads", "typed %d, failed captures %ld, entry %s", typed,
        (long)(intptr_t)failed, last);
}

void test_keyboard(desk *d) {
  char last[8192];
  const char *mixed = "Hello, wörld! ✓ Ωμέγα 日本語 🙂 #$%&*()[]{}<>?~^`|\\\"'";
  probe_clear(d);
  int ok = type_text(d->wl, mixed);
  check(ok && probe_wait_text(d, mixed, 5000, last, sizeof last),
        "text: mixed Unicode arrives in the GTK entry", "entry holds %s", last);
  od_wayland_input_keymap_restore(d->wl);

  /* Shift chord: Shift+a then b gives "Ab"; Ctrl+a selects all and typing replaces it. */
  probe_clear(d);
  od_wayland_input_key(d->wl, XKB_KEY_Shift_L, 1);
  od_wayland_input_key(d->wl, XKB_KEY_a, 1);
  od_wayland_input_key(d->wl, XKB_KEY_a, 0);
  uint32_t mods = 0, locked = 0;
  od_wayland_input_modifier_state(d->wl, &mods, &locked);
  od_wayland_input_key(d->wl, XKB_KEY_Shift_L, 0);
  od_wayland_input_key(d->wl, XKB_KEY_b, 1);
  od_wayland_input_key(d->wl, XKB_KEY_b, 0);
  check(mods == 1 && probe_wait_text(d, "Ab", 5000, last, sizeof last), "key: Shift chord",
        "modifiers while held 0x%x, entry %s", mods, last);
  od_wayland_input_key(d->wl, XKB_KEY_Control_L, 1);
  od_wayland_input_key(d->wl, XKB_KEY_a, 1);
  od_wayland_input_key(d->wl, XKB_KEY_a, 0);
  od_wayland_input_key(d->wl, XKB_KEY_Control_L, 0);
  type_text(d->wl, "z");
  check(probe_wait_text(d, "z", 5000, last, sizeof last), "key: Ctrl+A selects all",
        "entry %s", last);
  /* A keysym the layout lacks, pressed as a key. */
  probe_clear(d);
  od_wayland_input_key(d->wl, XKB_KEY_EuroSign, 1);
  od_wayland_input_key(d->wl, XKB_KEY_EuroSign, 0);
  check(probe_wait_text(d, "€", 5000, last, sizeof last), "key: a keysym outside the layout",
        "entry %s", last);
  od_wayland_input_keymap_restore(d->wl);

  /* Release-all lets go of a held Shift: the next letter is lower case. */
  probe_clear(d);
  od_wayland_input_key(d->wl, XKB_KEY_Shift_L, 1);
  od_wayland_input_release_all(d->wl);
  od_wayland_input_modifier_state(d->wl, &mods, &locked);
  type_text(d->wl, "q");
  check(mods == 0 && probe_wait_text(d, "q", 5000, last, sizeof last),
        "key: release_all lets go of Shift", "modifiers 0x%x, entry %s", mods, last);

  /* AltGr: a German layout on a second connection types @ € { | through level 3. */
  probe_clear(d);
  setenv("XKB_DEFAULT_LAYOUT", "de", 1);
  od_wayland *de = NULL;
  int st = od_wayland_display_open(NULL, &de);
  unsetenv("XKB_DEFAULT_LAYOUT");
  const char *altgr = "@€{|ßÄ";
  ok = st == OD_OK && type_text(de, altgr);
  check(ok && probe_wait_text(d, altgr, 5000, last, sizeof last), "text: AltGr levels (de layout)",
        "entry %s", last);
  od_wayland_display_close(de);

  test_threads(d);

  /* Speed: 400 mixed characters to arrival, against wtype typing the same text. */
  char text[4096] = "";
  while (strlen(text) < 1200) strcat(text, "The quick brown fox jumps — über 42 Ωs ✓ ");
  uint32_t cps[4096];
  uint32_t n = utf32(text, cps, 400);
  /* Cut the UTF-8 text after 400 code points. */
  size_t bytes = 0;
  for (uint32_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)text[bytes];
    bytes += c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
  }
  text[bytes] = 0;
  probe_clear(d);
  double t0 = now_ms();
  ok = type_text(d->wl, text) && probe_wait_text(d, text, 30000, last, sizeof last);
  double ours = now_ms() - t0;
  od_wayland_input_keymap_restore(d->wl);
  check(ok, "text: 400 characters arrive without error", "entry %.80s", last);
  probe_clear(d);
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "wtype -- '%s'", text);
  t0 = now_ms();
  int wok = run_quiet(cmd) && probe_wait_text(d, text, 60000, last, sizeof last);
  double theirs = now_ms() - t0;
  check(wok, "wtype peer run", "wtype's text did not arrive: %.80s", last);
  figure("text_chars_per_s", n / (ours / 1000.0), "chars/s");
  figure("wtype_chars_per_s", n / (theirs / 1000.0), "chars/s");
  probe_clear(d);
}
