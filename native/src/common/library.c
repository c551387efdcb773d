/* od_library_drivers: the drivers this library was built with. The build
 * defines OD_DRIVERS as their names, each ended by a newline. */
#include "_common.h"

#ifndef OD_DRIVERS
#define OD_DRIVERS ""
#endif

OD_API int od_library_drivers(char *buf, uint32_t cap, uint32_t *len) {
  return od_copy_text(OD_DRIVERS, buf, cap, len);
}
