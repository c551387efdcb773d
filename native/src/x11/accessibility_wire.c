/*
 * A direct socket to one application's accessibility server, spoken without libdbus's
 * connection machinery (internal to the accessibility files; see _a11y.h).
 *
 * libdbus sends every call with its own poll and write, and keeps a pending call and a timeout
 * per request; a walk makes thousands of calls, and that bookkeeping cost as much time as the
 * application's answers. Here calls are marshalled into one buffer and written together, and
 * replies are read in large pieces and matched by serial. Only unix socket addresses and the
 * EXTERNAL authentication (the application's own user) are spoken; anything else makes
 * od_a11y_wire_open fail and the walk uses libdbus.
 */
#define _GNU_SOURCE
#include <dbus/dbus.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "opendesk.h"
#include "_a11y.h"

#define READ_CHUNK (256 * 1024)
#define MESSAGE_MAX (32u << 20) /* libdbus's own default limit of a received message */
#define MIN_REPLY 24 /* bytes of the smallest D-Bus reply: a header with a reply serial */

struct A11yWire {
  int fd;
  int broken;
  uint32_t next_serial;
  uint32_t base;       /* serial of replies[0] */
  DBusMessage **replies; /* by serial - base; (DBusMessage *)1 marks an error reply */
  uint32_t reply_cap;
  uint32_t outstanding; /* calls of this walk written whose replies have not been read */
  int lowat;            /* the socket's SO_RCVLOWAT */
  char *out;
  size_t out_len, out_cap;
  char *in;
  size_t in_len, in_cap;
};

static DBusMessage *const ERROR_REPLY = (DBusMessage *)1;

/* Connects to a `unix:path=` or `unix:abstract=` address; -1 otherwise. */
static int connect_unix(const char *address) {
  if (strncmp(address, "unix:", 5) != 0) return -1;
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  const char *p = address + 5;
  int abstract = 0;
  const char *value = NULL;
  for (const char *k = p; k && *k; k = strchr(k, ',') ? strchr(k, ',') + 1 : NULL) {
    if (strncmp(k, "path=", 5) == 0) value = k + 5;
    if (strncmp(k, "abstract=", 9) == 0) value = k + 9, abstract = 1;
  }
  if (!value) return -1;
  size_t n = strcspn(value, ",");
  if (n == 0 || n + (size_t)abstract >= sizeof sa.sun_path) return -1;
  for (size_t i = 0; i < n; i++) {
    if (value[i] == '%') return -1; /* escaped addresses: leave them to libdbus */
  }
  memcpy(sa.sun_path + abstract, value, n);
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + abstract + n);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&sa, len) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static int write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    data += n, len -= (size_t)n;
  }
  return 0;
}

/* Reads one "\r\n"-ended line of the authentication conversation before `deadline`. */
static int read_line(int fd, char *line, size_t cap, int64_t deadline) {
  size_t len = 0;
  while (len + 1 < cap) {
    int64_t left = deadline - od_a11y_now_ms();
    struct pollfd p = {fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, (int)left) <= 0) return -1;
    ssize_t n = recv(fd, line + len, 1, 0); /* byte by byte: nothing after the line is ours */
    if (n <= 0) return -1;
    if (++len >= 2 && line[len - 2] == '\r' && line[len - 1] == '\n') {
      line[len] = 0;
      return 0;
    }
  }
  return -1;
}

A11yWire *od_a11y_wire_open(const char *address, int64_t deadline, int *refused) {
  *refused = 0;
  int fd = address ? connect_unix(address) : -1;
  if (fd < 0) {
    *refused = 1;
    return NULL;
  }
  char uid[16], hex[40], line[256];
  snprintf(uid, sizeof uid, "%u", (unsigned)getuid());
  for (size_t i = 0; uid[i]; i++) snprintf(hex + 2 * i, 3, "%02x", (unsigned char)uid[i]);
  char hello[80];
  int n = snprintf(hello, sizeof hello, "%cAUTH EXTERNAL %s\r\n", 0, hex);
  A11yWire *w = NULL;
  if (write_all(fd, hello, (size_t)n) == 0 && read_line(fd, line, sizeof line, deadline) == 0) {
    if (strncmp(line, "OK ", 3) == 0 && write_all(fd, "BEGIN\r\n", 7) == 0) {
      w = calloc(1, sizeof *w);
    } else {
      *refused = 1; /* the application does not accept EXTERNAL from us */
    }
  }
  if (!w) {
    close(fd);
    return NULL;
  }
  w->fd = fd;
  w->next_serial = 1;
  return w;
}

