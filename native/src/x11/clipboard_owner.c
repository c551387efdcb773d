/*
 * CLIPBOARD selection owner thread (see _clipboard_owner.h).
 *
 * Threading: the owner thread alone touches its XCB connection. Callers hand a new entry set
 * over through `pending` under `mu` and wake the thread through a pipe; the thread claims the
 * selection and signals `cv`. Entry sets are reference-counted so that an INCR transfer in
 * progress keeps its data when the clipboard is rewritten or lost meanwhile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xcb/xcb.h>

#include "opendesk.h"
#include "_clipboard_owner.h"
#include "_clipboard_set.h"

#define INCR_CHUNK_MAX (1u << 19)
#define TRANSFER_TTL_MS 10000

typedef struct Transfer {
  struct Transfer *next;
  xcb_window_t req;
  xcb_atom_t prop, type;
  Set *set;
  uint8_t *owned; /* converted copy (STRING), freed with the transfer */
  const uint8_t *data;
  uint32_t len, off;
  int64_t started_ms;
} Transfer;

enum { A_CLIPBOARD, A_TARGETS, A_TIMESTAMP, A_INCR, A_UTF8, A_TEXT, A_PLAIN, A_PLAIN_UTF8,
       A_PLAIN_UTF8_UC, A_STAMP, A_N };
static const char *const NAMES[A_N] = {"CLIPBOARD", "TARGETS", "TIMESTAMP", "INCR", "UTF8_STRING",
                                       "TEXT", "text/plain", "text/plain;charset=utf-8",
                                       "text/plain;charset=UTF-8", "_OPENDESK_STAMP"};

struct OdcOwner {
  xcb_connection_t *c;
  xcb_window_t win;
  xcb_atom_t a[A_N];
  uint32_t chunk;
  pthread_t thread;
  int wake[2];
  pthread_mutex_t mu;
  pthread_cond_t cv;
  /* guarded by mu */
  Set *pending;
  uint64_t requested, completed;
  int claim_status;
  int stop;
  int holds;
  /* owner thread only */
  Set *current;
  xcb_timestamp_t own_time;
  Transfer *transfers;
};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static xcb_atom_t intern(xcb_connection_t *c, const char *name) {
  xcb_intern_atom_reply_t *r =
      xcb_intern_atom_reply(c, xcb_intern_atom(c, 0, (uint16_t)strlen(name), name), NULL);
  xcb_atom_t a = r ? r->atom : XCB_ATOM_NONE;
  free(r);
  return a;
}

static Entry *find_entry(OdcOwner *o, xcb_atom_t target) {
  Set *s = o->current;
  if (!s) return NULL;
  for (int i = 0; i < s->n; i++) {
    if (s->e[i].atom == target) return &s->e[i];
  }
  int text_alias = target == o->a[A_UTF8] || target == o->a[A_TEXT] || target == XCB_ATOM_STRING ||
                   target == o->a[A_PLAIN] || target == o->a[A_PLAIN_UTF8] ||
                   target == o->a[A_PLAIN_UTF8_UC];
  for (int i = 0; text_alias && i < s->n; i++) {
    if (s->e[i].is_text) return &s->e[i];
  }
  return NULL;
}

static void send_notify(OdcOwner *o, const xcb_selection_request_event_t *rq, xcb_atom_t prop) {
  xcb_selection_notify_event_t ev;
  memset(&ev, 0, sizeof ev);
  ev.response_type = XCB_SELECTION_NOTIFY;
  ev.time = rq->time;
  ev.requestor = rq->requestor;
  ev.selection = rq->selection;
  ev.target = rq->target;
  ev.property = prop;
  xcb_send_event(o->c, 0, rq->requestor, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
}

/* Appends `atom` to the TARGETS list unless it is already there (the text entry's own MIME type
 * is also one of the text aliases) or the list is full. */
static void add_target(xcb_atom_t *list, int *n, int cap, xcb_atom_t atom) {
  for (int i = 0; i < *n; i++) {
    if (list[i] == atom) return;
  }
  if (*n < cap) list[(*n)++] = atom;
}

static void answer_targets(OdcOwner *o, xcb_window_t req, xcb_atom_t prop) {
  enum { CAP = 64 };
  xcb_atom_t list[CAP];
  int n = 0;
  add_target(list, &n, CAP, o->a[A_TARGETS]);
  add_target(list, &n, CAP, o->a[A_TIMESTAMP]);
  int has_text = 0;
  for (int i = 0; i < o->current->n; i++) {
    add_target(list, &n, CAP - 5, o->current->e[i].atom);
    has_text |= o->current->e[i].is_text;
  }
  if (has_text) {
    const int aliases[] = {A_UTF8, A_PLAIN_UTF8, A_PLAIN, A_TEXT};
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
      add_target(list, &n, CAP, o->a[aliases[i]]);
    }
    add_target(list, &n, CAP, XCB_ATOM_STRING);
  }
  xcb_change_property(o->c, XCB_PROP_MODE_REPLACE, req, prop, XCB_ATOM_ATOM, 32, (uint32_t)n,
                      list);
}

