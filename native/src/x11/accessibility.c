/*
 * Accessibility tree over AT-SPI (opendesk.h: od_a11y_open, od_a11y_close,
 * od_a11y_tree). The walk itself is in accessibility_walk.c, actions on element references in
 * accessibility_actions.c.
 *
 * Each handle has its own connection to the accessibility bus (found through org.a11y.Bus on
 * the session bus); libatspi only names roles. The queries are direct, pipelined D-Bus calls
 * with deadlines. Finding the root asks every
 * registered application at once with a short per-call cap, so one hung application does not
 * hide the others.
 */
#define _GNU_SOURCE
#include <atspi/atspi.h>
#include <dbus/dbus.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "opendesk.h"
#include "_a11y.h"

#define PROBE_CAP_MS 300 /* per-call cap while looking for the root */
#define APPS_MAX 256
#define WINDOWS_MAX 64

pthread_mutex_t od_a11y_mu = PTHREAD_MUTEX_INITIALIZER;

/* A private connection to `address`, or to the session bus when it is NULL or empty. */
static DBusConnection *open_bus(const char *address) {
  DBusError err;
  dbus_error_init(&err);
  DBusConnection *c = NULL;
  if (address && *address) {
    c = dbus_connection_open_private(address, &err);
    if (c && !dbus_bus_register(c, &err)) {
      dbus_connection_close(c);
      dbus_connection_unref(c);
      c = NULL;
    }
  } else {
    c = dbus_bus_get_private(DBUS_BUS_SESSION, &err);
  }
  dbus_error_free(&err);
  if (c) dbus_connection_set_exit_on_disconnect(c, FALSE);
  return c;
}

static void close_bus(DBusConnection *c) {
  if (!c) return;
  dbus_connection_close(c);
  dbus_connection_unref(c);
}

int od_session_bus_present(const char *address) {
  if (address && *address) return 1;
  const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
  if (addr && *addr) return 1;
  const char *rt = getenv("XDG_RUNTIME_DIR");
  if (!rt) return 0;
  char path[512];
  snprintf(path, sizeof path, "%s/bus", rt);
  return access(path, F_OK) == 0;
}

