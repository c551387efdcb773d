/* The Windows C test program: checks the shim (opendesk.dll) against real Win32 windows that it
 * creates itself, printing TAP-like lines. Run under Wine + Xvfb by wine_test.ts; the same
 * program runs on real Windows. With a child mode as first argument it is a helper process of
 * the job tests instead. */
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "_tap.h"
#include "_tests.h"
#include "_ui.h"

/* Log lines of the shim, shown as diagnostics (why Desktop Duplication is off, for example). */
static void log_line(int32_t level, const char *message, void *user) {
  if (level >= OD_LOG_INFO && strstr(message, "Desktop Duplication")) tap_diag("shim: %s", message);
}

int main(int argc, char **argv) {
  if (argc > 1 && strncmp(argv[1], "child-", 6) == 0) return child_main(argc, argv);
  const char *only = argc > 1 ? argv[1] : "";
  od_log_set_callback(log_line, NULL);
  od_display *d = NULL;
  int status = od_display_open(NULL, &d);
  tap_check(status == OD_OK && d, "od_display_open succeeds (%s %s)", tap_status(status),
            tap_shim_error());
  if (!d) return tap_finish();
  tap_check(ui_start(), "the test windows exist");
  if (!*only || strstr(only, "display")) test_display(d);
  if (!*only || strstr(only, "capture")) test_capture(d);
  if (!*only || strstr(only, "pointer")) test_pointer(d);
  if (!*only || strstr(only, "keys")) test_keys(d);
  if (!*only || strstr(only, "windows")) test_windows();
  if (!*only || strstr(only, "clipboard")) test_clipboard(d);
  if (!*only || strstr(only, "jobs")) test_jobs(argv[0]);
  if (!*only || strstr(only, "jobs")) test_job_assign(argv[0]);
  if (!*only || strstr(only, "threads")) test_threads(d);
  if (!*only || strstr(only, "uia")) test_uia();
  if (!*only || strstr(only, "absent")) test_absent();
  od_display_close(d);
  return tap_finish();
}
