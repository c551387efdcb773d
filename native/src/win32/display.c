/* The desktop on Windows: the virtual screen (every monitor) in physical pixels, its monitors
 * from EnumDisplayMonitors, and the handle that capture and input share. */
#include "_win32.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

OD_API int od_display_open(const char *name, od_display **out) {
  if (!out) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_display_open: out is NULL");
  *out = NULL;
  od_win_dpi_thread();
  od_display *d = calloc(1, sizeof *d);
  if (!d) return od_win_fail(NULL, OD_ERR_NO_MEMORY, "Cannot allocate the display handle");
  InitializeCriticalSection(&d->lock);
  if (od_win_per_monitor_available()) d->features |= OD_FEATURE_WIN_PER_MONITOR;
  char why[OD_ERROR_TEXT] = "";
  d->dxgi = od_dxgi_open(why, sizeof why);
  if (d->dxgi) d->features |= OD_FEATURE_WIN_DXGI;
  else od_log(OD_LOG_INFO, "Desktop Duplication unavailable, capturing with GDI: %s", why);
  *out = d;
  return OD_OK;
}

OD_API int od_display_close(od_display *d) {
  if (!d) return OD_OK;
  od_input_release_all(d);
  if (d->dxgi) od_dxgi_close(d->dxgi);
  DeleteCriticalSection(&d->lock);
  free(d);
  return OD_OK;
}

OD_API int od_display_features(od_display *d, uint32_t *flags) {
  if (!d || !flags) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_display_features: NULL");
  *flags = d->features;
  return OD_OK;
}

OD_API int od_display_size(od_display *d, uint32_t *width, uint32_t *height) {
  if (!d || !width || !height)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_display_size: NULL argument");
  od_win_dpi_thread();
  RECT r;
  od_win_virtual_screen(&r);
  *width = (uint32_t)(r.right - r.left);
  *height = (uint32_t)(r.bottom - r.top);
  return OD_OK;
}

OD_API int od_display_origin(od_display *d, int32_t *x, int32_t *y) {
  if (!d || !x || !y)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_display_origin: NULL argument");
  od_win_dpi_thread();
  RECT r;
  od_win_virtual_screen(&r);
  *x = r.left;
  *y = r.top;
  return OD_OK;
}

typedef struct {
  od_monitor *out;
  uint32_t cap, count;
} od_monitor_walk;

static BOOL CALLBACK od_monitor_each(HMONITOR mon, HDC hdc, LPRECT rect, LPARAM arg) {
  od_monitor_walk *w = (od_monitor_walk *)arg;
  uint32_t i = w->count++;
  if (i >= w->cap) return TRUE; /* keep counting: the caller learns the size it needs */
  MONITORINFOEXW info;
  memset(&info, 0, sizeof info);
  info.cbSize = sizeof info;
  od_monitor *m = &w->out[i];
  memset(m, 0, sizeof *m);
  if (!GetMonitorInfoW(mon, (MONITORINFO *)&info)) {
    info.rcMonitor = *rect;
    wcscpy(info.szDevice, L"monitor");
  }
  m->x = info.rcMonitor.left;
  m->y = info.rcMonitor.top;
  m->width = (uint32_t)(info.rcMonitor.right - info.rcMonitor.left);
  m->height = (uint32_t)(info.rcMonitor.bottom - info.rcMonitor.top);
  m->primary = (info.dwFlags & MONITORINFOF_PRIMARY) ? 1 : 0;
  HDC dc = CreateDCW(info.szDevice, NULL, NULL, NULL);
  if (dc) {
    m->width_mm = (uint32_t)GetDeviceCaps(dc, HORZSIZE);
    m->height_mm = (uint32_t)GetDeviceCaps(dc, VERTSIZE);
    DeleteDC(dc);
  }
  /* "\\.\DISPLAY1" -> "DISPLAY1" */
  const wchar_t *name = info.szDevice;
  if (wcsncmp(name, L"\\\\.\\", 4) == 0) name += 4;
  char *utf8 = od_win_utf8(name, -1, NULL);
  snprintf(m->name, sizeof m->name, "%s", utf8 ? utf8 : "monitor");
  free(utf8);
  return TRUE;
}

OD_API int od_display_monitors(od_display *d, od_monitor *out, uint32_t cap, uint32_t *count) {
  if (!d || !count || (cap > 0 && !out))
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_display_monitors: NULL argument");
  od_win_dpi_thread();
  od_monitor_walk w = {out, cap, 0};
  if (!EnumDisplayMonitors(NULL, NULL, od_monitor_each, (LPARAM)&w))
    return od_win_fail_sys(d->error, OD_ERR_WIN_CALL, "EnumDisplayMonitors failed");
  *count = w.count;
  if (w.count > cap)
    return od_win_fail(d->error, OD_ERR_BUFFER_TOO_SMALL, "%u monitors do not fit in %u",
                       w.count, cap);
  return OD_OK;
}

OD_API int od_display_last_error(od_display *d, char *buf, uint32_t cap, uint32_t *len) {
  if (!d) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_display_last_error: NULL");
  return od_copy_text(d->error, buf, cap, len);
}

OD_API int od_session_lock(void) {
  if (!LockWorkStation())
    return od_win_fail_sys(NULL, OD_ERR_WIN_CALL, "LockWorkStation failed");
  return OD_OK;
}
