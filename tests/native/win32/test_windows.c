/* Window enumeration, focus, move and close on the test's own windows. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_tap.h"
#include "_tests.h"
#include "_ui.h"

/* The JSON object of window `id` in the list (static copy), or NULL. */
static const char *listed(od_windows *w, HWND hwnd) {
  static char object[2048];
  uint32_t len = 0;
  static uint8_t buf[1 << 20];
  if (od_windows_list(w, buf, sizeof buf - 1, &len) != OD_OK) return NULL;
  buf[len] = 0;
  char key[40];
  snprintf(key, sizeof key, "{\"id\":%u,", (uint32_t)(uintptr_t)hwnd);
  const char *at = strstr((const char *)buf, key);
  if (!at) return NULL;
  const char *end = strchr(at, '}');
  size_t n = end ? (size_t)(end - at + 1) : strlen(at);
  if (n >= sizeof object) n = sizeof object - 1;
  memcpy(object, at, n);
  object[n] = 0;
  return object;
}

static long field(const char *obj, const char *name) {
  char key[40];
  snprintf(key, sizeof key, "\"%s\":", name);
  const char *at = obj ? strstr(obj, key) : NULL;
  return at ? strtol(at + strlen(key), NULL, 10) : -999999;
}

void test_windows(void) {
  od_windows *w = NULL;
  int s = od_windows_open(NULL, &w);
  tap_check(s == OD_OK && w, "od_windows_open succeeds");
  if (!w) return;
  const char *obj = listed(w, ui_main);
  POINT o = ui_client_origin(ui_main);
  char exe[MAX_PATH];
  GetModuleFileNameA(NULL, exe, MAX_PATH);
  const char *base = strrchr(exe, '\\') ? strrchr(exe, '\\') + 1 : exe;
  char want_instance[MAX_PATH + 20];
  snprintf(want_instance, sizeof want_instance, "\"instance\":\"%s\"", base);
  tap_check(obj && strstr(obj, "\"title\":\"opendesk test window\"") &&
                strstr(obj, "\"class\":\"OdTestWindow\"") && strstr(obj, want_instance) &&
                field(obj, "pid") == (long)GetCurrentProcessId() && field(obj, "x") == o.x &&
                field(obj, "y") == o.y && field(obj, "width") == UI_CLIENT_W &&
                field(obj, "height") == UI_CLIENT_H && strstr(obj, "\"minimized\":false"),
            "od_windows_list has the test window with title, class, executable, pid and client "
            "area: %s", obj ? obj : "(absent)");
  tap_check(listed(w, ui_edit) == NULL, "child windows (the edit control) are not listed");

  s = od_windows_focus(w, (uint32_t)(uintptr_t)ui_second);
  uint32_t active = 0;
  od_windows_active(w, &active);
  tap_check(s == OD_OK && GetForegroundWindow() == ui_second &&
                active == (uint32_t)(uintptr_t)ui_second,
            "od_windows_focus brings the second window to the foreground (%s)", tap_status(s));
  obj = listed(w, ui_second);
  tap_check(obj && strstr(obj, "\"focused\":true"), "the list marks it focused");
  s = od_windows_focus(w, (uint32_t)(uintptr_t)ui_main);
  tap_check(s == OD_OK && GetForegroundWindow() == ui_main, "and back to the main window (%s)",
            tap_status(s));

  s = od_windows_move(w, (uint32_t)(uintptr_t)ui_second, 300, 210, 333, 222);
  POINT so = ui_client_origin(ui_second);
  RECT cr;
  GetClientRect(ui_second, &cr);
  tap_check(s == OD_OK && so.x == 300 && so.y == 210 && cr.right == 333 && cr.bottom == 222,
            "od_windows_move puts the client area at 300,210 333x222 (got %ld,%ld %ldx%ld)",
            so.x, so.y, cr.right, cr.bottom);
  obj = listed(w, ui_second);
  tap_check(field(obj, "x") == 300 && field(obj, "width") == 333,
            "the list reports the new client area");

  HWND extra = ui_create_window(L"opendesk closing window", 100, 100);
  s = od_windows_request_close(w, (uint32_t)(uintptr_t)extra);
  int gone = TAP_WAIT(!IsWindow(extra), 5000);
  tap_check(s == OD_OK && gone && ui_seen.second_closes >= 1,
            "od_windows_request_close sends WM_CLOSE and the window closes (%s)", tap_status(s));
  s = od_windows_focus(w, (uint32_t)(uintptr_t)extra);
  tap_check(s == OD_ERR_NOT_FOUND, "a closed window is NOT_FOUND for focus (%s: %s)",
            tap_status(s), tap_shim_error());
  s = od_windows_move(w, (uint32_t)(uintptr_t)extra, 0, 0, 10, 10);
  int s2 = od_windows_request_close(w, (uint32_t)(uintptr_t)extra);
  tap_check(s == OD_ERR_NOT_FOUND && s2 == OD_ERR_NOT_FOUND, "and for move and close");
  uint32_t len = 0;
  uint8_t small[8];
  s = od_windows_list(w, small, sizeof small, &len);
  tap_check(s == OD_ERR_BUFFER_TOO_SMALL && len > sizeof small,
            "a small buffer gives BUFFER_TOO_SMALL with the size needed (%u)", len);
  od_windows_close(w);
}
