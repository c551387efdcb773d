/*
 * Budgeted, pipelined walk of an AT-SPI tree (internal to accessibility.c).
 *
 * libatspi makes one blocking D-Bus round trip per property, which costs about 0.3 ms per node.
 * This walk talks to the application directly instead, one tree level at a time: it sends the
 * role, properties (name and child count in one GetAll), state and interface requests of every
 * node of the level at once, then the children, bounds, actions and value requests those
 * answers call for, and only then waits for the replies. The calls go over the shim's own
 * socket to the application (accessibility_wire.c) when it has one, else through libdbus with
 * the time left before the deadline as each call's timeout; either way a hung application
 * costs at most the deadline. Replies are read in accessibility_replies.c.
 */
#define _GNU_SOURCE
#include <atspi/atspi.h>
#include <dbus/dbus.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opendesk.h"
#include "_a11y.h"
#include "_atspi_roles.h"
#include "_a11y_tree.h"

#define CHILDREN_MAX 1000 /* children walked per node */

static const char *const ACC = "org.a11y.atspi.Accessible";
static const char *const PROPS = "org.freedesktop.DBus.Properties";

static void add_child(const char *bus, const char *path, void *user) {
  Tree *t = user;
  if ((uint32_t)t->count >= t->max_nodes) {
    t->full = 1;
    return;
  }
  if (t->count == t->cap) {
    int cap = t->cap ? t->cap * 2 : 256;
    Node *n = realloc(t->n, sizeof(Node) * (size_t)cap);
    if (!n) {
      t->full = 1;
      return;
    }
    t->n = n;
    t->cap = cap;
  }
  Node *c = &t->n[t->count];
  memset(c, 0, sizeof *c);
  c->bus = strdup(bus);
  c->path = strdup(path);
  c->parent = t->adding_parent;
  c->first_child = c->next_sibling = c->last_child = -1;
  if (c->parent >= 0) {
    Node *p = &t->n[c->parent];
    c->depth = p->depth + 1;
    if (p->last_child >= 0) {
      t->n[p->last_child].next_sibling = t->count;
    } else {
      p->first_child = t->count;
    }
    p->last_child = t->count;
  }
  t->count++;
}

/* Makes call `k` of node `n` (over the wire when the node's application has one). */
static void call(Node *n, int k, A11yWalk *w, const char *iface, const char *method,
                 const char *s1, const char *s2, const uint32_t *u1, const int32_t *i2) {
  n->sent |= 1u << k;
  if (n->wired) {
    n->serial[k] = od_a11y_wire_send(w->wire, n->path, iface, method, s1, s2, u1, i2);
  } else {
    n->pc[k] = od_a11y_send(n->conn, n->bus, n->path, iface, method, w->deadline, s1, s2, u1, i2);
  }
}

/* The reply to call `k` of node `n` (NULL when it was not made, failed or timed out). */
static DBusMessage *reply(Node *n, int k, A11yWalk *w) {
  if (!(n->sent & (1u << k))) return NULL;
  n->sent &= ~(1u << k);
  if (n->wired) return od_a11y_wire_wait(w->wire, n->serial[k], w->deadline, &w->timed_out);
  DBusPendingCall *pc = n->pc[k];
  n->pc[k] = NULL;
  return od_a11y_wait(n->conn, pc, w->deadline, &w->timed_out);
}

/* Phase 1 of a level: role, name, state, interfaces, children. */
static void level_phase1(Tree *t, int from, int to, A11yWalk *w) {
  for (int i = from; i < to; i++) {
    Node *n = &t->n[i];
    int direct = w->direct && strcmp(n->bus, w->direct_name) == 0;
    n->conn = direct ? w->direct : w->bus;
    n->wired = direct && w->wire;
    call(n, 0, w, ACC, "GetRole", 0, 0, 0, 0);
    /* Name and ChildCount in one call: leaves then need no GetChildren. */
    call(n, 1, w, PROPS, "GetAll", ACC, 0, 0, 0);
    call(n, 2, w, ACC, "GetState", 0, 0, 0, 0);
    call(n, 3, w, ACC, "GetInterfaces", 0, 0, 0, 0);
  }
  for (int i = from; i < to; i++) {
    Node *n = &t->n[i];
    DBusMessage *r = reply(n, 0, w);
    n->has_role = r && dbus_message_get_args(r, NULL, DBUS_TYPE_UINT32, &n->role, DBUS_TYPE_INVALID);
    if (r) dbus_message_unref(r);
    r = reply(n, 1, w);
    od_a11y_read_properties(r, n);
    if (r) dbus_message_unref(r);
    r = reply(n, 2, w);
    od_a11y_reply_states(r, n->st);
    if (r) dbus_message_unref(r);
    r = reply(n, 3, w);
    od_a11y_read_ifaces(r, n);
    if (r) dbus_message_unref(r);
    if (n->depth >= w->max_depth && n->child_count > 0) {
      n->cut = 1, w->cut = w->cut ? w->cut : "depth";
    }
  }
}

