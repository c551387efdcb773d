/* The job object handle shared by job.c and app.c. */
#ifndef OD_WIN32_JOB_H
#define OD_WIN32_JOB_H

#include "_win32.h"

struct od_job {
  HANDLE job;
  uint32_t flags;
  char error[OD_ERROR_TEXT];
};

/* Ids of the job's running processes, malloc'd (NULL when none or on failure). */
DWORD *od_job_pid_list(od_job *job, DWORD *count);

#endif
