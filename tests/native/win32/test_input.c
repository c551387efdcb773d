/* Input through SendInput, read back from the test's own windows: pointer position and
 * messages, buttons, both wheels, typed Unicode text and key chords in an edit control. */
#include <windows.h>

#include <string.h>

#include "_tap.h"
#include "_tests.h"
#include "_ui.h"

void test_pointer(od_display *d) {
  SetForegroundWindow(ui_main);
  POINT o = ui_client_origin(ui_main);
  int tx = o.x + 201, ty = o.y + 97;
  int s = od_input_pointer_move(d, tx, ty);
  POINT p = {0, 0};
  GetCursorPos(&p);
  int32_t cx = 0, cy = 0;
  od_cursor_position(d, &cx, &cy);
  tap_check(s == OD_OK && p.x == tx && p.y == ty && cx == tx && cy == ty,
            "od_input_pointer_move lands on the exact pixel (%ld,%ld wanted %d,%d)", p.x, p.y,
            tx, ty);
  int ok = TAP_WAIT(ui_seen.last_x == 201 && ui_seen.last_y == 97, 5000);
  tap_check(ok, "the window receives WM_MOUSEMOVE at client 201,97 (saw %ld,%ld)", ui_seen.last_x,
            ui_seen.last_y);
  LONG downs = ui_seen.lbutton_downs, ups = ui_seen.lbutton_ups;
  od_input_pointer_move(d, o.x + 150, o.y + 100);
  s = od_input_pointer_button(d, 1, 1);
  int s2 = od_input_pointer_button(d, 1, 0);
  ok = TAP_WAIT(ui_seen.lbutton_downs == downs + 1 && ui_seen.lbutton_ups == ups + 1, 5000);
  tap_check(s == OD_OK && s2 == OD_OK && ok && ui_seen.last_x == 150 && ui_seen.last_y == 100,
            "button 1 press and release arrive as WM_LBUTTONDOWN/UP at 150,100");
  LONG rdowns = ui_seen.rbutton_downs;
  od_input_pointer_button(d, 3, 1);
  od_input_pointer_button(d, 3, 0);
  ok = TAP_WAIT(ui_seen.rbutton_downs == rdowns + 1, 5000);
  tap_check(ok,
            "button 3 arrives as WM_RBUTTONDOWN");
  LONG wheel = ui_seen.wheel;
  od_input_pointer_button(d, 4, 1);
  od_input_pointer_button(d, 4, 0);
  od_input_pointer_button(d, 4, 1);
  od_input_pointer_button(d, 5, 1);
  od_input_pointer_button(d, 4, 1);
  ok = TAP_WAIT(ui_seen.wheel == wheel + 2 * WHEEL_DELTA, 5000);
  tap_check(ok,
            "wheel buttons 4,4,5,4 arrive as WM_MOUSEWHEEL summing +240 (saw %+ld)",
            ui_seen.wheel - wheel);
  LONG hwheel = ui_seen.hwheel;
  od_input_pointer_button(d, 7, 1);
  od_input_pointer_button(d, 7, 1);
  od_input_pointer_button(d, 6, 1);
  ok = TAP_WAIT(ui_seen.hwheel == hwheel + WHEEL_DELTA, 5000);
  tap_check(ok,
            "wheel buttons 7,7,6 arrive as WM_MOUSEHWHEEL summing +120 (saw %+ld)",
            ui_seen.hwheel - hwheel);
  s = od_input_pointer_button(d, 10, 1);
  tap_check(s == OD_ERR_INVALID_ARGUMENT, "button 10 is refused (%s)", tap_status(s));
  uint32_t w = 0, h = 0;
  od_display_size(d, &w, &h);
  s = od_input_pointer_move(d, (int32_t)w + 5, 0);
  tap_check(s == OD_ERR_INVALID_ARGUMENT, "a point outside the desktop is refused (%s)",
            tap_status(s));
}

