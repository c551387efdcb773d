/* The calling thread's last failure message (od_last_error), the one place
 * every failing call leaves its text. */
#include "_common.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char od_thread_error[OD_ERROR_TEXT];

void od_set_last_error(const char *text) {
  snprintf(od_thread_error, sizeof od_thread_error, "%s", text);
}

int od_fail(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(od_thread_error, sizeof od_thread_error, fmt, ap);
  va_end(ap);
  od_log(OD_LOG_WARN, "%s", od_thread_error);
  return status;
}

OD_API int od_last_error(char *buf, uint32_t cap, uint32_t *len) {
  return od_copy_text(od_thread_error, buf, cap, len);
}
