/*
 * Readers of the replies of an accessibility walk (see _a11y_tree.h): each takes one D-Bus reply
 * (NULL for a failed or missing call, which leaves the node's defaults) into a node.
 */
#define _GNU_SOURCE
#include <dbus/dbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opendesk.h"
#include "_a11y.h"
#include "_a11y_tree.h"

void od_a11y_read_ifaces(DBusMessage *r, Node *n) {
  DBusMessageIter it, a;
  if (!r || !dbus_message_iter_init(r, &it) || dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY) {
    return;
  }
  dbus_message_iter_recurse(&it, &a);
  while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_STRING) {
    const char *s;
    dbus_message_iter_get_basic(&a, &s);
    n->ifaces |= strcmp(s, "org.a11y.atspi.Component") == 0       ? 1
                 : strcmp(s, "org.a11y.atspi.Action") == 0        ? 2
                 : strcmp(s, "org.a11y.atspi.Value") == 0         ? 4
                 : strcmp(s, "org.a11y.atspi.Text") == 0          ? 8
                                                                  : 0;
    dbus_message_iter_next(&a);
  }
}

void od_a11y_read_extents(DBusMessage *r, Node *n) {
  DBusMessageIter it, st;
  if (!r || !dbus_message_iter_init(r, &it) || dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_STRUCT) {
    return;
  }
  dbus_message_iter_recurse(&it, &st);
  for (int i = 0; i < 4 && dbus_message_iter_get_arg_type(&st) == DBUS_TYPE_INT32; i++) {
    dbus_message_iter_get_basic(&st, &n->bounds[i]);
    dbus_message_iter_next(&st);
  }
  n->has_bounds = n->bounds[2] > 0 && n->bounds[3] > 0;
}

void od_a11y_read_actions(DBusMessage *r, Node *n) {
  DBusMessageIter it, a, st;
  OdjBuf b = {0};
  odj_lit(&b, "[");
  if (r && dbus_message_iter_init(r, &it) && dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_ARRAY) {
    dbus_message_iter_recurse(&it, &a);
    for (int i = 0; i < 16 && dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_STRUCT; i++) {
      dbus_message_iter_recurse(&a, &st);
      const char *s = "";
      if (dbus_message_iter_get_arg_type(&st) == DBUS_TYPE_STRING) dbus_message_iter_get_basic(&st, &s);
      if (i) odj_lit(&b, ",");
      odj_str(&b, s);
      dbus_message_iter_next(&a);
    }
  }
  odj_raw(&b, "]", 2); /* with the terminating NUL */
  n->actions = b.oom ? NULL : b.data;
  if (b.oom) odj_free(&b);
}

char *od_a11y_read_value(DBusMessage *r) {
  DBusMessageIter it, v;
  if (!r || !dbus_message_iter_init(r, &it)) return NULL;
  if (dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_VARIANT) {
    dbus_message_iter_recurse(&it, &v);
    it = v;
  }
  if (dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_DOUBLE) {
    double d;
    dbus_message_iter_get_basic(&it, &d);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%g", d);
    return strdup(tmp);
  }
  return od_a11y_reply_string(r);
}

/* Name and ChildCount of a Properties.GetAll (a{sv}) reply; child_count -1 without one. */
void od_a11y_read_properties(DBusMessage *r, Node *n) {
  DBusMessageIter it, a, e, v;
  n->child_count = -1;
  if (!r || !dbus_message_iter_init(r, &it) || dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY) {
    return;
  }
  int32_t count = 0;
  dbus_message_iter_recurse(&it, &a);
  while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_DICT_ENTRY) {
    const char *key = "";
    dbus_message_iter_recurse(&a, &e);
    if (dbus_message_iter_get_arg_type(&e) == DBUS_TYPE_STRING) dbus_message_iter_get_basic(&e, &key);
    dbus_message_iter_next(&e);
    if (dbus_message_iter_get_arg_type(&e) == DBUS_TYPE_VARIANT) {
      dbus_message_iter_recurse(&e, &v);
      if (strcmp(key, "Name") == 0 && dbus_message_iter_get_arg_type(&v) == DBUS_TYPE_STRING) {
        const char *name;
        dbus_message_iter_get_basic(&v, &name);
        free(n->name);
        n->name = strdup(name);
      } else if (strcmp(key, "ChildCount") == 0 &&
                 dbus_message_iter_get_arg_type(&v) == DBUS_TYPE_INT32) {
        dbus_message_iter_get_basic(&v, &count);
      }
    }
    dbus_message_iter_next(&a);
  }
  n->child_count = count;
}
