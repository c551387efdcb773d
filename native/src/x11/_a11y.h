/* Internal declarations shared by the accessibility files (not part of the ABI). */
#ifndef OPENDESK_X11_A11Y_H
#define OPENDESK_X11_A11Y_H

#include <dbus/dbus.h>
#include <pthread.h>
#include <stdint.h>

#include "_json_writer.h"

/* Serialises every libatspi call and every use of its D-Bus connection in the process. */
extern pthread_mutex_t od_a11y_mu;

#define OD_A11Y_P2P_MAX 32

/* A direct socket to an application spoken without libdbus (accessibility_wire.c). */
typedef struct A11yWire A11yWire;

/* A direct (peer-to-peer) connection to one application, bypassing the bus daemon. */
typedef struct A11yPeer {
  char *bus_name;
  DBusConnection *conn; /* NULL: the application offers none, use the bus */
  char *address;        /* the application's direct address, or NULL */
  A11yWire *wire;       /* opened on first walk; NULL when it cannot be */
  int wire_refused;     /* the application cannot be spoken to that way: use `conn` */
} A11yPeer;

struct od_a11y {
  DBusConnection *bus; /* private connection to the accessibility bus */
  OdjBuf out;
  A11yPeer peers[OD_A11Y_P2P_MAX];
  int peer_count;
};

/* Budgets and outcome of one walk. */
typedef struct A11yWalk {
  int64_t deadline; /* od_a11y_now_ms() time */
  DBusConnection *bus;    /* the accessibility bus */
  DBusConnection *direct; /* peer connection to the root's application, or NULL */
  A11yWire *wire;         /* the same application over a socket of our own, or NULL */
  const char *direct_name; /* bus name that `direct` reaches */
  uint32_t max_depth, max_nodes;
  uint32_t nodes;   /* out: nodes written */
  const char *cut;  /* out: "depth", "nodes", "deadline" or NULL */
  int timed_out;    /* out: a call hit its timeout */
} A11yWalk;

int64_t od_a11y_now_ms(void);
/* Sends a method call with the time left before `deadline` as its timeout; NULL once the
 * deadline has passed. Optional arguments, in this order: strings s1, s2, a uint32, two
 * int32. */
DBusPendingCall *od_a11y_send(DBusConnection *c, const char *bus, const char *path,
                              const char *iface, const char *method, int64_t deadline,
                              const char *s1, const char *s2, const uint32_t *u1,
                              const int32_t *i2);
/* Waits for the reply until `deadline` (then cancels the call); NULL for error replies and
 * timeouts (*timed_out is set for NoReply, a missed deadline or a call never sent). */
DBusMessage *od_a11y_wait(DBusConnection *c, DBusPendingCall *pc, int64_t deadline,
                          int *timed_out);
/* 1 when `address` is given or a session bus is configured in the environment. */
int od_session_bus_present(const char *address);
/* Hands queued signals to libatspi's handlers so they do not pile up between calls. */
void od_a11y_drain(DBusConnection *c);
char *od_a11y_reply_string(DBusMessage *r);
void od_a11y_reply_states(DBusMessage *r, uint32_t st[2]);
int od_a11y_has_state(const uint32_t st[2], int state);
int od_a11y_reply_refs(DBusMessage *r, int max, void (*fn)(const char *, const char *, void *),
                       void *user);
/* Walks the tree under (bus, path) within the budgets of `w`, writing one JSON node. */
void od_a11y_walk(const char *bus, const char *path, A11yWalk *w, OdjBuf *out);
/* The peer connection to application `bus_name` (opened on first use), or NULL. */
DBusConnection *od_a11y_peer(od_a11y *h, DBusConnection *bus, const char *bus_name,
                             int64_t deadline);
void od_a11y_peers_close(od_a11y *h);
/* The wire to the peer `bus_name` (after od_a11y_peer), or NULL: the walk then uses libdbus. */
A11yWire *od_a11y_peer_wire(od_a11y *h, const char *bus_name, int64_t deadline);

/* Connects and authenticates (EXTERNAL) to a unix-socket `address`; NULL when it cannot, with
 * *refused set when it never will (another kind of address, authentication refused) rather
 * than the application being slow to answer. */
A11yWire *od_a11y_wire_open(const char *address, int64_t deadline, int *refused);
void od_a11y_wire_close(A11yWire *w);
/* 1 once the socket failed or the stream cannot be read: close and open again. */
int od_a11y_wire_broken(const A11yWire *w);
/* Starts a walk: replies to earlier walks' calls are dropped from now on. */
void od_a11y_wire_begin(A11yWire *w);
/* Queues a method call (arguments as od_a11y_send); its serial, or 0 when it cannot. Queued
 * calls are written by the next od_a11y_wire_wait. */
uint32_t od_a11y_wire_send(A11yWire *w, const char *path, const char *iface, const char *method,
                           const char *s1, const char *s2, const uint32_t *u1,
                           const int32_t *i2);
/* The reply to call `serial` (the caller unrefs it); NULL for error replies, and for a missed
 * deadline or a failed socket (then *timed_out is set). */
DBusMessage *od_a11y_wire_wait(A11yWire *w, uint32_t serial, int64_t deadline, int *timed_out);

#endif
