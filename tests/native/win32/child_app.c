/* A small GUI program (built with -mwindows) that the job tests launch as an "application":
 * one titled window until it is closed; with the argument "stubborn" it ignores WM_CLOSE. */
#include <windows.h>

#include <string.h>

static int stubborn;

static LRESULT CALLBACK child_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp) {
  if (msg == WM_CLOSE && stubborn) return 0; /* ignores polite requests */
  if (msg == WM_DESTROY) PostQuitMessage(0);
  return DefWindowProcW(hwnd, msg, wp, lp);
}

int main(int argc, char **argv) {
  stubborn = argc > 1 && strcmp(argv[1], "stubborn") == 0;
  WNDCLASSW wc = {.lpfnWndProc = child_proc, .hInstance = GetModuleHandleW(NULL),
                  .lpszClassName = L"OdChildWindow"};
  RegisterClassW(&wc);
  CreateWindowExW(0, L"OdChildWindow", L"opendesk child app", WS_OVERLAPPEDWINDOW | WS_VISIBLE,
                  700, 500, 200, 120, NULL, NULL, wc.hInstance, NULL);
  MSG msg;
  while (GetMessageW(&msg, NULL, 0, 0) > 0) DispatchMessageW(&msg);
  return 0;
}
