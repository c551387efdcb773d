/* The nodes of one accessibility walk (internal to accessibility_walk.c and
 * accessibility_replies.c). */
#ifndef OPENDESK_X11_A11Y_TREE_H
#define OPENDESK_X11_A11Y_TREE_H

#include <dbus/dbus.h>
#include <stdint.h>

#define TEXT_MAX 500 /* bytes of a name or value kept */

typedef struct Node {
  char *bus, *path;
  uint32_t depth;
  int parent, first_child, next_sibling, last_child;
  uint32_t role;
  int has_role;
  char *name, *value;
  uint32_t st[2];
  int ifaces; /* bit 0 Component, 1 Action, 2 Value, 3 Text */
  int has_bounds;
  int32_t bounds[4];
  char *actions; /* JSON array text */
  DBusConnection *conn;
  int wired;     /* calls go over the walk's wire, not `conn` */
  int cut;       /* children were cut by a budget */
  unsigned sent; /* bit k: call k of the current phase was made */
  int32_t child_count; /* -1: unknown (the application did not answer GetAll) */
  DBusPendingCall *pc[6];
  uint32_t serial[6];
} Node;

typedef struct Tree {
  Node *n;
  int count, cap;
  int adding_parent;
  uint32_t max_nodes;
  int full;
} Tree;

/* Interfaces (`as`) into n->ifaces. */
void od_a11y_read_ifaces(DBusMessage *r, Node *n);
/* GetExtents (`(iiii)`) into n->bounds. */
void od_a11y_read_extents(DBusMessage *r, Node *n);
/* GetActions (`a(sss)`) into n->actions as JSON array text. */
void od_a11y_read_actions(DBusMessage *r, Node *n);
/* A value (`v(d)`, `d`, `s` or `v(s)`) as new heap text, or NULL. */
char *od_a11y_read_value(DBusMessage *r);
/* Name and ChildCount of a Properties.GetAll (`a{sv}`) reply; child_count -1 without one. */
void od_a11y_read_properties(DBusMessage *r, Node *n);

#endif