static void drop_replies(A11yWire *w) {
  for (uint32_t i = 0; i < w->reply_cap; i++) {
    if (w->replies[i] && w->replies[i] != ERROR_REPLY) dbus_message_unref(w->replies[i]);
    w->replies[i] = NULL;
  }
}

void od_a11y_wire_close(A11yWire *w) {
  if (!w) return;
  drop_replies(w);
  free(w->replies);
  free(w->out);
  free(w->in);
  close(w->fd);
  free(w);
}

int od_a11y_wire_broken(const A11yWire *w) { return !w || w->broken; }

void od_a11y_wire_begin(A11yWire *w) {
  drop_replies(w);
  w->base = w->next_serial;
  w->outstanding = 0;
}

static int grow(char **buf, size_t *cap, size_t need) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 64 * 1024;
  while (c < need) c *= 2;
  char *p = realloc(*buf, c);
  if (!p) return -1;
  *buf = p, *cap = c;
  return 0;
}

uint32_t od_a11y_wire_send(A11yWire *w, const char *path, const char *iface, const char *method,
                           const char *s1, const char *s2, const uint32_t *u1,
                           const int32_t *i2) {
  if (w->next_serial == UINT32_MAX) w->broken = 1; /* serials never wrap: reconnect instead */
  if (w->broken) return 0;
  uint32_t slot = w->next_serial - w->base;
  if (slot >= w->reply_cap) {
    uint32_t cap = w->reply_cap ? w->reply_cap * 2 : 4096;
    while (cap <= slot) cap *= 2;
    DBusMessage **r = realloc(w->replies, sizeof *r * cap);
    if (!r) return 0;
    memset(r + w->reply_cap, 0, sizeof *r * (cap - w->reply_cap));
    w->replies = r, w->reply_cap = cap;
  }
  DBusMessage *m = dbus_message_new_method_call(NULL, path, iface, method);
  if (!m) return 0;
  if (s1) dbus_message_append_args(m, DBUS_TYPE_STRING, &s1, DBUS_TYPE_INVALID);
  if (s2) dbus_message_append_args(m, DBUS_TYPE_STRING, &s2, DBUS_TYPE_INVALID);
  if (u1) dbus_message_append_args(m, DBUS_TYPE_UINT32, u1, DBUS_TYPE_INVALID);
  if (i2) dbus_message_append_args(m, DBUS_TYPE_INT32, &i2[0], DBUS_TYPE_INT32, &i2[1], DBUS_TYPE_INVALID);
  uint32_t serial = w->next_serial;
  dbus_message_set_serial(m, serial);
  char *data = NULL;
  int len = 0;
  int ok = dbus_message_marshal(m, &data, &len);
  dbus_message_unref(m);
  if (!ok || grow(&w->out, &w->out_cap, w->out_len + (size_t)len) != 0) {
    dbus_free(data);
    return 0;
  }
  memcpy(w->out + w->out_len, data, (size_t)len);
  w->out_len += (size_t)len;
  dbus_free(data);
  w->next_serial++;
  w->outstanding++;
  return serial;
}

