/* Top-level windows: the list (visible, not cloaked, not tool windows) with title, class, process,
 * client area and the DWM extended frame bounds, and the active window. Window ids are HWNDs,
 * which Windows keeps 32-bit significant on 64-bit systems. */
#include "_win32.h"

#include <dwmapi.h>
#include <stdlib.h>
#include <string.h>

#include "_json.h"
#include "_windows.h"

OD_API int od_windows_open(const char *display_name, od_windows **out) {
  if (!out) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_windows_open: out is NULL");
  *out = calloc(1, sizeof **out);
  if (!*out) return od_win_fail(NULL, OD_ERR_NO_MEMORY, "Cannot allocate the windows handle");
  return OD_OK;
}

OD_API int od_windows_close(od_windows *w) {
  free(w);
  return OD_OK;
}

HWND od_win_hwnd(od_windows *w, uint32_t id) {
  HWND hwnd = (HWND)(uintptr_t)id;
  if (id == 0 || !IsWindow(hwnd)) {
    od_win_fail(w ? w->error : NULL, OD_ERR_NOT_FOUND, "No window 0x%x (it was closed?)", id);
    return NULL;
  }
  return hwnd;
}

int od_win_listed(HWND hwnd) {
  if (!IsWindowVisible(hwnd)) return 0;
  if (GetWindowLongPtrW(hwnd, GWL_EXSTYLE) & WS_EX_TOOLWINDOW) return 0;
  /* Cloaked: on another virtual desktop, or a suspended store app; invisible to the user. */
  DWORD cloaked = 0;
  if (SUCCEEDED(DwmGetWindowAttribute(hwnd, DWMWA_CLOAKED, &cloaked, sizeof cloaked)) && cloaked)
    return 0;
  return 1;
}

typedef struct {
  od_win_each_fn fn;
  void *arg;
} od_each_ctx;

static BOOL CALLBACK od_each_proc(HWND hwnd, LPARAM lp) {
  od_each_ctx *c = (od_each_ctx *)lp;
  if (!od_win_listed(hwnd)) return TRUE;
  return c->fn(hwnd, c->arg) ? TRUE : FALSE;
}

void od_win_each_window(od_win_each_fn fn, void *arg) {
  od_each_ctx c = {fn, arg};
  EnumWindows(od_each_proc, (LPARAM)&c);
}

void od_win_process_name(DWORD pid, wchar_t *out, DWORD cap) {
  out[0] = 0;
  HANDLE p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
  if (!p) return;
  wchar_t path[MAX_PATH];
  DWORD n = MAX_PATH;
  if (QueryFullProcessImageNameW(p, 0, path, &n)) {
    const wchar_t *base = path;
    for (const wchar_t *q = path; *q; q++)
      if (*q == L'\\' || *q == L'/') base = q + 1;
    wcsncpy(out, base, cap - 1);
    out[cap - 1] = 0;
  }
  CloseHandle(p);
}

void od_win_bounds(HWND hwnd, RECT *outer, RECT *client) {
  if (IsIconic(hwnd)) {
    /* A minimised window sits at -32000: report where it returns to. */
    WINDOWPLACEMENT wp = {.length = sizeof wp};
    GetWindowPlacement(hwnd, &wp);
    *outer = wp.rcNormalPosition;
    *client = wp.rcNormalPosition;
    return;
  }
  /* The visible frame: GetWindowRect includes the invisible resize borders of Windows 10/11. */
  if (FAILED(DwmGetWindowAttribute(hwnd, DWMWA_EXTENDED_FRAME_BOUNDS, outer, sizeof *outer)))
    GetWindowRect(hwnd, outer);
  RECT c;
  GetClientRect(hwnd, &c);
  POINT o = {0, 0};
  ClientToScreen(hwnd, &o);
  client->left = o.x;
  client->top = o.y;
  client->right = o.x + c.right;
  client->bottom = o.y + c.bottom;
}

typedef struct {
  od_json *j;
  HWND active;
  int first;
} od_list_ctx;

static int od_list_one(HWND hwnd, void *arg) {
  od_list_ctx *c = arg;
  od_json *j = c->j;
  wchar_t title[512], cls[256], exe[MAX_PATH];
  GetWindowTextW(hwnd, title, 512);
  GetClassNameW(hwnd, cls, 256);
  DWORD pid = 0;
  GetWindowThreadProcessId(hwnd, &pid);
  od_win_process_name(pid, exe, MAX_PATH);
  RECT outer, client;
  od_win_bounds(hwnd, &outer, &client);
  if (!c->first) od_json_raw(j, ",", 1);
  c->first = 0;
  od_json_raw(j, "{", 1);
  od_json_key(j, "id", 1);
  od_json_int(j, (int64_t)(uint32_t)(uintptr_t)hwnd);
  od_json_key(j, "title", 0);
  od_json_wstr(j, title);
  od_json_key(j, "instance", 0);
  od_json_wstr(j, exe);
  od_json_key(j, "class", 0);
  od_json_wstr(j, cls);
  od_json_key(j, "pid", 0);
  od_json_int(j, pid);
  od_json_key(j, "x", 0);
  od_json_int(j, client.left);
  od_json_key(j, "y", 0);
  od_json_int(j, client.top);
  od_json_key(j, "width", 0);
  od_json_int(j, client.right - client.left);
  od_json_key(j, "height", 0);
  od_json_int(j, client.bottom - client.top);
  od_json_key(j, "frame", 0);
  od_json_raw(j, "[", 1);
  od_json_int(j, client.left - outer.left);
  od_json_raw(j, ",", 1);
  od_json_int(j, outer.right - client.right);
  od_json_raw(j, ",", 1);
  od_json_int(j, client.top - outer.top);
  od_json_raw(j, ",", 1);
  od_json_int(j, outer.bottom - client.bottom);
  od_json_raw(j, "]", 1);
  od_json_key(j, "minimized", 0);
  od_json_bool(j, IsIconic(hwnd));
  od_json_key(j, "desktop", 0);
  od_json_int(j, 0);
  od_json_key(j, "focused", 0);
  od_json_bool(j, hwnd == c->active);
  od_json_raw(j, "}", 1);
  return 1;
}

OD_API int od_windows_list(od_windows *w, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!w || !len) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_windows_list: NULL");
  od_win_dpi_thread();
  od_json j = {0};
  od_list_ctx c = {&j, GetForegroundWindow(), 1};
  od_json_raw(&j, "[", 1);
  od_win_each_window(od_list_one, &c);
  od_json_raw(&j, "]", 1);
  return od_json_finish(&j, buf, cap, len, w->error);
}

OD_API int od_windows_active(od_windows *w, uint32_t *out_window) {
  if (!w || !out_window)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_windows_active: NULL");
  *out_window = (uint32_t)(uintptr_t)GetForegroundWindow();
  return OD_OK;
}