OD_API int od_a11y_open(const char *session_bus_address, od_a11y **out) {
  if (!out) return OD_ERR_INVALID_ARGUMENT;
  *out = NULL;
  /* Without a session bus libdbus would autolaunch a private one (an empty tree, stray
   * daemons): refuse instead. */
  if (!od_session_bus_present(session_bus_address)) return OD_ERR_DBUS;
  DBusConnection *session = open_bus(session_bus_address);
  if (!session) return OD_ERR_DBUS;
  /* The accessibility bus address comes from org.a11y.Bus (activated on demand). */
  int64_t deadline = od_a11y_now_ms() + 5000;
  DBusPendingCall *pc = od_a11y_send(session, "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                     "GetAddress", deadline, 0, 0, 0, 0);
  DBusMessage *r = od_a11y_wait(session, pc, deadline, NULL);
  char *address = od_a11y_reply_string(r);
  if (r) dbus_message_unref(r);
  close_bus(session);
  DBusConnection *bus = address && *address ? open_bus(address) : NULL;
  free(address);
  if (!bus) return OD_ERR_A11Y;
  od_a11y *h = calloc(1, sizeof *h);
  if (!h) {
    close_bus(bus);
    return OD_ERR_NO_MEMORY;
  }
  h->bus = bus;
  *out = h;
  return OD_OK;
}

OD_API int od_a11y_close(od_a11y *h) {
  if (!h) return OD_OK;
  pthread_mutex_lock(&od_a11y_mu);
  od_a11y_peers_close(h);
  close_bus(h->bus);
  pthread_mutex_unlock(&od_a11y_mu);
  odj_free(&h->out);
  free(h);
  return OD_OK;
}

typedef struct Ref {
  char *bus, *path;
} Ref;

typedef struct Refs {
  Ref r[APPS_MAX];
  int n;
} Refs;

static void collect(const char *bus, const char *path, void *user) {
  Refs *refs = user;
  if (refs->n >= APPS_MAX) return;
  refs->r[refs->n].bus = strdup(bus);
  refs->r[refs->n].path = strdup(path);
  refs->n++;
}

static void refs_free(Refs *refs) {
  for (int i = 0; i < refs->n; i++) {
    free(refs->r[i].bus);
    free(refs->r[i].path);
  }
  refs->n = 0;
}

/* Probes get at most PROBE_CAP_MS each, so that one hung application cannot use up the whole
 * deadline of a search across applications. */
static int64_t probe_deadline(int64_t deadline) {
  int64_t capped = od_a11y_now_ms() + PROBE_CAP_MS;
  return capped < deadline ? capped : deadline;
}

static int contains_ci(const char *hay, const char *needle) {
  if (!hay || !needle) return 0;
  size_t n = strlen(needle);
  for (const char *p = hay; *p; p++) {
    if (strncasecmp(p, needle, n) == 0) return 1;
  }
  return n == 0;
}

/* Children of (bus, path) into `out`. */
static void children(DBusConnection *c, const Ref *of, int64_t deadline, Refs *out, int *to) {
  int64_t until = probe_deadline(deadline);
  DBusPendingCall *pc = od_a11y_send(c, of->bus, of->path, "org.a11y.atspi.Accessible",
                                     "GetChildren", until, 0, 0, 0, 0);
  DBusMessage *r = od_a11y_wait(c, pc, until, to);
  od_a11y_reply_refs(r, APPS_MAX, collect, out);
  if (r) dbus_message_unref(r);
}

/* Scores each window of `app`: 2 exact title, 1 substring, or (no title) 1 when ACTIVE. */
static int best_window(DBusConnection *c, const Ref *app, const char *title, int64_t deadline,
                       Ref *found, int *to) {
  Refs wins = {0};
  children(c, app, deadline, &wins, to);
  DBusPendingCall *pc[APPS_MAX];
  int64_t until = probe_deadline(deadline);
  for (int i = 0; i < wins.n; i++) {
    pc[i] = title ? od_a11y_send(c, wins.r[i].bus, wins.r[i].path,
                                 "org.freedesktop.DBus.Properties", "Get", until,
                                 "org.a11y.atspi.Accessible", "Name", 0, 0)
                  : od_a11y_send(c, wins.r[i].bus, wins.r[i].path, "org.a11y.atspi.Accessible",
                                 "GetState", until, 0, 0, 0, 0);
  }
  int best = -1, best_score = 0;
  for (int i = 0; i < wins.n; i++) {
    DBusMessage *r = od_a11y_wait(c, pc[i], until, to);
    int score = 0;
    if (title) {
      char *name = od_a11y_reply_string(r);
      score = name && strcmp(name, title) == 0 ? 2 : contains_ci(name, title) ? 1 : 0;
      free(name);
    } else {
      uint32_t st[2];
      od_a11y_reply_states(r, st);
      score = od_a11y_has_state(st, ATSPI_STATE_ACTIVE);
    }
    if (r) dbus_message_unref(r);
    if (score > best_score) best = i, best_score = score;
  }
  if (best >= 0) {
    found->bus = strdup(wins.r[best].bus);
    found->path = strdup(wins.r[best].path);
  }
  refs_free(&wins);
  return best_score;
}

static int find_root(DBusConnection *c, int32_t pid, const char *app, const char *title,
                     int64_t deadline, Ref *root, char **app_name, int *to) {
  Ref desktop = {"org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root"};
  Refs apps = {0};
  children(c, &desktop, deadline, &apps, to);
  DBusPendingCall *pid_pc[APPS_MAX], *name_pc[APPS_MAX];
  int64_t until = probe_deadline(deadline);
  for (int i = 0; i < apps.n; i++) {
    pid_pc[i] = pid > 0 ? od_a11y_send(c, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       until, apps.r[i].bus, 0, 0, 0)
                        : NULL;
    name_pc[i] = od_a11y_send(c, apps.r[i].bus, apps.r[i].path, "org.freedesktop.DBus.Properties",
                              "Get", until, "org.a11y.atspi.Accessible", "Name", 0, 0);
  }
  int chosen[APPS_MAX];
  char *names[APPS_MAX];
  for (int i = 0; i < apps.n; i++) {
    uint32_t got = 0;
    DBusMessage *r = pid_pc[i] ? od_a11y_wait(c, pid_pc[i], until, NULL) : NULL;
    if (r) dbus_message_get_args(r, NULL, DBUS_TYPE_UINT32, &got, DBUS_TYPE_INVALID);
    if (r) dbus_message_unref(r);
    r = od_a11y_wait(c, name_pc[i], until, to);
    names[i] = od_a11y_reply_string(r);
    if (r) dbus_message_unref(r);
    chosen[i] = pid > 0 ? (int32_t)got == pid : app ? contains_ci(names[i], app) : 1;
  }
  int found = 0, best_score = 0;
  for (int i = 0; i < apps.n && od_a11y_now_ms() < deadline; i++) {
    if (!chosen[i]) continue;
    if (!title && (app || pid > 0)) { /* the whole application */
      *root = (Ref){strdup(apps.r[i].bus), strdup(apps.r[i].path)};
      *app_name = strdup(names[i] ? names[i] : "");
      found = 1;
      break;
    }
    Ref win = {0};
    int score = best_window(c, &apps.r[i], title, deadline, &win, to);
    if (score > best_score) {
      free(root->bus), free(root->path), free(*app_name);
      *root = win;
      *app_name = strdup(names[i] ? names[i] : "");
      best_score = score;
      found = 1;
    } else {
      free(win.bus), free(win.path);
    }
    if (best_score == 2) break;
  }
  if (!found && title && (app || pid > 0)) { /* title not found: fall back to the app */
    for (int i = 0; i < apps.n && !found; i++) {
      if (!chosen[i]) continue;
      *root = (Ref){strdup(apps.r[i].bus), strdup(apps.r[i].path)};
      *app_name = strdup(names[i] ? names[i] : "");
      found = 1;
    }
  }
  for (int i = 0; i < apps.n; i++) free(names[i]);
  refs_free(&apps);
  return found;
}

OD_API int od_a11y_tree(od_a11y *h, int32_t pid, const char *app, const char *title,
                        uint32_t max_depth, uint32_t max_nodes, uint32_t deadline_ms,
                        uint32_t flags, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!h || !len || max_nodes == 0 || deadline_ms == 0) return OD_ERR_INVALID_ARGUMENT;
  app = app && *app ? app : NULL;
  title = title && *title ? title : NULL;
  int64_t start = od_a11y_now_ms();
  A11yWalk w = {.deadline = start + deadline_ms, .max_depth = max_depth, .max_nodes = max_nodes};
  pthread_mutex_lock(&od_a11y_mu);
  DBusConnection *c = h->bus;
  Ref root = {0};
  char *app_name = NULL;
  int probe_timeouts = 0;
  int found = c && find_root(c, pid, app, title, w.deadline, &root, &app_name, &probe_timeouts);
  int status = OD_OK;
  h->out.len = 0;
  if (!dbus_connection_get_is_connected(c)) {
    status = OD_ERR_A11Y;
  } else if (!found) {
    status = probe_timeouts || od_a11y_now_ms() >= w.deadline ? OD_ERR_A11Y_TIMEOUT
                                                               : OD_ERR_NOT_FOUND;
  } else {
    odj_lit(&h->out, "{\"app\":");
    odj_str(&h->out, app_name);
    odj_lit(&h->out, ",\"tree\":");
    w.bus = c;
    w.direct = od_a11y_peer(h, c, root.bus, w.deadline);
    w.direct_name = root.bus;
    w.wire = w.direct && !(flags & OD_A11Y_TREE_VIA_LIBDBUS)
                 ? od_a11y_peer_wire(h, root.bus, w.deadline)
                 : NULL;
    od_a11y_walk(root.bus, root.path, &w, &h->out);
    odj_lit(&h->out, ",\"truncated\":");
    odj_str(&h->out, w.cut);
    odj_lit(&h->out, ",\"nodes\":");
    odj_int(&h->out, w.nodes);
    odj_lit(&h->out, ",\"elapsed_ms\":");
    odj_int(&h->out, od_a11y_now_ms() - start);
    odj_lit(&h->out, "}");
  }
  if (c) od_a11y_drain(c);
  pthread_mutex_unlock(&od_a11y_mu);
  free(root.bus);
  free(root.path);
  free(app_name);
  if (status != OD_OK) return status;
  if (h->out.oom) return OD_ERR_NO_MEMORY;
  *len = (uint32_t)h->out.len;
  if (!buf || h->out.len > cap) return OD_ERR_BUFFER_TOO_SMALL;
  memcpy(buf, h->out.data, h->out.len);
  return OD_OK;
}