static void handle_request(OdcOwner *o, const xcb_selection_request_event_t *rq) {
  xcb_atom_t prop = rq->property ? rq->property : rq->target;
  int ok = 0;
  if (o->current && rq->owner == o->win && rq->selection == o->a[A_CLIPBOARD]) {
    if (rq->target == o->a[A_TARGETS]) {
      answer_targets(o, rq->requestor, prop);
      ok = 1;
    } else if (rq->target == o->a[A_TIMESTAMP]) {
      xcb_change_property(o->c, XCB_PROP_MODE_REPLACE, rq->requestor, prop, XCB_ATOM_INTEGER, 32,
                          1, &o->own_time);
      ok = 1;
    } else {
      Entry *e = find_entry(o, rq->target);
      if (e) {
        uint8_t *owned = NULL;
        const uint8_t *data = e->data;
        uint32_t len = e->len;
        xcb_atom_t type = rq->target == o->a[A_TEXT] ? o->a[A_UTF8] : rq->target;
        if (rq->target == XCB_ATOM_STRING) data = owned = odc_to_latin1(e->data, e->len, &len);
        Transfer *t = len > o->chunk && data ? calloc(1, sizeof *t) : NULL;
        if (t) {
          uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
          xcb_change_window_attributes(o->c, rq->requestor, XCB_CW_EVENT_MASK, &mask);
          xcb_change_property(o->c, XCB_PROP_MODE_REPLACE, rq->requestor, prop, o->a[A_INCR], 32,
                              1, &len);
          *t = (Transfer){o->transfers, rq->requestor, prop, type, o->current, owned, data, len,
                          0, now_ms()};
          o->current->refs++;
          o->transfers = t;
          ok = 1;
        } else if (data && len <= o->chunk) {
          xcb_change_property(o->c, XCB_PROP_MODE_REPLACE, rq->requestor, prop, type, 8, len, data);
          free(owned);
          ok = 1;
        } else {
          free(owned);
        }
      }
    }
  }
  send_notify(o, rq, ok ? prop : XCB_ATOM_NONE);
}

static void drop_transfer(OdcOwner *o, Transfer **link) {
  Transfer *t = *link;
  *link = t->next;
  int others = 0;
  for (Transfer *u = o->transfers; u; u = u->next) others |= u->req == t->req;
  if (!others) {
    uint32_t mask = XCB_EVENT_MASK_NO_EVENT;
    xcb_change_window_attributes(o->c, t->req, XCB_CW_EVENT_MASK, &mask);
  }
  odc_set_unref(t->set);
  free(t->owned);
  free(t);
}

static void handle_property(OdcOwner *o, const xcb_property_notify_event_t *ev) {
  if (ev->state != XCB_PROPERTY_DELETE) return;
  for (Transfer **link = &o->transfers; *link; link = &(*link)->next) {
    Transfer *t = *link;
    if (t->req != ev->window || t->prop != ev->atom) continue;
    uint32_t n = t->len - t->off < o->chunk ? t->len - t->off : o->chunk;
    xcb_change_property(o->c, XCB_PROP_MODE_REPLACE, t->req, t->prop, t->type, 8, n,
                        t->data + t->off);
    t->off += n;
    t->started_ms = now_ms();
    if (n == 0) drop_transfer(o, link); /* the zero-length chunk ends the transfer */
    return;
  }
}

