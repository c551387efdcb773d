/* A process started outside any job, then put into one (what process.shell does on Windows: the
 * runner spawns the shell itself and hands its pid to od_job_assign): what it starts afterwards
 * joins the job, terminating the job ends both, a job that is not kill-on-close lets its
 * processes outlive the handle, and an exited pid is NOT_FOUND. */
#include <windows.h>

#include <stdio.h>

#include "_tap.h"
#include "_tests.h"

static uint32_t count_of(od_job *job) {
  uint32_t pids[16], n = 0;
  od_job_processes(job, pids, 16, &n);
  return n;
}

/* child-tree-on <event>: waits until the test signals `event`, then starts child-sleep. */
int child_tree_on_event(const char *self, const char *event) {
  HANDLE go = OpenEventA(SYNCHRONIZE, FALSE, event);
  if (!go || WaitForSingleObject(go, 30000) != WAIT_OBJECT_0) return 4;
  char cmd[MAX_PATH + 32];
  snprintf(cmd, sizeof cmd, "\"%s\" child-sleep", self);
  STARTUPINFOA si = {.cb = sizeof si};
  PROCESS_INFORMATION pi;
  if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 3;
  Sleep(INFINITE);
  return 0;
}

static HANDLE start_plain(const char *self, const char *mode, const char *arg, DWORD *pid) {
  char cmd[MAX_PATH + 96];
  snprintf(cmd, sizeof cmd, "\"%s\" %s %s", self, mode, arg);
  STARTUPINFOA si = {.cb = sizeof si};
  PROCESS_INFORMATION pi;
  if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return NULL;
  CloseHandle(pi.hThread);
  *pid = pi.dwProcessId;
  return pi.hProcess;
}

void test_job_assign(const char *self) {
  char event_name[64];
  snprintf(event_name, sizeof event_name, "opendesk-test-%lu", GetCurrentProcessId());
  HANDLE go = CreateEventA(NULL, TRUE, FALSE, event_name);
  DWORD pid = 0;
  HANDLE child = start_plain(self, "child-tree-on", event_name, &pid);
  od_job *job = NULL;
  int s = od_job_create(0, &job);
  int sa = job ? od_job_assign(job, pid) : OD_ERR_STATE;
  SetEvent(go);
  int two = job && TAP_WAIT(count_of(job) == 2, 10000);
  tap_check(child && s == OD_OK && sa == OD_OK && two,
            "od_job_assign of a running process: what it starts afterwards joins the job (%s, "
            "%u in the job)",
            tap_status(sa), job ? count_of(job) : 0);
  s = job ? od_job_terminate(job, 7) : OD_ERR_STATE;
  int s2 = job ? od_job_wait(job, 10000) : OD_ERR_STATE;
  DWORD code = 0;
  int ended = child && WaitForSingleObject(child, 10000) == WAIT_OBJECT_0 &&
              GetExitCodeProcess(child, &code) && code == 7;
  tap_check(s == OD_OK && s2 == OD_OK && ended && count_of(job) == 0,
            "od_job_terminate ends the assigned process and its child (exit code %lu)", code);
  sa = od_job_assign(job, pid);
  tap_check(sa == OD_ERR_NOT_FOUND, "an exited pid is NOT_FOUND for od_job_assign (%s)",
            tap_status(sa));
  if (child) CloseHandle(child);

  /* Not kill-on-close: destroying the job leaves its process running. */
  HANDLE sleeper = start_plain(self, "child-sleep", "", &pid);
  sa = od_job_assign(job, pid);
  od_job_destroy(job);
  int alive = sleeper && WaitForSingleObject(sleeper, 0) == WAIT_TIMEOUT;
  tap_check(sa == OD_OK && alive, "a job made without KILL_ON_CLOSE lets its process outlive it");
  if (sleeper) {
    TerminateProcess(sleeper, 0);
    CloseHandle(sleeper);
  }
  CloseHandle(go);
}