static void type_text(od_display *d, const char *utf8) {
  wchar_t wide[256];
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 256) - 1;
  uint32_t cps[256], count = 0, typed = 0;
  for (int i = 0; i < n; i++) {
    uint32_t c = wide[i];
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n)
      c = 0x10000 + ((c - 0xd800) << 10) + (wide[++i] - 0xdc00);
    cps[count++] = c;
  }
  od_input_text(d, cps, count, 0, &typed);
}

static void tap_key(od_display *d, uint32_t keysym) {
  od_input_key(d, keysym, 1);
  od_input_key(d, keysym, 0);
}

static int edit_is(const char *want) { return strcmp(ui_edit_text(), want) == 0; }

void test_keys(od_display *d) {
  int ok;
  SetForegroundWindow(ui_main);
  ui_edit_reset();
  const char *text = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x98\x80 \xe4\xb8\xad";
  type_text(d, text);
  ok = TAP_WAIT(edit_is(text), 5000);
  tap_check(ok,
            "od_input_text types accents, a check mark, an emoji (surrogate pair) and CJK into "
            "an edit control (WM_GETTEXT '%s')", ui_edit_text());
  ui_edit_reset();
  type_text(d, "a\nb\tc");
  ok = TAP_WAIT(edit_is("a\r\nb\tc"), 5000);
  tap_check(ok,
            "line feed types Return and tab types Tab (WM_GETTEXT '%s')", ui_edit_text());
  ui_edit_reset();
  tap_key(d, 'a');
  od_input_key(d, 0xffe1, 1); /* Shift_L */
  tap_key(d, 'b');
  uint32_t mods = 0, locked = 0;
  od_input_modifier_state(d, &mods, &locked);
  od_input_key(d, 0xffe1, 0);
  tap_key(d, 'c');
  ok = TAP_WAIT(edit_is("aBc"), 5000);
  tap_check(ok,
            "shift chord: a, shift+b, c gives 'aBc' (WM_GETTEXT '%s')", ui_edit_text());
  tap_check((mods & 1) != 0, "od_input_modifier_state reports Shift while held (0x%x)", mods);
  tap_key(d, '!');
  tap_key(d, 0x01000000 + 0x20ac); /* euro sign: no key on a US layout: typed as Unicode */
  ok = TAP_WAIT(edit_is("aBc!\xe2\x82\xac"), 5000);
  tap_check(ok,
            "'!' adds Shift by itself, '\xe2\x82\xac' comes as Unicode (WM_GETTEXT '%s')",
            ui_edit_text());
  tap_key(d, 0xff08); /* BackSpace */
  tap_key(d, 0xff51); /* Left */
  tap_key(d, 0xff08);
  ok = TAP_WAIT(edit_is("aB!"), 5000);
  tap_check(ok,
            "BackSpace and Left (an extended key) edit the text (WM_GETTEXT '%s')",
            ui_edit_text());
  od_input_key(d, 0xffe3, 1); /* Control_L */
  tap_key(d, 0xff50);         /* Home: with Ctrl, the start of the text */
  od_input_key(d, 0xffe3, 0);
  type_text(d, "<");
  od_input_key(d, 0xffe1, 1);
  tap_key(d, 0xff57); /* End: with Shift, selects to the end of the line */
  od_input_key(d, 0xffe1, 0);
  type_text(d, "z");
  ok = TAP_WAIT(edit_is("<z"), 5000);
  tap_check(ok, "ctrl+Home then '<', shift+End then 'z' replaces the selection ('%s')",
            ui_edit_text());
  od_input_key(d, 0xffe1, 1);
  od_input_release_all(d);
  od_input_modifier_state(d, &mods, &locked);
  tap_check((mods & 1) == 0, "od_input_release_all lets go of a held Shift (0x%x)", mods);
  int s = od_input_key(d, 0xffbe + 30, 1); /* F31 */
  tap_check(s == OD_ERR_INVALID_ARGUMENT, "F31 has no virtual key and is refused (%s)",
            tap_status(s));
}
