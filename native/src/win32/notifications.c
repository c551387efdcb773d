/* Notifications of other programs: Windows has no public API that lets a desktop program read
 * them (UserNotificationListener serves only packaged apps, after the user allows it), so the
 * capability is absent and says why. */
#include "_win32.h"

OD_API int od_notifications_open(const char *session_bus_address, uint32_t capacity,
                                 od_notifications **out) {
  if (out) *out = NULL;
  return od_win_fail(NULL, OD_ERR_UNSUPPORTED,
                     "Windows offers no public API to read other programs' toast notifications "
                     "(UserNotificationListener is limited to packaged apps with the user's "
                     "consent)");
}

OD_API int od_notifications_list(od_notifications *h, uint8_t *buf, uint32_t cap,
                                 uint32_t *len) {
  return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT,
                     "od_notifications_list: no handle (od_notifications_open is unsupported "
                     "on Windows)");
}

OD_API int od_notifications_close(od_notifications *h) { return OD_OK; }
