/* The groups of checks of the Windows C test program (each in its own file). */
#ifndef OD_TEST_GROUPS_H
#define OD_TEST_GROUPS_H

#include "opendesk.h"

void test_display(od_display *d);
void test_capture(od_display *d);
void test_pointer(od_display *d);
void test_keys(od_display *d);
void test_windows(void);
void test_clipboard(od_display *d);
void test_jobs(const char *self);
void test_job_assign(const char *self);
void test_uia(void);
void test_threads(od_display *d);
void test_absent(void);

/* Child modes of the test program, started by test_jobs. */
int child_main(int argc, char **argv);
/* child-tree-on <event>: starts child-sleep once the test signals the named event. */
int child_tree_on_event(const char *self, const char *event);

#endif
