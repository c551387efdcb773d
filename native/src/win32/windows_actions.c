/* Acting on a top-level window: focus (with the foreground-lock workarounds), move/resize by
 * client area, and the polite close (WM_CLOSE). */
#include "_win32.h"

#include <string.h>

#include "_windows.h"

#define OD_FOCUS_WAIT_MS 1000

static int od_is_foreground(HWND hwnd) {
  HWND fg = GetForegroundWindow();
  return fg == hwnd || (fg && GetAncestor(fg, GA_ROOTOWNER) == hwnd);
}

static int od_wait_foreground(HWND hwnd, uint32_t ms) {
  uint64_t deadline = od_win_now_ms() + ms;
  while (!od_is_foreground(hwnd)) {
    if (od_win_now_ms() >= deadline) return 0;
    Sleep(10);
  }
  return 1;
}

/*
 * Windows lets a process take the foreground only under conditions (SetForegroundWindow's
 * documentation): among them, that it received the last input event, or that it shares input
 * state with the foreground thread. The steps, each tried only when the one before did not work:
 *   1. restore a minimised window, then SetForegroundWindow;
 *   2. inject an empty mouse event (SendInput with no movement), which makes this process the
 *      one that received the last input, then SetForegroundWindow again (no key is pressed, so no
 *      menu bar is activated as with the Alt-key variant of this workaround);
 *   3. attach this thread's input state to the foreground window's thread
 *      (AttachThreadInput), BringWindowToTop + SetForegroundWindow, detach.
 * When all fail (e.g. the foreground window belongs to a more privileged process), the result is
 * OD_ERR_WIN_FOREGROUND and the taskbar button flashes instead.
 */
OD_API int od_windows_focus(od_windows *w, uint32_t window) {
  if (!w) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_windows_focus: NULL");
  HWND hwnd = od_win_hwnd(w, window);
  if (!hwnd) return OD_ERR_NOT_FOUND;
  if (IsIconic(hwnd)) ShowWindow(hwnd, SW_RESTORE);
  SetForegroundWindow(hwnd);
  if (od_wait_foreground(hwnd, 100)) return OD_OK;
  INPUT nothing;
  memset(&nothing, 0, sizeof nothing);
  nothing.type = INPUT_MOUSE; /* relative move by 0, 0 */
  SendInput(1, &nothing, sizeof nothing);
  SetForegroundWindow(hwnd);
  if (od_wait_foreground(hwnd, 200)) return OD_OK;
  HWND fg = GetForegroundWindow();
  DWORD fg_thread = fg ? GetWindowThreadProcessId(fg, NULL) : 0;
  DWORD me = GetCurrentThreadId();
  BOOL attached = fg_thread && fg_thread != me && AttachThreadInput(me, fg_thread, TRUE);
  BringWindowToTop(hwnd);
  SetForegroundWindow(hwnd);
  if (attached) AttachThreadInput(me, fg_thread, FALSE);
  if (od_wait_foreground(hwnd, OD_FOCUS_WAIT_MS)) return OD_OK;
  FlashWindow(hwnd, TRUE);
  return od_win_fail(w->error, OD_ERR_WIN_FOREGROUND,
                     "Windows kept window 0x%x in the background (foreground lock: the active "
                     "window may belong to a more privileged program)", window);
}

OD_API int od_windows_move(od_windows *w, uint32_t window, int32_t x, int32_t y, uint32_t width,
                           uint32_t height) {
  if (!w) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_windows_move: NULL");
  if (width == 0 || height == 0 || width > 65535 || height > 65535)
    return od_win_fail(w->error, OD_ERR_INVALID_ARGUMENT, "Window size %ux%u is out of range",
                       width, height);
  HWND hwnd = od_win_hwnd(w, window);
  if (!hwnd) return OD_ERR_NOT_FOUND;
  od_win_dpi_thread();
  if (IsIconic(hwnd) || IsZoomed(hwnd)) ShowWindow(hwnd, SW_RESTORE);
  /* The client area goes where asked: add the window's own border sizes around it. */
  RECT win, client;
  GetWindowRect(hwnd, &win);
  GetClientRect(hwnd, &client);
  POINT o = {0, 0};
  ClientToScreen(hwnd, &o);
  LONG left = o.x - win.left, top = o.y - win.top;
  LONG right = win.right - (o.x + client.right), bottom = win.bottom - (o.y + client.bottom);
  if (!SetWindowPos(hwnd, NULL, x - left, y - top, (int)width + left + right,
                    (int)height + top + bottom, SWP_NOZORDER | SWP_NOACTIVATE))
    return od_win_fail_sys(w->error, OD_ERR_WIN_CALL, "SetWindowPos of window 0x%x failed",
                           window);
  return OD_OK;
}

OD_API int od_windows_request_close(od_windows *w, uint32_t window) {
  if (!w) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_windows_request_close: NULL");
  HWND hwnd = od_win_hwnd(w, window);
  if (!hwnd) return OD_ERR_NOT_FOUND;
  /* Posted, not sent: a program that asks "save changes?" must not block the caller. */
  if (!PostMessageW(hwnd, WM_CLOSE, 0, 0))
    return od_win_fail_sys(w->error, OD_ERR_WIN_CALL, "Posting WM_CLOSE to 0x%x failed", window);
  return OD_OK;
}