static void handle_event(OdcOwner *o, xcb_generic_event_t *ev) {
  switch (ev->response_type & 0x7f) {
    case XCB_SELECTION_REQUEST:
      handle_request(o, (xcb_selection_request_event_t *)ev);
      break;
    case XCB_SELECTION_CLEAR: {
      xcb_selection_clear_event_t *c = (xcb_selection_clear_event_t *)ev;
      if (c->selection == o->a[A_CLIPBOARD] && c->owner == o->win) {
        odc_set_unref(o->current);
        o->current = NULL;
        pthread_mutex_lock(&o->mu);
        o->holds = 0;
        pthread_mutex_unlock(&o->mu);
      }
      break;
    }
    case XCB_PROPERTY_NOTIFY:
      handle_property(o, (xcb_property_notify_event_t *)ev);
      break;
    default: /* errors about requestor windows that vanished mid-transfer are expected */
      break;
  }
}

/* Takes CLIPBOARD for `s` (consumed). Returns an OD status. */
static int claim(OdcOwner *o, Set *s) {
  for (int i = 0; i < s->n; i++) s->e[i].atom = intern(o->c, s->e[i].mime);
  /* A zero-length append yields a PropertyNotify carrying the server time (ICCCM 2.1). */
  xcb_change_property(o->c, XCB_PROP_MODE_APPEND, o->win, o->a[A_STAMP], XCB_ATOM_STRING, 8, 0,
                      "");
  xcb_flush(o->c);
  xcb_timestamp_t t = XCB_CURRENT_TIME;
  xcb_generic_event_t *ev;
  while (t == XCB_CURRENT_TIME && (ev = xcb_wait_for_event(o->c))) {
    xcb_property_notify_event_t *p = (xcb_property_notify_event_t *)ev;
    if ((ev->response_type & 0x7f) == XCB_PROPERTY_NOTIFY && p->window == o->win &&
        p->atom == o->a[A_STAMP]) {
      t = p->time;
    } else {
      handle_event(o, ev);
    }
    free(ev);
  }
  if (t == XCB_CURRENT_TIME) {
    odc_set_unref(s);
    return OD_ERR_X11_CONNECTION_LOST;
  }
  odc_set_unref(o->current);
  o->current = s;
  o->own_time = t;
  xcb_set_selection_owner(o->c, o->win, o->a[A_CLIPBOARD], t);
  xcb_get_selection_owner_reply_t *r = xcb_get_selection_owner_reply(
      o->c, xcb_get_selection_owner(o->c, o->a[A_CLIPBOARD]), NULL);
  int held = r && r->owner == o->win;
  free(r);
  if (!held) {
    odc_set_unref(o->current);
    o->current = NULL;
  }
  return held ? OD_OK : OD_ERR_X11_CONNECTION_LOST;
}

static void *owner_main(void *arg) {
  OdcOwner *o = arg;
  int fd = xcb_get_file_descriptor(o->c);
  for (;;) {
    struct pollfd p[2] = {{fd, POLLIN, 0}, {o->wake[0], POLLIN, 0}};
    poll(p, 2, o->transfers ? 1000 : -1);
    if (p[1].revents) {
      char drain[64];
      while (read(o->wake[0], drain, sizeof drain) > 0) {
      }
    }
    pthread_mutex_lock(&o->mu);
    int stop = o->stop;
    Set *s = o->pending;
    o->pending = NULL;
    pthread_mutex_unlock(&o->mu);
    if (stop) break;
    if (s) {
      int status = claim(o, s);
      pthread_mutex_lock(&o->mu);
      o->claim_status = status;
      o->holds = status == OD_OK;
      o->completed = o->requested;
      pthread_cond_broadcast(&o->cv);
      pthread_mutex_unlock(&o->mu);
    }
    xcb_generic_event_t *ev;
    while ((ev = xcb_poll_for_event(o->c))) {
      handle_event(o, ev);
      free(ev);
    }
    int64_t now = now_ms();
    for (Transfer **link = &o->transfers; *link;) {
      if (now - (*link)->started_ms > TRANSFER_TTL_MS) {
        drop_transfer(o, link);
      } else {
        link = &(*link)->next;
      }
    }
    xcb_flush(o->c);
    if (xcb_connection_has_error(o->c)) {
      pthread_mutex_lock(&o->mu);
      o->holds = 0;
      o->claim_status = OD_ERR_X11_CONNECTION_LOST;
      o->completed = o->requested;
      pthread_cond_broadcast(&o->cv);
      while (!o->stop) pthread_cond_wait(&o->cv, &o->mu);
      pthread_mutex_unlock(&o->mu);
      break;
    }
  }
  return NULL;
}

