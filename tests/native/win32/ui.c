/* The UI thread of the Windows C tests and its window procedures. */
#include <windows.h>

#include <stdio.h>

#include "_ui.h"

ui_record ui_seen;
HWND ui_main, ui_edit, ui_button, ui_second;
static HANDLE ui_ready;
static DWORD ui_thread_id;

#define UI_MSG_CREATE (WM_APP + 1)
#define UI_MSG_RESET (WM_APP + 2)

static void ui_record_point(LPARAM lp) {
  InterlockedExchange(&ui_seen.last_x, (short)LOWORD(lp));
  InterlockedExchange(&ui_seen.last_y, (short)HIWORD(lp));
}

static LRESULT CALLBACK ui_main_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp) {
  switch (msg) {
  case WM_PAINT: {
    PAINTSTRUCT ps;
    HDC dc = BeginPaint(hwnd, &ps);
    RECT all = {0, 0, UI_CLIENT_W, UI_CLIENT_H};
    FillRect(dc, &all, GetStockObject(WHITE_BRUSH));
    const COLORREF colours[3] = {RGB(255, 0, 0), RGB(0, 255, 0), RGB(0, 0, 255)};
    const int xs[3] = {UI_RED_X, UI_GREEN_X, UI_BLUE_X};
    for (int i = 0; i < 3; i++) {
      HBRUSH b = CreateSolidBrush(colours[i]);
      RECT r = {xs[i], UI_SQUARE_Y, xs[i] + UI_SQUARE, UI_SQUARE_Y + UI_SQUARE};
      FillRect(dc, &r, b);
      DeleteObject(b);
    }
    EndPaint(hwnd, &ps);
    return 0;
  }
  case WM_MOUSEMOVE:
    ui_record_point(lp);
    InterlockedIncrement(&ui_seen.mouse_moves);
    return 0;
  case WM_LBUTTONDOWN:
    ui_record_point(lp);
    InterlockedIncrement(&ui_seen.lbutton_downs);
    return 0;
  case WM_LBUTTONUP:
    ui_record_point(lp);
    InterlockedIncrement(&ui_seen.lbutton_ups);
    return 0;
  case WM_RBUTTONDOWN:
    ui_record_point(lp);
    InterlockedIncrement(&ui_seen.rbutton_downs);
    return 0;
  case WM_MOUSEWHEEL:
    InterlockedExchangeAdd(&ui_seen.wheel, GET_WHEEL_DELTA_WPARAM(wp));
    return 0;
  case WM_MOUSEHWHEEL:
    InterlockedExchangeAdd(&ui_seen.hwheel, GET_WHEEL_DELTA_WPARAM(wp));
    return 0;
  case WM_COMMAND:
    if ((HWND)lp == ui_button && HIWORD(wp) == BN_CLICKED)
      InterlockedIncrement(&ui_seen.button_clicks);
    return 0;
  case WM_CLOSE:
    InterlockedIncrement(hwnd == ui_main ? &ui_seen.closes : &ui_seen.second_closes);
    DestroyWindow(hwnd);
    return 0;
  case UI_MSG_RESET:
    SetWindowTextW(ui_edit, L"");
    SetFocus(ui_edit);
    return 0;
  }
  return DefWindowProcW(hwnd, msg, wp, lp);
}

static HWND ui_make(const wchar_t *title, int x, int y) {
  RECT r = {0, 0, UI_CLIENT_W, UI_CLIENT_H};
  AdjustWindowRect(&r, WS_OVERLAPPEDWINDOW, FALSE);
  return CreateWindowExW(0, L"OdTestWindow", title, WS_OVERLAPPEDWINDOW | WS_VISIBLE, x, y,
                         r.right - r.left, r.bottom - r.top, NULL, NULL,
                         GetModuleHandleW(NULL), NULL);
}

static DWORD WINAPI ui_main_thread(LPVOID arg) {
  WNDCLASSW wc = {0};
  wc.lpfnWndProc = ui_main_proc;
  wc.hInstance = GetModuleHandleW(NULL);
  wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
  wc.lpszClassName = L"OdTestWindow";
  RegisterClassW(&wc);
  MSG msg;
  PeekMessageW(&msg, NULL, 0, 0, PM_NOREMOVE); /* creates the thread's queue */
  ui_main = ui_make(UI_MAIN_TITLE, 40, 40);
  ui_button = CreateWindowExW(0, L"BUTTON", L"Press me", WS_CHILD | WS_VISIBLE | BS_PUSHBUTTON,
                              260, 20, 120, 40, ui_main, NULL, wc.hInstance, NULL);
  ui_edit = CreateWindowExW(WS_EX_CLIENTEDGE, L"EDIT", L"",
                            WS_CHILD | WS_VISIBLE | ES_MULTILINE | ES_WANTRETURN | ES_AUTOVSCROLL,
                            20, 120, 380, 180, ui_main, NULL, wc.hInstance, NULL);
  SetWindowTextW(ui_edit, L"");
  ui_second = ui_make(UI_SECOND_TITLE, 520, 80);
  SetEvent(ui_ready);
  while (GetMessageW(&msg, NULL, 0, 0) > 0) {
    if (msg.message == UI_MSG_CREATE && msg.hwnd == NULL) {
      HWND *slot = (HWND *)msg.lParam;
      *slot = ui_make((const wchar_t *)msg.wParam, 60, 420);
      SetEvent(ui_ready);
      continue;
    }
    TranslateMessage(&msg);
    DispatchMessageW(&msg);
  }
  return 0;
}

int ui_start(void) {
  ui_ready = CreateEventW(NULL, FALSE, FALSE, NULL);
  HANDLE t = CreateThread(NULL, 0, ui_main_thread, NULL, 0, &ui_thread_id);
  if (!t) return 0;
  CloseHandle(t);
  return WaitForSingleObject(ui_ready, 20000) == WAIT_OBJECT_0 && ui_main && ui_edit &&
         ui_second;
}

HWND ui_create_window(const wchar_t *title, int x, int y) {
  HWND made = NULL;
  PostThreadMessageW(ui_thread_id, UI_MSG_CREATE, (WPARAM)title, (LPARAM)&made);
  WaitForSingleObject(ui_ready, 20000);
  return made;
}

const char *ui_edit_text(void) {
  static wchar_t wide[2048];
  static char utf8[8192];
  LRESULT n = SendMessageW(ui_edit, WM_GETTEXT, sizeof wide / sizeof wide[0], (LPARAM)wide);
  int bytes = WideCharToMultiByte(CP_UTF8, 0, wide, (int)n, utf8, sizeof utf8 - 1, NULL, NULL);
  utf8[bytes < 0 ? 0 : bytes] = 0;
  return utf8;
}

void ui_edit_reset(void) { SendMessageW(ui_main, UI_MSG_RESET, 0, 0); }

POINT ui_client_origin(HWND hwnd) {
  POINT p = {0, 0};
  ClientToScreen(hwnd, &p);
  return p;
}
