/* UI Automation: what Wine supports is checked here (see wine_test.ts for the list). */
#include <windows.h>

#include "_tap.h"
#include "_tests.h"

void test_uia(void) {}
