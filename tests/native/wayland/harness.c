/* Helpers of the Wayland driver's C test (see _harness.h). */
#define _GNU_SOURCE
#include "_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void check(int ok, const char *name, const char *fmt, ...) {
  char reason[1024] = "";
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(reason, sizeof reason, fmt, ap);
  va_end(ap);
  if (ok) printf("ok %s\n", name);
  else printf("not ok %s: %s\n", name, reason);
  fflush(stdout);
}

void figure(const char *name, double value, const char *unit) {
  printf("figure %s %.2f %s\n", name, value, unit);
  fflush(stdout);
}

double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

int child_start(child *c, char *const argv[]) {
  int in[2], out[2];
  memset(c, 0, sizeof *c);
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) return 0;
  c->pid = fork();
  if (c->pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  c->in = in[1];
  c->out = out[0];
  return c->pid > 0;
}

int child_line(child *c, char *line, size_t cap, int timeout_ms) {
  double end = now_ms() + timeout_ms;
  for (;;) {
    char *nl = memchr(c->buf, '\n', c->len);
    if (nl) {
      size_t n = (size_t)(nl - c->buf);
      snprintf(line, cap, "%.*s", (int)n, c->buf);
      memmove(c->buf, nl + 1, c->len - n - 1);
      c->len -= n + 1;
      return 1;
    }
    int left = (int)(end - now_ms());
    if (left <= 0 || c->len == sizeof c->buf) return 0;
    struct pollfd p = {c->out, POLLIN, 0};
    if (poll(&p, 1, left) <= 0) continue;
    ssize_t r = read(c->out, c->buf + c->len, sizeof c->buf - c->len);
    if (r <= 0) return 0;
    c->len += (size_t)r;
  }
}

int child_send(child *c, const char *text) {
  return write(c->in, text, strlen(text)) == (ssize_t)strlen(text);
}

void child_stop(child *c) {
  if (c->pid <= 0) return;
  close(c->in);
  close(c->out);
  kill(c->pid, SIGTERM);
  waitpid(c->pid, NULL, 0);
  c->pid = 0;
}

char *run_output(const char *cmd, const void *input, size_t input_len, size_t *len) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) return NULL;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  signal(SIGPIPE, SIG_IGN);
  size_t cap = 1 << 16, n = 0, sent = 0;
  char *buf = malloc(cap);
  int out_open = 1, in_open = 1;
  if (!input || input_len == 0) close(in[1]), in_open = 0;
  while (out_open) {
    struct pollfd p[2] = {{out[0], POLLIN, 0}, {in_open ? in[1] : -1, POLLOUT, 0}};
    if (poll(p, 2, 20000) <= 0) break;
    if (in_open && (p[1].revents & (POLLOUT | POLLERR))) {
      ssize_t w = write(in[1], (const char *)input + sent, input_len - sent);
      if (w > 0) sent += (size_t)w;
      if (w <= 0 || sent == input_len) close(in[1]), in_open = 0;
    }
    if (p[0].revents & (POLLIN | POLLHUP)) {
      if (n + 1 >= cap) buf = realloc(buf, cap *= 2);
      ssize_t r = read(out[0], buf + n, cap - n - 1);
      if (r <= 0) out_open = 0;
      else n += (size_t)r;
    }
  }
  if (in_open) close(in[1]);
  close(out[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  buf[n] = 0;
  if (len) *len = n;
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

int run_quiet(const char *cmd) {
  char full[4096];
  snprintf(full, sizeof full, "%s >/dev/null 2>&1", cmd);
  return system(full) == 0;
}

const char *json_value(const char *from, const char *key) {
  char pat[128];
  snprintf(pat, sizeof pat, "\"%s\"", key);
  const char *p = from ? strstr(from, pat) : NULL;
  if (!p) return NULL;
  p += strlen(pat);
  while (*p == ' ' || *p == '\n' || *p == '\t' || *p == ':') p++;
  return p;
}

long json_int(const char *from, const char *key, long fallback) {
  const char *v = json_value(from, key);
  return v ? strtol(v, NULL, 10) : fallback;
}

const char *sway_node(const char *tree, const char *app_id) {
  for (const char *p = tree; (p = json_value(p, "app_id"));) {
    size_t n = strlen(app_id);
    if (p[0] == '"' && strncmp(p + 1, app_id, n) == 0 && p[n + 1] == '"') return p;
  }
  return NULL;
}

const char *sway_node_before(const char *tree, const char *node, const char *key) {
  char pat[128];
  snprintf(pat, sizeof pat, "\"%s\"", key);
  size_t n = strlen(pat);
  for (const char *p = node; p >= tree; p--)
    if (strncmp(p, pat, n) == 0) return json_value(p, key);
  return NULL;
}
