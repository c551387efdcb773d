/* Job objects: a process and everything it starts, ended as one (process.shell timeouts and
 * cancellation, closing launched applications). */
#include "_win32.h"

#include <stdlib.h>
#include <string.h>

#include "_job.h"

OD_API int od_job_create(uint32_t flags, od_job **out) {
  if (!out) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_job_create: out is NULL");
  *out = NULL;
  od_job *job = calloc(1, sizeof *job);
  if (!job) return od_win_fail(NULL, OD_ERR_NO_MEMORY, "Cannot allocate the job handle");
  job->job = CreateJobObjectW(NULL, NULL);
  if (!job->job) {
    free(job);
    return od_win_fail_sys(NULL, OD_ERR_WIN_CALL, "CreateJobObject failed");
  }
  job->flags = flags;
  if (flags & OD_JOB_KILL_ON_CLOSE) {
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION info;
    memset(&info, 0, sizeof info);
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!SetInformationJobObject(job->job, JobObjectExtendedLimitInformation, &info,
                                 sizeof info)) {
      int s = od_win_fail_sys(NULL, OD_ERR_WIN_CALL, "Setting kill-on-close on the job failed");
      CloseHandle(job->job);
      free(job);
      return s;
    }
  }
  *out = job;
  return OD_OK;
}

OD_API int od_job_destroy(od_job *job) {
  if (!job) return OD_OK;
  CloseHandle(job->job); /* with OD_JOB_KILL_ON_CLOSE, this ends what is left */
  free(job);
  return OD_OK;
}

static int od_job_add(od_job *job, HANDLE process, DWORD pid) {
  if (!AssignProcessToJobObject(job->job, process))
    return od_win_fail_sys(job->error, OD_ERR_WIN_CALL, "Adding process %lu to the job failed",
                           (unsigned long)pid);
  return OD_OK;
}

OD_API int od_job_assign(od_job *job, uint32_t pid) {
  if (!job) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_job_assign: NULL job");
  HANDLE p = OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE |
                             PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE,
                         FALSE, pid);
  if (!p)
    return od_win_fail_sys(job->error, GetLastError() == ERROR_INVALID_PARAMETER
                                           ? OD_ERR_NOT_FOUND
                                           : OD_ERR_WIN_CALL,
                           "Cannot open process %u", pid);
  /* A process that has exited but whose handle someone still holds can be opened, not added. */
  if (WaitForSingleObject(p, 0) == WAIT_OBJECT_0) {
    CloseHandle(p);
    return od_win_fail(job->error, OD_ERR_NOT_FOUND, "Process %u has already exited", pid);
  }
  int s = od_job_add(job, p, pid);
  CloseHandle(p);
  return s;
}

OD_API int od_job_spawn(od_job *job, const char *command_line, const char *cwd, uint32_t *pid) {
  if (!job || !command_line || !pid)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_job_spawn: NULL argument");
  wchar_t *cmd = od_win_wide(command_line, -1, NULL);
  wchar_t *dir = cwd ? od_win_wide(cwd, -1, NULL) : NULL;
  if (!cmd || (cwd && !dir)) {
    free(cmd);
    free(dir);
    return od_win_fail(job->error, OD_ERR_INVALID_ARGUMENT,
                       "The command line or folder is not valid UTF-8");
  }
  STARTUPINFOW si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  PROCESS_INFORMATION pi;
  /* Suspended until it is in the job, so nothing it starts can escape the job. */
  BOOL ok = CreateProcessW(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, dir, &si, &pi);
  free(cmd);
  free(dir);
  if (!ok) return od_win_fail_sys(job->error, OD_ERR_WIN_CALL, "Cannot start '%s'", command_line);
  int s = od_job_add(job, pi.hProcess, pi.dwProcessId);
  if (s != OD_OK) TerminateProcess(pi.hProcess, 1);
  else ResumeThread(pi.hThread);
  *pid = s == OD_OK ? pi.dwProcessId : 0;
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return s;
}

DWORD *od_job_pid_list(od_job *job, DWORD *count) {
  *count = 0;
  for (DWORD room = 64; room <= 65536; room *= 4) {
    size_t bytes = sizeof(JOBOBJECT_BASIC_PROCESS_ID_LIST) + sizeof(ULONG_PTR) * room;
    JOBOBJECT_BASIC_PROCESS_ID_LIST *list = calloc(1, bytes);
    if (!list) return NULL;
    if (QueryInformationJobObject(job->job, JobObjectBasicProcessIdList, list, (DWORD)bytes,
                                  NULL) ||
        GetLastError() == ERROR_MORE_DATA) {
      if (list->NumberOfAssignedProcesses > list->NumberOfProcessIdsInList) {
        free(list);
        continue;
      }
      DWORD n = list->NumberOfProcessIdsInList;
      DWORD *pids = malloc(sizeof *pids * (n ? n : 1));
      if (pids)
        for (DWORD i = 0; i < n; i++) pids[i] = (DWORD)list->ProcessIdList[i];
      *count = pids ? n : 0;
      free(list);
      return pids;
    }
    free(list);
    return NULL;
  }
  return NULL;
}

OD_API int od_job_processes(od_job *job, uint32_t *pids, uint32_t cap, uint32_t *count) {
  if (!job || !count || (cap > 0 && !pids))
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_job_processes: NULL argument");
  DWORD n = 0;
  DWORD *list = od_job_pid_list(job, &n);
  if (!list) {
    *count = 0;
    return od_win_fail_sys(job->error, OD_ERR_WIN_CALL, "Cannot list the job's processes");
  }
  *count = n;
  for (DWORD i = 0; i < n && i < cap; i++) pids[i] = list[i];
  free(list);
  if (n > cap)
    return od_win_fail(job->error, OD_ERR_BUFFER_TOO_SMALL, "%lu processes do not fit in %u",
                       (unsigned long)n, cap);
  return OD_OK;
}

OD_API int od_job_terminate(od_job *job, uint32_t exit_code) {
  if (!job) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_job_terminate: NULL job");
  if (!TerminateJobObject(job->job, exit_code))
    return od_win_fail_sys(job->error, OD_ERR_WIN_CALL, "TerminateJobObject failed");
  return OD_OK;
}

static DWORD od_job_active(od_job *job) {
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info;
  if (!QueryInformationJobObject(job->job, JobObjectBasicAccountingInformation, &info,
                                 sizeof info, NULL))
    return 0;
  return info.ActiveProcesses;
}

OD_API int od_job_wait(od_job *job, uint32_t timeout_ms) {
  if (!job) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_job_wait: NULL job");
  uint64_t deadline = od_win_now_ms() + timeout_ms;
  for (;;) {
    DWORD n = 0;
    DWORD *pids = od_job_pid_list(job, &n);
    free(pids);
    if (pids && n == 0 && od_job_active(job) == 0) return OD_OK;
    if (od_win_now_ms() >= deadline)
      return od_win_fail(job->error, OD_ERR_WIN_TIMEOUT,
                         "%lu process(es) of the job still run after %u ms", (unsigned long)n,
                         timeout_ms);
    Sleep(10);
  }
}
