/* The TAP-like printer and small helpers shared by the Windows C tests. */
#include <windows.h>

#include <stdarg.h>
#include <stdio.h>

#include "opendesk.h"
#include "_tap.h"

static int tap_count, tap_failed;

void tap_check(int passed, const char *fmt, ...) {
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  for (char *p = text; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  tap_count++;
  if (!passed) tap_failed++;
  printf("%s %d - %s\n", passed ? "ok" : "not ok", tap_count, text);
  fflush(stdout);
}

void tap_diag(const char *fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  for (char *p = text; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  printf("# %s\n", text);
  fflush(stdout);
}

int tap_finish(void) {
  printf("1..%d\n", tap_count);
  fflush(stdout);
  return tap_failed ? 1 : 0;
}

const char *tap_shim_error(void) {
  static char buf[512];
  uint32_t len = 0;
  buf[0] = 0;
  od_last_error(buf, sizeof buf, &len);
  return buf;
}

const char *tap_status(int status) {
  static char buf[64];
  uint32_t len = 0;
  od_status_name(status, buf, sizeof buf, &len);
  return buf;
}
