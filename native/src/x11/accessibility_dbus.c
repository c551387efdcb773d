/*
 * D-Bus helpers of the accessibility files (see _a11y.h): deadline-bound pipelined calls on
 * the accessibility bus, reply decoding, and direct (peer-to-peer) connections to
 * applications, which skip the bus daemon's hop on every call.
 */
#define _GNU_SOURCE
#include <dbus/dbus.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opendesk.h"
#include "_a11y.h"

int64_t od_a11y_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

DBusPendingCall *od_a11y_send(DBusConnection *c, const char *bus, const char *path,
                              const char *iface, const char *method, int64_t deadline,
                              const char *s1, const char *s2, const uint32_t *u1,
                              const int32_t *i2) {
  int64_t left = deadline - od_a11y_now_ms();
  if (left <= 0) return NULL;
  DBusMessage *m = dbus_message_new_method_call(bus, path, iface, method);
  if (!m) return NULL;
  if (s1) dbus_message_append_args(m, DBUS_TYPE_STRING, &s1, DBUS_TYPE_INVALID);
  if (s2) dbus_message_append_args(m, DBUS_TYPE_STRING, &s2, DBUS_TYPE_INVALID);
  if (u1) dbus_message_append_args(m, DBUS_TYPE_UINT32, u1, DBUS_TYPE_INVALID);
  if (i2) dbus_message_append_args(m, DBUS_TYPE_INT32, &i2[0], DBUS_TYPE_INT32, &i2[1], DBUS_TYPE_INVALID);
  DBusPendingCall *pc = NULL;
  if (!dbus_connection_send_with_reply(c, m, &pc, (int)left)) pc = NULL;
  dbus_message_unref(m);
  return pc;
}

DBusMessage *od_a11y_wait(DBusConnection *c, DBusPendingCall *pc, int64_t deadline,
                          int *timed_out) {
  if (!pc) {
    if (timed_out) *timed_out = 1;
    return NULL;
  }
  /* Not dbus_pending_call_block: its timeout restarts when blocking starts, so waiting on
   * several calls in turn would add their timeouts up. Dispatching completes pending calls. */
  while (!dbus_pending_call_get_completed(pc)) {
    int64_t left = deadline - od_a11y_now_ms();
    if (left <= 0 || !dbus_connection_read_write_dispatch(c, (int)(left < 50 ? left : 50))) break;
  }
  DBusMessage *r = dbus_pending_call_get_completed(pc) ? dbus_pending_call_steal_reply(pc) : NULL;
  if (!r) dbus_pending_call_cancel(pc);
  dbus_pending_call_unref(pc);
  if (r && dbus_message_get_type(r) == DBUS_MESSAGE_TYPE_ERROR) {
    if (timed_out && strcmp(dbus_message_get_error_name(r), DBUS_ERROR_NO_REPLY) == 0) {
      *timed_out = 1;
    }
    dbus_message_unref(r);
    return NULL;
  }
  if (!r && timed_out) *timed_out = 1;
  return r;
}

void od_a11y_drain(DBusConnection *c) {
  for (int i = 0; i < 4096 && dbus_connection_dispatch(c) == DBUS_DISPATCH_DATA_REMAINS; i++) {
  }
}

/* Reads a string out of a `s` or `v(s)` reply into a new heap string. */
char *od_a11y_reply_string(DBusMessage *r) {
  DBusMessageIter it, v;
  if (!r || !dbus_message_iter_init(r, &it)) return NULL;
  if (dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_VARIANT) {
    dbus_message_iter_recurse(&it, &v);
    it = v;
  }
  if (dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_STRING) return NULL;
  const char *s;
  dbus_message_iter_get_basic(&it, &s);
  return strdup(s);
}

/* Reads the two state words of a GetState (`au`) reply. */
void od_a11y_reply_states(DBusMessage *r, uint32_t st[2]) {
  DBusMessageIter it, a;
  st[0] = st[1] = 0;
  if (!r || !dbus_message_iter_init(r, &it) || dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY) {
    return;
  }
  dbus_message_iter_recurse(&it, &a);
  for (int i = 0; i < 2 && dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_UINT32; i++) {
    dbus_message_iter_get_basic(&a, &st[i]);
    dbus_message_iter_next(&a);
  }
}

