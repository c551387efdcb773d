/* Helpers of the Wayland driver's C test: result lines, child processes, and the few JSON
 * lookups the test needs in sway's replies. */
#ifndef OD_WL_TEST_HARNESS_H
#define OD_WL_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Prints "ok NAME" or "not ok NAME: reason" (the Deno test reads these lines). */
void check(int ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prints "figure NAME VALUE UNIT". */
void figure(const char *name, double value, const char *unit);
double now_ms(void);

/* A child with its stdin and stdout connected to pipes. */
typedef struct {
  pid_t pid;
  int in, out;
  char buf[65536];
  size_t len;
} child;
int child_start(child *c, char *const argv[]);
/* Reads one line (without the newline) within `timeout_ms`; returns 0 on timeout or EOF. */
int child_line(child *c, char *line, size_t cap, int timeout_ms);
int child_send(child *c, const char *text);
void child_stop(child *c);

/* Runs a shell command and returns its standard output (malloc'd, NUL-terminated, `*len`
 * bytes) or NULL when it failed; `input` (may be NULL) is written to its stdin. */
char *run_output(const char *cmd, const void *input, size_t input_len, size_t *len);
int run_quiet(const char *cmd);

/* In JSON text: the value after the first "key" at or after `from` (whitespace skipped). */
const char *json_value(const char *from, const char *key);
/* The integer after "key" at or after `from`; `fallback` when missing. */
long json_int(const char *from, const char *key, long fallback);
/* The sway tree object that has "app_id": "<app_id>" — the position of its app_id key. */
const char *sway_node(const char *tree, const char *app_id);
/* A key of that node that comes before app_id in sway's output ("rect", "focused"). */
const char *sway_node_before(const char *tree, const char *node, const char *key);

#endif
