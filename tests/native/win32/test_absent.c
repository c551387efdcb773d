/* Capabilities Windows does not offer: they fail with a status and a reason. */
#include <windows.h>

#include <string.h>

#include "_tap.h"
#include "_tests.h"

void test_absent(void) {
  od_notifications *n = (od_notifications *)1;
  int s = od_notifications_open(NULL, 16, &n);
  tap_check(s == OD_ERR_UNSUPPORTED && n == NULL && strstr(tap_shim_error(), "toast"),
            "od_notifications_open is UNSUPPORTED with the reason (%s: %s)", tap_status(s),
            tap_shim_error());
}
