/*
 * Desktop notifications seen on the session bus (opendesk.h: od_notifications_*).
 *
 * A private session-bus connection becomes a monitor (org.freedesktop.DBus.Monitoring) for
 * org.freedesktop.Notifications.Notify calls and for method returns; a reader thread records
 * each call (app, summary, body) in a bounded ring and fills in the id the notification server
 * answers with. The oldest record is dropped when the ring is full.
 */
#define _GNU_SOURCE
#include <dbus/dbus.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opendesk.h"
#include "_json_writer.h"

typedef struct Note {
  char *app, *title, *body, *sender;
  uint32_t serial, id;
  double timestamp;
} Note;

struct od_notifications {
  DBusConnection *conn;
  pthread_t thread;
  pthread_mutex_t mu;
  int stop;
  Note *ring;
  uint32_t cap, head, count;
  OdjBuf out;
};

static void note_free(Note *n) {
  free(n->app);
  free(n->title);
  free(n->body);
  free(n->sender);
  memset(n, 0, sizeof *n);
}

static void record_notify(od_notifications *h, DBusMessage *m) {
  const char *app = "", *icon = "", *summary = "", *body = "";
  uint32_t replaces = 0;
  if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &app, DBUS_TYPE_UINT32, &replaces,
                             DBUS_TYPE_STRING, &icon, DBUS_TYPE_STRING, &summary,
                             DBUS_TYPE_STRING, &body, DBUS_TYPE_INVALID)) {
    return;
  }
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  Note n = {strdup(app), strdup(summary), strdup(body),
            strdup(dbus_message_get_sender(m) ? dbus_message_get_sender(m) : ""),
            dbus_message_get_serial(m), replaces,
            (double)ts.tv_sec + (double)ts.tv_nsec / 1e9};
  pthread_mutex_lock(&h->mu);
  if (h->count == h->cap) {
    note_free(&h->ring[h->head]);
    h->head = (h->head + 1) % h->cap;
    h->count--;
  }
  h->ring[(h->head + h->count) % h->cap] = n;
  h->count++;
  pthread_mutex_unlock(&h->mu);
}

static void record_return(od_notifications *h, DBusMessage *m) {
  uint32_t id = 0;
  const char *dest = dbus_message_get_destination(m);
  if (!dest || !dbus_message_get_args(m, NULL, DBUS_TYPE_UINT32, &id, DBUS_TYPE_INVALID)) return;
  uint32_t serial = dbus_message_get_reply_serial(m);
  pthread_mutex_lock(&h->mu);
  for (uint32_t i = 0; i < h->count; i++) {
    Note *n = &h->ring[(h->head + i) % h->cap];
    if (n->serial == serial && n->sender && strcmp(n->sender, dest) == 0) {
      n->id = id;
      n->serial = 0;
    }
  }
  pthread_mutex_unlock(&h->mu);
}

static void *reader_main(void *arg) {
  od_notifications *h = arg;
  for (;;) {
    pthread_mutex_lock(&h->mu);
    int stop = h->stop;
    pthread_mutex_unlock(&h->mu);
    if (stop || !dbus_connection_read_write(h->conn, 100)) break;
    DBusMessage *m;
    while ((m = dbus_connection_pop_message(h->conn))) {
      if (dbus_message_is_method_call(m, "org.freedesktop.Notifications", "Notify")) {
        record_notify(h, m);
      } else if (dbus_message_get_type(m) == DBUS_MESSAGE_TYPE_METHOD_RETURN) {
        record_return(h, m);
      }
      dbus_message_unref(m);
    }
  }
  return NULL;
}

static int become_monitor(DBusConnection *conn) {
  const char *rules[] = {
      "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
      "type='method_return'",
  };
  const char **rp = rules;
  uint32_t flags = 0;
  DBusMessage *m = dbus_message_new_method_call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                "org.freedesktop.DBus.Monitoring",
                                                "BecomeMonitor");
  if (!m) return OD_ERR_NO_MEMORY;
  dbus_message_append_args(m, DBUS_TYPE_ARRAY, DBUS_TYPE_STRING, &rp, 2, DBUS_TYPE_UINT32, &flags,
                           DBUS_TYPE_INVALID);
  DBusError err;
  dbus_error_init(&err);
  DBusMessage *r = dbus_connection_send_with_reply_and_block(conn, m, 2000, &err);
  dbus_message_unref(m);
  dbus_error_free(&err);
  if (!r) return OD_ERR_DBUS;
  dbus_message_unref(r);
  return OD_OK;
}