int odc_owner_start(const char *display_name, OdcOwner **out) {
  *out = NULL;
  OdcOwner *o = calloc(1, sizeof *o);
  if (!o) return OD_ERR_NO_MEMORY;
  int screen = 0;
  o->c = xcb_connect(display_name, &screen);
  if (xcb_connection_has_error(o->c) || pipe2(o->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
    xcb_disconnect(o->c);
    free(o);
    return OD_ERR_X11_OPEN;
  }
  xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(o->c));
  for (int i = 0; i < screen && it.rem; i++) xcb_screen_next(&it);
  for (int i = 0; i < A_N; i++) o->a[i] = intern(o->c, NAMES[i]);
  uint32_t max_req = xcb_get_maximum_request_length(o->c) * 4u;
  o->chunk = max_req > INCR_CHUNK_MAX + 1024 ? INCR_CHUNK_MAX : max_req - 1024;
  o->win = xcb_generate_id(o->c);
  uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
  xcb_create_window(o->c, XCB_COPY_FROM_PARENT, o->win, it.data->root, -10, -10, 1, 1, 0,
                    XCB_WINDOW_CLASS_INPUT_ONLY, XCB_COPY_FROM_PARENT, XCB_CW_EVENT_MASK, &mask);
  xcb_flush(o->c);
  pthread_mutex_init(&o->mu, NULL);
  pthread_cond_init(&o->cv, NULL);
  if (pthread_create(&o->thread, NULL, owner_main, o) != 0) {
    close(o->wake[0]);
    close(o->wake[1]);
    xcb_disconnect(o->c);
    free(o);
    return OD_ERR_NO_MEMORY;
  }
  *out = o;
  return OD_OK;
}

void odc_owner_stop(OdcOwner *o) {
  if (!o) return;
  pthread_mutex_lock(&o->mu);
  o->stop = 1;
  pthread_cond_broadcast(&o->cv);
  pthread_mutex_unlock(&o->mu);
  (void)!write(o->wake[1], "x", 1);
  pthread_join(o->thread, NULL);
  while (o->transfers) drop_transfer(o, &o->transfers);
  odc_set_unref(o->current);
  odc_set_unref(o->pending);
  xcb_disconnect(o->c);
  close(o->wake[0]);
  close(o->wake[1]);
  pthread_mutex_destroy(&o->mu);
  pthread_cond_destroy(&o->cv);
  free(o);
}

int odc_owner_set(OdcOwner *o, const uint8_t *packed, uint32_t len, uint32_t timeout_ms) {
  Set *s = odc_set_parse(packed, len);
  if (!s) return OD_ERR_INVALID_ARGUMENT;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += timeout_ms / 1000;
  deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&o->mu);
  odc_set_unref(o->pending);
  o->pending = s;
  uint64_t ticket = ++o->requested;
  pthread_mutex_unlock(&o->mu);
  (void)!write(o->wake[1], "x", 1);
  pthread_mutex_lock(&o->mu);
  int rc = 0;
  while (o->completed < ticket && rc != ETIMEDOUT) {
    rc = pthread_cond_timedwait(&o->cv, &o->mu, &deadline);
  }
  int status = o->completed >= ticket ? o->claim_status : OD_ERR_X11_TIMEOUT;
  pthread_mutex_unlock(&o->mu);
  return status;
}

int odc_owner_holds(OdcOwner *o) {
  pthread_mutex_lock(&o->mu);
  int h = o->holds;
  pthread_mutex_unlock(&o->mu);
  return h;
}
