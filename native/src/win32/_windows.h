/* Internal helpers of the window functions (windows.c, windows_actions.c, app.c). */
#ifndef OD_WIN32_WINDOWS_H
#define OD_WIN32_WINDOWS_H

#include "_win32.h"

struct od_windows {
  char error[OD_ERROR_TEXT];
};

/* The HWND of a window id, or NULL (with OD_ERR_NOT_FOUND recorded) when it does not exist. */
HWND od_win_hwnd(od_windows *w, uint32_t id);
/* 1 for windows the list shows: visible, not cloaked, not tool windows. */
int od_win_listed(HWND hwnd);
/* The executable's file name of process `pid` ("" when it cannot be read). */
void od_win_process_name(DWORD pid, wchar_t *out, DWORD cap);
/* The visible frame (DWM extended frame bounds) and the client area, in desktop pixels. */
void od_win_bounds(HWND hwnd, RECT *outer, RECT *client);

#endif