/* Children of node i from a GetChildren reply, or (at the depth limit) whether it has any from
 * a ChildCount reply. */
static void read_children(Tree *t, int i, DBusMessage *r, A11yWalk *w) {
  Node *n = &t->n[i];
  if (n->depth < w->max_depth) {
    t->adding_parent = i;
    t->full = 0;
    od_a11y_reply_refs(r, CHILDREN_MAX, add_child, t);
    if (t->full) t->n[i].cut = 1, w->cut = w->cut ? w->cut : "nodes";
    return;
  }
  DBusMessageIter it, v;
  int32_t count = 0;
  if (r && dbus_message_iter_init(r, &it) && dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_VARIANT) {
    dbus_message_iter_recurse(&it, &v);
    if (dbus_message_iter_get_arg_type(&v) == DBUS_TYPE_INT32) dbus_message_iter_get_basic(&v, &count);
  }
  if (count > 0) n->cut = 1, w->cut = w->cut ? w->cut : "depth";
}

/* Phase 2 of a level: bounds, actions, value. */
static void level_phase2(Tree *t, int from, int to, A11yWalk *w) {
  static const uint32_t screen = 0;
  for (int i = from; i < to; i++) {
    Node *n = &t->n[i];
    int showing = od_a11y_has_state(n->st, ATSPI_STATE_SHOWING);
    int editable = od_a11y_has_state(n->st, ATSPI_STATE_EDITABLE);
    if ((n->ifaces & 1) && showing) {
      call(n, 0, w, "org.a11y.atspi.Component", "GetExtents", 0, 0, &screen, 0);
    }
    if (n->ifaces & 2) call(n, 1, w, "org.a11y.atspi.Action", "GetActions", 0, 0, 0, 0);
    if (n->ifaces & 4) {
      call(n, 2, w, PROPS, "Get", "org.a11y.atspi.Value", "CurrentValue", 0, 0);
    } else if ((n->ifaces & 8) && editable) {
      static const int32_t range[2] = {0, TEXT_MAX};
      call(n, 3, w, "org.a11y.atspi.Text", "GetText", 0, 0, 0, range);
    }
    if (n->child_count < 0) { /* no GetAll: ask as one call each */
      call(n, 5, w, PROPS, "Get", ACC, "Name", 0, 0);
      if (n->depth >= w->max_depth) call(n, 4, w, PROPS, "Get", ACC, "ChildCount", 0, 0);
    }
    if (n->depth < w->max_depth && n->child_count != 0) {
      call(n, 4, w, ACC, "GetChildren", 0, 0, 0, 0);
    }
  }
  for (int i = from; i < to; i++) {
    for (int k = 0; k < 6; k++) {
      Node *n = &t->n[i]; /* again after each reply: adding children may move the nodes */
      if (!(n->sent & (1u << k))) continue;
      DBusMessage *r = reply(n, k, w);
      if (k == 0) od_a11y_read_extents(r, n);
      if (k == 1) od_a11y_read_actions(r, n);
      if (k == 2 || k == 3) n->value = od_a11y_read_value(r);
      if (k == 4) read_children(t, i, r, w);
      if (k == 5) n->name = od_a11y_reply_string(r);
      if (r) dbus_message_unref(r);
    }
  }
}

static void put_text(OdjBuf *b, const char *s) {
  if (!s) {
    odj_lit(b, "null");
    return;
  }
  size_t n = strlen(s);
  if (n > TEXT_MAX) {
    n = TEXT_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  }
  odj_strn(b, s, n);
}