int od_session_bus_present(const char *address); /* accessibility.c */

OD_API int od_notifications_open(const char *session_bus_address, uint32_t capacity,
                                 od_notifications **out) {
  if (!out || capacity == 0 || capacity > 65536) return OD_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if (!od_session_bus_present(session_bus_address)) return OD_ERR_DBUS; /* no autolaunch */
  od_notifications *h = calloc(1, sizeof *h);
  if (!h || !(h->ring = calloc(capacity, sizeof(Note)))) {
    free(h);
    return OD_ERR_NO_MEMORY;
  }
  h->cap = capacity;
  DBusError err;
  dbus_error_init(&err);
  if (session_bus_address && *session_bus_address) {
    h->conn = dbus_connection_open_private(session_bus_address, &err);
    if (h->conn && !dbus_bus_register(h->conn, &err)) {
      dbus_connection_close(h->conn);
      dbus_connection_unref(h->conn);
      h->conn = NULL;
    }
  } else {
    h->conn = dbus_bus_get_private(DBUS_BUS_SESSION, &err);
  }
  dbus_error_free(&err);
  int status = h->conn ? become_monitor(h->conn) : OD_ERR_DBUS;
  if (h->conn) dbus_connection_set_exit_on_disconnect(h->conn, FALSE);
  pthread_mutex_init(&h->mu, NULL);
  if (status == OD_OK && pthread_create(&h->thread, NULL, reader_main, h) != 0) {
    status = OD_ERR_SYSTEM;
  }
  if (status != OD_OK) {
    if (h->conn) {
      dbus_connection_close(h->conn);
      dbus_connection_unref(h->conn);
    }
    pthread_mutex_destroy(&h->mu);
    free(h->ring);
    free(h);
    return status;
  }
  *out = h;
  return OD_OK;
}

OD_API int od_notifications_list(od_notifications *h, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!h || !len) return OD_ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&h->mu);
  OdjBuf *b = &h->out;
  b->len = 0;
  odj_lit(b, "[");
  for (uint32_t i = 0; i < h->count; i++) {
    Note *n = &h->ring[(h->head + i) % h->cap];
    if (i) odj_lit(b, ",");
    odj_lit(b, "{\"id\":");
    odj_int(b, n->id);
    odj_lit(b, ",\"sender\":");
    odj_str(b, n->sender);
    odj_lit(b, ",\"serial\":");
    odj_int(b, n->serial);
    odj_lit(b, ",\"app\":");
    odj_str(b, n->app);
    odj_lit(b, ",\"title\":");
    odj_str(b, n->title);
    odj_lit(b, ",\"body\":");
    odj_str(b, n->body);
    char ts[40];
    snprintf(ts, sizeof ts, ",\"timestamp\":%.6f}", n->timestamp);
    odj_lit(b, ts);
  }
  odj_lit(b, "]");
  int status = b->oom ? OD_ERR_NO_MEMORY : OD_OK;
  *len = (uint32_t)b->len;
  if (status == OD_OK && (!buf || b->len > cap)) status = OD_ERR_BUFFER_TOO_SMALL;
  if (status == OD_OK) memcpy(buf, b->data, b->len);
  pthread_mutex_unlock(&h->mu);
  return status;
}

OD_API int od_notifications_close(od_notifications *h) {
  if (!h) return OD_OK;
  pthread_mutex_lock(&h->mu);
  h->stop = 1;
  pthread_mutex_unlock(&h->mu);
  pthread_join(h->thread, NULL);
  dbus_connection_close(h->conn);
  dbus_connection_unref(h->conn);
  for (uint32_t i = 0; i < h->cap; i++) note_free(&h->ring[i]);
  free(h->ring);
  odj_free(&h->out);
  pthread_mutex_destroy(&h->mu);
  free(h);
  return OD_OK;
}
