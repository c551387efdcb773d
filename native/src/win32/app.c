/* Applications: launch by path or name (ShellExecuteEx, which also finds programs registered
 * under "App Paths"), wait for the new window, close politely then terminate. The launched
 * process goes into a job, so "its windows" include those of every process it started. */
#include "_win32.h"

#include <objbase.h>
#include <shellapi.h>
#include <stdlib.h>
#include <string.h>

#include "_job.h"

OD_API int od_app_launch(od_job *job, const char *target, const char *args, uint32_t *pid) {
  if (!job || !target || !*target || !pid)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_app_launch: NULL or empty argument");
  *pid = 0;
  wchar_t *file = od_win_wide(target, -1, NULL);
  wchar_t *params = args ? od_win_wide(args, -1, NULL) : NULL;
  if (!file || (args && !params)) {
    free(file);
    free(params);
    return od_win_fail(job->error, OD_ERR_INVALID_ARGUMENT, "The target or arguments are not "
                                                            "valid UTF-8");
  }
  /* COM may be needed by shell extensions that ShellExecuteEx loads. */
  HRESULT init = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
  SHELLEXECUTEINFOW sei;
  memset(&sei, 0, sizeof sei);
  sei.cbSize = sizeof sei;
  sei.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_FLAG_NO_UI | SEE_MASK_NOASYNC;
  sei.lpVerb = L"open";
  sei.lpFile = file;
  sei.lpParameters = params;
  sei.nShow = SW_SHOWNORMAL;
  BOOL ok = ShellExecuteExW(&sei);
  int status = OD_OK;
  if (!ok) {
    status = od_win_fail_sys(job->error,
                             GetLastError() == ERROR_FILE_NOT_FOUND ||
                                     GetLastError() == ERROR_PATH_NOT_FOUND
                                 ? OD_ERR_NOT_FOUND
                                 : OD_ERR_WIN_CALL,
                             "Cannot open '%s'", target);
  } else if (sei.hProcess) {
    *pid = GetProcessId(sei.hProcess);
    /* Started running already: children it made before this line stay outside the job (a
     * launcher that hands off at once); od_job_spawn avoids that for plain executables. */
    if (!AssignProcessToJobObject(job->job, sei.hProcess))
      status = od_win_fail_sys(job->error, OD_ERR_WIN_CALL,
                               "'%s' started (process %u) but could not join the job", target,
                               *pid);
    CloseHandle(sei.hProcess);
  }
  free(file);
  free(params);
  if (SUCCEEDED(init)) CoUninitialize();
  return status;
}

typedef struct {
  const DWORD *pids;
  DWORD count;
  HWND found;
  uint32_t posted;
  int post_close;
} od_app_scan;

static int od_app_member(const od_app_scan *s, HWND hwnd) {
  DWORD pid = 0;
  GetWindowThreadProcessId(hwnd, &pid);
  for (DWORD i = 0; i < s->count; i++)
    if (s->pids[i] == pid) return 1;
  return 0;
}

static int od_app_each(HWND hwnd, void *arg) {
  od_app_scan *s = arg;
  if (!od_app_member(s, hwnd)) return 1;
  if (s->post_close) {
    PostMessageW(hwnd, WM_CLOSE, 0, 0);
    s->posted++;
    return 1;
  }
  if (GetWindowTextLengthW(hwnd) == 0 || GetWindow(hwnd, GW_OWNER)) return 1;
  s->found = hwnd;
  return 0;
}

OD_API int od_app_wait_window(od_job *job, uint32_t timeout_ms, uint32_t *window) {
  if (!job || !window)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_app_wait_window: NULL argument");
  *window = 0;
  uint64_t deadline = od_win_now_ms() + timeout_ms;
  for (;;) {
    DWORD n = 0;
    DWORD *pids = od_job_pid_list(job, &n);
    od_app_scan s = {pids, n, NULL, 0, 0};
    if (pids && n > 0) od_win_each_window(od_app_each, &s);
    free(pids);
    if (s.found) {
      *window = (uint32_t)(uintptr_t)s.found;
      return OD_OK;
    }
    if (pids && n == 0)
      return od_win_fail(job->error, OD_ERR_NOT_FOUND,
                         "Every process of the application ended without showing a window");
    if (od_win_now_ms() >= deadline)
      return od_win_fail(job->error, OD_ERR_WIN_TIMEOUT,
                         "The application showed no window within %u ms", timeout_ms);
    Sleep(20);
  }
}

OD_API int od_app_close(od_job *job, uint32_t grace_ms, uint32_t *terminated) {
  if (!job || !terminated)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_app_close: NULL argument");
  *terminated = 0;
  DWORD n = 0;
  DWORD *pids = od_job_pid_list(job, &n);
  od_app_scan s = {pids, n, NULL, 0, 1};
  if (pids && n > 0) od_win_each_window(od_app_each, &s);
  free(pids);
  if (s.posted > 0 && od_job_wait(job, grace_ms) == OD_OK) return OD_OK;
  if (od_job_wait(job, 0) == OD_OK) return OD_OK;
  int status = od_job_terminate(job, 1);
  if (status != OD_OK) return status;
  *terminated = 1;
  return od_job_wait(job, 5000);
}