static const char TRUNCATED_NODE[] =
    "{\"role\":\"\xe2\x80\xa6\",\"name\":\"(truncated)\",\"value\":null,\"bounds\":null,"
    "\"focused\":false,\"enabled\":true,\"editable\":false,\"showing\":true,\"actions\":[],"
    "\"ref\":null,"
    "\"children\":[]}";

static void write_node(Tree *t, int i, OdjBuf *b) {
  Node *n = &t->n[i];
  const char *role = n->has_role ? od_atspi_role_name(n->role) : NULL;
  odj_lit(b, "{\"role\":");
  put_text(b, role ? role : "unknown");
  odj_lit(b, ",\"name\":");
  put_text(b, n->name ? n->name : "");
  odj_lit(b, ",\"value\":");
  put_text(b, n->value);
  odj_lit(b, ",\"bounds\":");
  if (n->has_bounds) {
    odj_lit(b, "[");
    for (int k = 0; k < 4; k++) {
      if (k) odj_lit(b, ",");
      odj_int(b, n->bounds[k]);
    }
    odj_lit(b, "]");
  } else {
    odj_lit(b, "null");
  }
  odj_lit(b, ",\"focused\":");
  odj_bool(b, od_a11y_has_state(n->st, ATSPI_STATE_FOCUSED));
  odj_lit(b, ",\"enabled\":");
  odj_bool(b, !n->has_role || od_a11y_has_state(n->st, ATSPI_STATE_ENABLED) ||
                  od_a11y_has_state(n->st, ATSPI_STATE_SENSITIVE));
  odj_lit(b, ",\"editable\":");
  odj_bool(b, od_a11y_has_state(n->st, ATSPI_STATE_EDITABLE));
  odj_lit(b, ",\"showing\":");
  odj_bool(b, !n->has_role || (od_a11y_has_state(n->st, ATSPI_STATE_SHOWING) &&
                               od_a11y_has_state(n->st, ATSPI_STATE_VISIBLE)));
  odj_lit(b, ",\"actions\":");
  odj_lit(b, n->actions ? n->actions : "[]");
  odj_lit(b, ",\"ref\":\"");
  odj_lit(b, n->bus);
  odj_lit(b, "|");
  odj_lit(b, n->path);
  odj_lit(b, "\",\"children\":[");
  int first = 1;
  for (int c = n->first_child; c >= 0; c = t->n[c].next_sibling) {
    if (!first) odj_lit(b, ",");
    first = 0;
    write_node(t, c, b);
  }
  if (n->cut) {
    if (!first) odj_lit(b, ",");
    odj_lit(b, TRUNCATED_NODE);
  }
  odj_lit(b, "]}");
}

void od_a11y_walk(const char *bus, const char *path, A11yWalk *w, OdjBuf *out) {
  Tree t = {0};
  t.max_nodes = w->max_nodes;
  t.adding_parent = -1;
  if (w->wire) od_a11y_wire_begin(w->wire);
  add_child(bus, path, &t);
  int from = 0;
  while (from < t.count) {
    int to = t.count;
    if (od_a11y_now_ms() >= w->deadline) {
      for (int i = from; i < to; i++) t.n[t.n[i].parent >= 0 ? t.n[i].parent : i].cut = 1;
      w->cut = "deadline";
      /* nodes of this level stay in the tree without their details */
      break;
    }
    level_phase1(&t, from, to, w);
    level_phase2(&t, from, to, w);
    from = to;
  }
  if (w->timed_out) w->cut = "deadline";
  /* Nodes never visited (deadline) are dropped: detach them from their parents. */
  for (int i = from; i < t.count; i++) {
    Node *p = t.n[i].parent >= 0 ? &t.n[t.n[i].parent] : NULL;
    if (p && p->first_child >= from) p->first_child = -1;
    if (p && p->first_child >= 0) {
      for (int k = p->first_child; k >= 0; k = t.n[k].next_sibling) {
        if (t.n[k].next_sibling >= from) t.n[k].next_sibling = -1;
      }
    }
  }
  w->nodes = (uint32_t)(from < t.count ? from : t.count);
  write_node(&t, 0, out);
  for (int i = 0; i < t.count; i++) {
    free(t.n[i].bus);
    free(t.n[i].path);
    free(t.n[i].name);
    free(t.n[i].value);
    free(t.n[i].actions);
  }
  free(t.n);
}
