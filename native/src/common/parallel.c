/* A minimal fork-join helper for the encoders: n pieces of work, one per
 * thread, the calling thread doing the first. */
#include "_common.h"

#include <pthread.h>
#include <unistd.h>

#define OD_MAX_WORKERS 8

/* More pieces than cores: pieces differ in cost (a photo costs more than text),
 * and on a busy machine more threads get a fairer share. Measured on 2 cores
 * with other load, 1080p PNG p50: 2 pieces 16.0 ms, 4 pieces 12.2 ms,
 * 8 pieces 10.6 ms. */
uint32_t od_worker_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  return n * 4 > OD_MAX_WORKERS ? OD_MAX_WORKERS : (uint32_t)(n * 4);
}

typedef struct {
  void (*fn)(uint32_t, void *);
  void *arg;
  uint32_t index;
} od_job;

static void *od_job_main(void *p) {
  od_job *job = p;
  job->fn(job->index, job->arg);
  return NULL;
}

void od_parallel(uint32_t n, void (*fn)(uint32_t index, void *arg), void *arg) {
  if (n > OD_MAX_WORKERS) n = OD_MAX_WORKERS;
  pthread_t threads[OD_MAX_WORKERS];
  od_job jobs[OD_MAX_WORKERS];
  int started[OD_MAX_WORKERS] = {0};
  for (uint32_t i = 1; i < n; i++) {
    jobs[i] = (od_job){fn, arg, i};
    started[i] = pthread_create(&threads[i], NULL, od_job_main, &jobs[i]) == 0;
  }
  if (n > 0) fn(0, arg);
  for (uint32_t i = 1; i < n; i++) {
    if (started[i]) {
      pthread_join(threads[i], NULL);
    } else {
      fn(i, arg);
    }
  }
}
