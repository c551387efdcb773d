/* Job objects and applications: a process tree (this program started as child, which starts a
 * grandchild) killed as one; an application (child_app.exe, a GUI program next to this one)
 * launched by path, its window found, closed politely; one that ignores WM_CLOSE, terminated. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_tap.h"
#include "_tests.h"

/* child-tree: starts "child-sleep" and sleeps; child-sleep: sleeps. */
int child_main(int argc, char **argv) {
  if (strcmp(argv[1], "child-tree-on") == 0 && argc > 2) return child_tree_on_event(argv[0], argv[2]);
  if (strcmp(argv[1], "child-tree") == 0) {
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" child-sleep", argv[0]);
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 3;
    Sleep(INFINITE);
  }
  if (strcmp(argv[1], "child-sleep") == 0) Sleep(INFINITE);
  return 2;
}

static uint32_t job_count(od_job *job) {
  uint32_t pids[16], n = 0;
  od_job_processes(job, pids, 16, &n);
  return n;
}

static void app_path(const char *self, char *out, size_t cap) {
  snprintf(out, cap, "%s", self);
  char *slash = strrchr(out, '\\');
  snprintf(slash ? slash + 1 : out, cap - (size_t)(slash ? slash + 1 - out : 0), "child_app.exe");
}

void test_jobs(const char *self) {
  char app[MAX_PATH];
  app_path(self, app, sizeof app);
  od_job *job = NULL;
  int s = od_job_create(OD_JOB_KILL_ON_CLOSE, &job);
  tap_check(s == OD_OK && job, "od_job_create succeeds (%s)", tap_status(s));
  if (!job) return;
  char cmd[MAX_PATH + 32];
  snprintf(cmd, sizeof cmd, "\"%s\" child-tree", self);
  uint32_t pid = 0;
  s = od_job_spawn(job, cmd, NULL, &pid);
  int two = TAP_WAIT(job_count(job) == 2, 10000);
  tap_check(s == OD_OK && pid != 0 && two,
            "od_job_spawn starts a child that starts a grandchild: 2 processes in the job");
  uint32_t pids[16], n = 0;
  od_job_processes(job, pids, 16, &n);
  HANDLE handles[2] = {0};
  for (uint32_t i = 0; i < n && i < 2; i++)
    handles[i] = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pids[i]);
  s = od_job_terminate(job, 9);
  int s2 = od_job_wait(job, 10000);
  int dead = handles[0] && handles[1] &&
             WaitForMultipleObjects(2, handles, TRUE, 10000) == WAIT_OBJECT_0;
  DWORD code = 0;
  if (handles[1]) GetExitCodeProcess(handles[1], &code);
  tap_check(s == OD_OK && s2 == OD_OK && dead && code == 9,
            "od_job_terminate ends child and grandchild (exit code %lu)", code);
  for (int i = 0; i < 2; i++)
    if (handles[i]) CloseHandle(handles[i]);
  s = od_job_processes(job, pids, 0, &n);
  tap_check(s == OD_OK && n == 0, "the job is empty afterwards");

  /* An application by path: launched, window found, closed politely. */
  s = od_app_launch(job, app, NULL, &pid);
  uint32_t window = 0;
  int s3 = od_app_wait_window(job, 15000, &window);
  DWORD owner = 0;
  GetWindowThreadProcessId((HWND)(uintptr_t)window, &owner);
  wchar_t title[64] = L"";
  GetWindowTextW((HWND)(uintptr_t)window, title, 64);
  tap_check(s == OD_OK && s3 == OD_OK && pid != 0 && owner == pid &&
                wcscmp(title, L"opendesk child app") == 0,
            "od_app_launch by path + od_app_wait_window find the app's window (%s/%s; pid %u, "
            "window owner %lu, title '%ls', %u in the job)",
            tap_status(s), tap_status(s3), pid, owner, title, job_count(job));
  uint32_t terminated = 9;
  s = od_app_close(job, 10000, &terminated);
  tap_check(s == OD_OK && terminated == 0 && job_count(job) == 0,
            "od_app_close: the app closes on WM_CLOSE, no termination needed (%s)",
            tap_status(s));
  od_app_launch(job, app, "stubborn", &pid);
  s3 = od_app_wait_window(job, 15000, &window);
  s = od_app_close(job, 500, &terminated);
  tap_check(s3 == OD_OK && s == OD_OK && terminated == 1 && job_count(job) == 0,
            "an app that ignores WM_CLOSE is terminated after the grace period (%s)",
            tap_status(s));
  /* By name: found on the search path like the Run dialog does (Wine ships notepad.exe). */
  s = od_app_launch(job, "notepad", NULL, &pid);
  s3 = od_app_wait_window(job, 30000, &window);
  wchar_t cls[64] = L"";
  GetClassNameW((HWND)(uintptr_t)window, cls, 64);
  tap_check(s == OD_OK && s3 == OD_OK && pid != 0,
            "od_app_launch by name ('notepad') and its window (class '%ls') (%s/%s %s)", cls,
            tap_status(s), tap_status(s3), tap_shim_error());
  s = od_app_close(job, 10000, &terminated);
  tap_check(s == OD_OK && job_count(job) == 0, "and od_app_close ends it (terminated=%u, %s)",
            terminated, tap_status(s));
  s = od_app_launch(job, "C:\\no\\such\\program.exe", NULL, &pid);
  tap_check(s == OD_ERR_NOT_FOUND, "launching a missing program is NOT_FOUND (%s: %s)",
            tap_status(s), tap_shim_error());
  od_job_destroy(job);
}
