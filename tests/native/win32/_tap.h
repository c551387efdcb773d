/*
 * TAP-like output of the Windows C tests (read by tests/native/win32/wine_test.ts):
 *   "ok N - text" or "not ok N - text", "# text" for diagnostics, "1..N" at the end.
 * Waits poll a condition with a deadline (never a bare sleep).
 */
#ifndef OD_TEST_TAP_H
#define OD_TEST_TAP_H

#include <stdint.h>

void tap_check(int passed, const char *fmt, ...) __attribute__((format(gnu_printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
/* Prints the plan; returns the process exit code (1 when a check failed). */
int tap_finish(void);
/* The shim's last error text of the calling thread (static buffer). */
const char *tap_shim_error(void);
/* Status name (static buffer). */
const char *tap_status(int status);

/* Polls `cond` every 10 ms until it holds or `ms` passed; evaluates to its last value. */
#define TAP_WAIT(cond, ms)                                                                    \
  ({                                                                                          \
    uint64_t tap_deadline_ = GetTickCount64() + (ms);                                         \
    int tap_ok_;                                                                              \
    while (!(tap_ok_ = !!(cond)) && GetTickCount64() < tap_deadline_) Sleep(10);              \
    tap_ok_;                                                                                  \
  })

#endif