/* Takes every whole message out of the input buffer; replies go to their serial's slot. */
static void parse_input(A11yWire *w) {
  size_t at = 0;
  while (w->in_len - at >= 16) {
    int need = dbus_message_demarshal_bytes_needed(w->in + at, (int)(w->in_len - at));
    if (need < 0 || (uint32_t)need > MESSAGE_MAX) {
      w->broken = 1;
      break;
    }
    if (need == 0 || (size_t)need > w->in_len - at) break;
    DBusMessage *m = dbus_message_demarshal(w->in + at, need, NULL);
    at += (size_t)need;
    if (!m) {
      w->broken = 1;
      break;
    }
    int type = dbus_message_get_type(m);
    uint32_t serial = dbus_message_get_reply_serial(m);
    uint32_t slot = serial - w->base;
    if ((type == DBUS_MESSAGE_TYPE_METHOD_RETURN || type == DBUS_MESSAGE_TYPE_ERROR) &&
        serial >= w->base && serial < w->next_serial && slot < w->reply_cap && !w->replies[slot]) {
      if (w->outstanding) w->outstanding--;
      if (type == DBUS_MESSAGE_TYPE_ERROR) {
        w->replies[slot] = ERROR_REPLY;
        dbus_message_unref(m);
      } else {
        w->replies[slot] = m;
      }
    } else {
      dbus_message_unref(m); /* signals, and replies to an earlier walk */
    }
  }
  memmove(w->in, w->in + at, w->in_len - at);
  w->in_len -= at;
}

/* One round of I/O: writes what is queued and reads what has arrived, waiting up to the
 * deadline for either. -1 once the deadline passed or the socket failed. */
static int pump(A11yWire *w, int64_t deadline) {
  int64_t left = deadline - od_a11y_now_ms();
  if (left <= 0) return -1;
  struct pollfd p = {w->fd, (short)(POLLIN | (w->out_len ? POLLOUT : 0)), 0};
  int r = poll(&p, 1, (int)left);
  if (r < 0 && errno == EINTR) return 0;
  if (r <= 0) return -1;
  if (p.revents & POLLOUT) {
    ssize_t n = send(w->fd, w->out, w->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return w->broken = 1, -1;
    if (n > 0) {
      memmove(w->out, w->out + n, w->out_len - (size_t)n);
      w->out_len -= (size_t)n;
    }
  }
  if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
    if (grow(&w->in, &w->in_cap, w->in_len + READ_CHUNK) != 0) return w->broken = 1, -1;
    ssize_t n = recv(w->fd, w->in + w->in_len, w->in_cap - w->in_len, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return w->broken = 1, -1;
    if (n > 0) {
      w->in_len += (size_t)n;
      parse_input(w);
    }
  }
  return w->broken ? -1 : 0;
}

/* With every call written, waits in one blocking read until at least the smallest size of the
 * replies still due has arrived (SO_RCVLOWAT), or the deadline: one wake-up per batch of
 * replies instead of one per reply. */
static int read_batch(A11yWire *w, int64_t deadline) {
  int64_t left = deadline - od_a11y_now_ms();
  if (left <= 0) return -1;
  uint64_t due = (uint64_t)w->outstanding * MIN_REPLY;
  due = due > w->in_len ? due - w->in_len : 1;
  int lowat = due > 65536 ? 65536 : due < 1 ? 1 : (int)due;
  if (lowat != w->lowat && setsockopt(w->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat) == 0) {
    w->lowat = lowat;
  }
  struct timeval tv = {(time_t)(left / 1000), (suseconds_t)(left % 1000) * 1000};
  if (setsockopt(w->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) return pump(w, deadline);
  if (grow(&w->in, &w->in_cap, w->in_len + READ_CHUNK) != 0) return w->broken = 1, -1;
  ssize_t n = recv(w->fd, w->in + w->in_len, w->in_cap - w->in_len, 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    return w->broken = 1, -1;
  }
  if (n > 0) {
    w->in_len += (size_t)n;
    parse_input(w);
  }
  return w->broken ? -1 : 0;
}

DBusMessage *od_a11y_wire_wait(A11yWire *w, uint32_t serial, int64_t deadline, int *timed_out) {
  uint32_t slot = serial - w->base;
  if (serial == 0 || serial < w->base || slot >= w->reply_cap) {
    if (timed_out) *timed_out = 1;
    return NULL;
  }
  while (!w->replies[slot]) {
    if ((w->out_len ? pump(w, deadline) : read_batch(w, deadline)) != 0) {
      /* Calls left unanswered would queue up behind the next walk's: this socket is done, the
       * next walk opens a fresh one. */
      w->broken = 1;
      if (timed_out) *timed_out = 1;
      return NULL;
    }
  }
  DBusMessage *m = w->replies[slot];
  w->replies[slot] = NULL;
  return m == ERROR_REPLY ? NULL : m;
}