int od_a11y_has_state(const uint32_t st[2], int state) {
  return (st[state / 32] >> (state % 32)) & 1u;
}

/* Calls `fn(bus, path, user)` for each (so) of an a(so) reply, at most `max` times. */
int od_a11y_reply_refs(DBusMessage *r, int max, void (*fn)(const char *, const char *, void *),
                       void *user) {
  DBusMessageIter it, a, st;
  int n = 0;
  if (!r || !dbus_message_iter_init(r, &it) || dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY) {
    return 0;
  }
  dbus_message_iter_recurse(&it, &a);
  while (n < max && dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_STRUCT) {
    const char *bus = NULL, *path = NULL;
    dbus_message_iter_recurse(&a, &st);
    if (dbus_message_iter_get_arg_type(&st) == DBUS_TYPE_STRING) {
      dbus_message_iter_get_basic(&st, &bus);
      dbus_message_iter_next(&st);
      if (dbus_message_iter_get_arg_type(&st) == DBUS_TYPE_OBJECT_PATH) {
        dbus_message_iter_get_basic(&st, &path);
      }
    }
    if (bus && path && strcmp(path, "/org/a11y/atspi/null") != 0) {
      fn(bus, path, user);
      n++;
    }
    dbus_message_iter_next(&a);
  }
  return n;
}

DBusConnection *od_a11y_peer(od_a11y *h, DBusConnection *bus, const char *bus_name,
                             int64_t deadline) {
  for (int i = 0; i < h->peer_count; i++) {
    A11yPeer *p = &h->peers[i];
    if (strcmp(p->bus_name, bus_name) != 0) continue;
    if (!p->conn || dbus_connection_get_is_connected(p->conn)) return p->conn;
    dbus_connection_close(p->conn); /* the application went away: ask again */
    dbus_connection_unref(p->conn);
    od_a11y_wire_close(p->wire);
    free(p->bus_name);
    free(p->address);
    *p = h->peers[--h->peer_count];
    break;
  }
  if (h->peer_count == OD_A11Y_P2P_MAX) od_a11y_peers_close(h);
  int64_t until = od_a11y_now_ms() + 300;
  if (until > deadline) until = deadline;
  DBusPendingCall *pc = od_a11y_send(bus, bus_name, "/org/a11y/atspi/accessible/root",
                                     "org.a11y.atspi.Application", "GetApplicationBusAddress",
                                     until, 0, 0, 0, 0);
  DBusMessage *r = od_a11y_wait(bus, pc, until, NULL);
  char *addr = od_a11y_reply_string(r);
  if (r) dbus_message_unref(r);
  DBusConnection *conn = NULL;
  if (addr && *addr) {
    DBusError err;
    dbus_error_init(&err);
    conn = dbus_connection_open_private(addr, &err);
    dbus_error_free(&err);
    if (conn) dbus_connection_set_exit_on_disconnect(conn, FALSE);
  }
  h->peers[h->peer_count++] = (A11yPeer){strdup(bus_name), conn, conn ? addr : NULL, NULL, 0};
  if (!conn) free(addr);
  return conn;
}

A11yWire *od_a11y_peer_wire(od_a11y *h, const char *bus_name, int64_t deadline) {
  for (int i = 0; i < h->peer_count; i++) {
    A11yPeer *p = &h->peers[i];
    if (strcmp(p->bus_name, bus_name) != 0) continue;
    if (p->wire && od_a11y_wire_broken(p->wire)) {
      od_a11y_wire_close(p->wire);
      p->wire = NULL;
    }
    if (!p->wire && !p->wire_refused && p->address) {
      int64_t until = od_a11y_now_ms() + 300;
      p->wire = od_a11y_wire_open(p->address, until < deadline ? until : deadline,
                                  &p->wire_refused);
    }
    return p->wire;
  }
  return NULL;
}

void od_a11y_peers_close(od_a11y *h) {
  for (int i = 0; i < h->peer_count; i++) {
    if (h->peers[i].conn) {
      dbus_connection_close(h->peers[i].conn);
      dbus_connection_unref(h->peers[i].conn);
    }
    od_a11y_wire_close(h->peers[i].wire);
    free(h->peers[i].bus_name);
    free(h->peers[i].address);
  }
  h->peer_count = 0;
}
