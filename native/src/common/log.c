/* The optional log sink. The library never prints; without a sink, log lines
 * are dropped. */
#include "_common.h"

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t od_log_lock = PTHREAD_MUTEX_INITIALIZER;
static od_log_fn od_log_sink = NULL;
static void *od_log_user = NULL;

OD_API int od_log_set_callback(od_log_fn fn, void *user) {
  pthread_mutex_lock(&od_log_lock);
  od_log_sink = fn;
  od_log_user = user;
  pthread_mutex_unlock(&od_log_lock);
  return OD_OK;
}

/* Warnings and errors describe a failure, so they also become the calling
 * thread's last error (od_last_error), with or without a sink. */
static void od_vlog(int32_t level, const char *fmt, va_list ap) {
  pthread_mutex_lock(&od_log_lock);
  od_log_fn fn = od_log_sink;
  void *user = od_log_user;
  pthread_mutex_unlock(&od_log_lock);
  if (!fn && level < OD_LOG_WARN) return;
  char line[OD_ERROR_TEXT];
  vsnprintf(line, sizeof line, fmt, ap);
  if (level >= OD_LOG_WARN) od_set_last_error(line);
  if (fn) fn(level, line, user);
}

void od_log(int32_t level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  od_vlog(level, fmt, ap);
  va_end(ap);
}

void od_error_text(char *dst, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(dst, OD_ERROR_TEXT, fmt, ap);
  va_end(ap);
  od_log(OD_LOG_WARN, "%s", dst);
}
