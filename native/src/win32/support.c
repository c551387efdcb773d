/* Shared helpers of the Windows backend: failure texts (per handle and per thread), UTF-8 and
 * UTF-16 conversion, DPI awareness, the virtual screen, monotonic time, processor count. */
#include "_win32.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int od_win_record(char *error, int status, const char *text) {
  od_set_last_error(text);
  if (error) snprintf(error, OD_ERROR_TEXT, "%s", text);
  od_log(OD_LOG_WARN, "%s", text);
  return status;
}

int od_win_fail(char *error, int status, const char *fmt, ...) {
  char text[OD_ERROR_TEXT];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  return od_win_record(error, status, text);
}

int od_win_fail_sys(char *error, int status, const char *fmt, ...) {
  DWORD code = GetLastError();
  char text[OD_ERROR_TEXT];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n < sizeof text) {
    char sys[160] = "";
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, sys,
                   sizeof sys, NULL);
    for (char *p = sys; *p; p++)
      if (*p == '\r' || *p == '\n') *p = ' ';
    snprintf(text + n, sizeof text - (size_t)n, " (Windows error %lu: %s)", (unsigned long)code,
             sys);
  }
  return od_win_record(error, status, text);
}

int od_win_fail_hr(char *error, int status, long hr, const char *fmt, ...) {
  char text[OD_ERROR_TEXT];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (n >= 0 && (size_t)n < sizeof text)
    snprintf(text + n, sizeof text - (size_t)n, " (HRESULT 0x%08lx)", (unsigned long)hr);
  return od_win_record(error, status, text);
}

wchar_t *od_win_wide(const char *utf8, int n, int *units) {
  if (!utf8) return NULL;
  int need = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, n, NULL, 0);
  if (need <= 0 && !(n == 0)) return NULL;
  wchar_t *out = malloc(((size_t)need + 1) * sizeof *out);
  if (!out) return NULL;
  if (need > 0) MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, n, out, need);
  int len = (n == -1) ? need - 1 : need; /* with n == -1 the count includes the NUL */
  out[len] = 0;
  if (units) *units = len;
  return out;
}

char *od_win_utf8(const wchar_t *wide, int n, int *bytes) {
  if (!wide) return NULL;
  int need = n == 0 ? 0 : WideCharToMultiByte(CP_UTF8, 0, wide, n, NULL, 0, NULL, NULL);
  if (need < 0) return NULL;
  char *out = malloc((size_t)need + 1);
  if (!out) return NULL;
  if (need > 0) WideCharToMultiByte(CP_UTF8, 0, wide, n, out, need, NULL, NULL);
  int len = (n == -1 && need > 0) ? need - 1 : need;
  out[len] = 0;
  if (bytes) *bytes = len;
  return out;
}

typedef BOOL(WINAPI *od_set_process_ctx_fn)(HANDLE);
typedef HANDLE(WINAPI *od_set_thread_ctx_fn)(HANDLE);

static INIT_ONCE od_dpi_once = INIT_ONCE_STATIC_INIT;
static od_set_thread_ctx_fn od_set_thread_ctx;

/* DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2 is ((HANDLE)-4); Windows 10 1703 and later. */
#define OD_DPI_PMV2 ((HANDLE)(intptr_t)-4)

static BOOL CALLBACK od_dpi_init(PINIT_ONCE once, PVOID param, PVOID *ctx) {
  HMODULE user32 = GetModuleHandleW(L"user32.dll");
  if (!user32) return TRUE;
  od_set_process_ctx_fn set_process =
      (od_set_process_ctx_fn)(void (*)(void))GetProcAddress(user32,
                                                            "SetProcessDpiAwarenessContext");
  od_set_thread_ctx =
      (od_set_thread_ctx_fn)(void (*)(void))GetProcAddress(user32, "SetThreadDpiAwarenessContext");
  /* Fails when the host's manifest already chose an awareness: the per-thread call covers it. */
  if (set_process) set_process(OD_DPI_PMV2);
  else SetProcessDPIAware(); /* before Windows 10: system awareness is the best there is */
  return TRUE;
}

void od_win_dpi_thread(void) {
  InitOnceExecuteOnce(&od_dpi_once, od_dpi_init, NULL, NULL);
  if (od_set_thread_ctx) od_set_thread_ctx(OD_DPI_PMV2);
}

int od_win_per_monitor_available(void) {
  InitOnceExecuteOnce(&od_dpi_once, od_dpi_init, NULL, NULL);
  return od_set_thread_ctx != NULL;
}

void od_win_virtual_screen(RECT *out) {
  out->left = GetSystemMetrics(SM_XVIRTUALSCREEN);
  out->top = GetSystemMetrics(SM_YVIRTUALSCREEN);
  out->right = out->left + GetSystemMetrics(SM_CXVIRTUALSCREEN);
  out->bottom = out->top + GetSystemMetrics(SM_CYVIRTUALSCREEN);
}

uint64_t od_win_now_ms(void) { return GetTickCount64(); }

long od_win_cpu_count(void) {
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return (long)info.dwNumberOfProcessors;
}
