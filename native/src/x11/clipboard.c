/*
 * The X CLIPBOARD selection, read and written natively (opendesk.h: od_clipboard_*).
 *
 * Writing hands the entries to the owner thread (clipboard_owner.c), which holds the selection
 * on its own connection until another client takes it. Reading converts the selection into a
 * property of a hidden window on a second connection, waits with a deadline (poll on the XCB
 * socket) and follows INCR transfers; a hung or dead owner costs at most the deadline. Reads are
 * serialised by `read_mu`; the result stays in the handle until fetched or the next read.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xcb/xcb.h>

#include "opendesk.h"
#include "_big_buffer.h"
#include "_clipboard_owner.h"

struct od_clipboard {
  char *display_name;
  pthread_mutex_t read_mu;
  xcb_connection_t *c;
  xcb_window_t win;
  xcb_atom_t a_clipboard, a_prop, a_incr, a_targets;
  uint8_t *result;
  uint32_t result_len, result_cap;
  pthread_mutex_t owner_mu;
  OdcOwner *owner;
};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static xcb_atom_t intern(xcb_connection_t *c, const char *name, int only_if_exists) {
  xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(
      c, xcb_intern_atom(c, (uint8_t)only_if_exists, (uint16_t)strlen(name), name), NULL);
  xcb_atom_t a = r ? r->atom : XCB_ATOM_NONE;
  free(r);
  return a;
}

OD_API int od_clipboard_open(const char *display_name, od_clipboard **out) {
  if (!out) return OD_ERR_INVALID_ARGUMENT;
  *out = NULL;
  od_clipboard *cb = calloc(1, sizeof *cb);
  if (!cb) return OD_ERR_NO_MEMORY;
  cb->display_name = display_name && *display_name ? strdup(display_name) : NULL;
  int screen = 0;
  cb->c = xcb_connect(cb->display_name, &screen);
  if (xcb_connection_has_error(cb->c)) {
    xcb_disconnect(cb->c);
    free(cb->display_name);
    free(cb);
    return OD_ERR_X11_OPEN;
  }
  xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(cb->c));
  for (int i = 0; i < screen && it.rem; i++) xcb_screen_next(&it);
  cb->a_clipboard = intern(cb->c, "CLIPBOARD", 0);
  cb->a_prop = intern(cb->c, "_OPENDESK_CLIP", 0);
  cb->a_incr = intern(cb->c, "INCR", 0);
  cb->a_targets = intern(cb->c, "TARGETS", 0);
  cb->win = xcb_generate_id(cb->c);
  uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
  xcb_create_window(cb->c, XCB_COPY_FROM_PARENT, cb->win, it.data->root, -10, -10, 1, 1, 0,
                    XCB_WINDOW_CLASS_INPUT_ONLY, XCB_COPY_FROM_PARENT, XCB_CW_EVENT_MASK, &mask);
  xcb_flush(cb->c);
  pthread_mutex_init(&cb->read_mu, NULL);
  pthread_mutex_init(&cb->owner_mu, NULL);
  *out = cb;
  return OD_OK;
}

OD_API int od_clipboard_close(od_clipboard *cb) {
  if (!cb) return OD_OK;
  odc_owner_stop(cb->owner);
  xcb_disconnect(cb->c);
  pthread_mutex_destroy(&cb->read_mu);
  pthread_mutex_destroy(&cb->owner_mu);
  od_big_free(cb->result);
  free(cb->display_name);
  free(cb);
  return OD_OK;
}

OD_API int od_clipboard_write(od_clipboard *cb, const uint8_t *packed, uint32_t len,
                              uint32_t timeout_ms) {
  if (!cb || (!packed && len)) return OD_ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&cb->owner_mu);
  int status = OD_OK;
  if (!cb->owner) status = odc_owner_start(cb->display_name, &cb->owner);
  if (status == OD_OK) status = odc_owner_set(cb->owner, packed, len, timeout_ms);
  pthread_mutex_unlock(&cb->owner_mu);
  return status;
}

OD_API int od_clipboard_owned(od_clipboard *cb, int32_t *out_owned) {
  if (!cb || !out_owned) return OD_ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&cb->owner_mu);
  *out_owned = cb->owner ? odc_owner_holds(cb->owner) : 0;
  pthread_mutex_unlock(&cb->owner_mu);
  return OD_OK;
}

/* Waits for an event matching `want` on our window, up to `deadline`; NULL on timeout/error. */
static xcb_generic_event_t *wait_event(od_clipboard *cb, uint8_t want, int64_t deadline) {
  int fd = xcb_get_file_descriptor(cb->c);
  for (;;) {
    xcb_generic_event_t *ev;
    while ((ev = xcb_poll_for_event(cb->c))) {
      uint8_t type = ev->response_type & 0x7f;
      if (type == want && want == XCB_SELECTION_NOTIFY &&
          ((xcb_selection_notify_event_t *)ev)->requestor == cb->win) {
        return ev;
      }
      if (type == want && want == XCB_PROPERTY_NOTIFY) {
        xcb_property_notify_event_t *p = (xcb_property_notify_event_t *)ev;
        if (p->window == cb->win && p->atom == cb->a_prop && p->state == XCB_PROPERTY_NEW_VALUE) {
          return ev;
        }
      }
      free(ev);
    }
    if (xcb_connection_has_error(cb->c)) return NULL;
    int64_t left = deadline - now_ms();
    if (left <= 0) return NULL;
    struct pollfd p = {fd, POLLIN, 0};
    poll(&p, 1, (int)left);
  }
}

/* Makes room for `need` bytes of result in all (the buffer is kept between reads). */
static int reserve(od_clipboard *cb, uint64_t need) {
  if (need <= cb->result_cap) return OD_OK;
  if (need > UINT32_MAX) return OD_ERR_NO_MEMORY;
  uint64_t cap = cb->result_cap ? cb->result_cap : 65536;
  while (cap < need) cap *= 2;
  if (cap > UINT32_MAX) cap = UINT32_MAX;
  uint8_t *p = od_big_realloc(cb->result, (size_t)cap);
  if (!p) return OD_ERR_NO_MEMORY;
  cb->result = p;
  cb->result_cap = (uint32_t)cap;
  return OD_OK;
}

static int append(od_clipboard *cb, const void *data, uint32_t n) {
  if (reserve(cb, (uint64_t)cb->result_len + n) != OD_OK) return OD_ERR_NO_MEMORY;
  memcpy(cb->result + cb->result_len, data, n);
  cb->result_len += n;
  return OD_OK;
}

/* Reads and deletes our property; *type receives its type. */
static int take_property(od_clipboard *cb, xcb_atom_t *type, uint32_t *got) {
  xcb_get_property_reply_t *r = xcb_get_property_reply(
      cb->c, xcb_get_property(cb->c, 1, cb->win, cb->a_prop, XCB_ATOM_ANY, 0, 0x1FFFFFFF), NULL);
  if (!r) return OD_ERR_X11_CONNECTION_LOST;
  *type = r->type;
  uint32_t n = (uint32_t)xcb_get_property_value_length(r);
  *got = n;
  int status;
  if (r->type == cb->a_incr) {
    /* INCR's value is a lower bound of the whole size: room for it at once. A huge claim is
     * not trusted beyond 64 MiB; the buffer grows as chunks come. */
    uint32_t hint = n >= 4 ? *(const uint32_t *)xcb_get_property_value(r) : 0;
    status = reserve(cb, hint < (64u << 20) ? hint : (64u << 20));
  } else {
    status = append(cb, xcb_get_property_value(r), n);
  }
  free(r);
  return status;
}

static int convert(od_clipboard *cb, xcb_atom_t target, int64_t deadline) {
  cb->result_len = 0;
  xcb_get_selection_owner_reply_t *o =
      xcb_get_selection_owner_reply(cb->c, xcb_get_selection_owner(cb->c, cb->a_clipboard), NULL);
  if (!o) return OD_ERR_X11_CONNECTION_LOST;
  xcb_window_t owner = o->owner;
  free(o);
  if (owner == XCB_WINDOW_NONE) return OD_ERR_X11_NO_SELECTION;
  xcb_delete_property(cb->c, cb->win, cb->a_prop);
  xcb_convert_selection(cb->c, cb->win, cb->a_clipboard, target, cb->a_prop, XCB_CURRENT_TIME);
  xcb_flush(cb->c);
  xcb_generic_event_t *ev = wait_event(cb, XCB_SELECTION_NOTIFY, deadline);
  if (!ev) return xcb_connection_has_error(cb->c) ? OD_ERR_X11_CONNECTION_LOST : OD_ERR_X11_TIMEOUT;
  xcb_atom_t prop = ((xcb_selection_notify_event_t *)ev)->property;
  free(ev);
  if (prop == XCB_ATOM_NONE) return OD_ERR_X11_NO_SELECTION;
  xcb_atom_t type;
  uint32_t got;
  int status = take_property(cb, &type, &got);
  if (status != OD_OK || type != cb->a_incr) return status;
  /* INCR: deleting the property (done by take_property) asks the owner for the next chunk. */
  for (;;) {
    xcb_flush(cb->c);
    ev = wait_event(cb, XCB_PROPERTY_NOTIFY, deadline);
    if (!ev) return xcb_connection_has_error(cb->c) ? OD_ERR_X11_CONNECTION_LOST : OD_ERR_X11_TIMEOUT;
    free(ev);
    status = take_property(cb, &type, &got);
    if (status != OD_OK || got == 0) return status;
  }
}

OD_API int od_clipboard_read(od_clipboard *cb, const char *target, uint32_t timeout_ms,
                             uint32_t *out_len) {
  if (!cb || !target || !*target || !out_len) return OD_ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&cb->read_mu);
  int64_t deadline = now_ms() + timeout_ms;
  xcb_atom_t atom = intern(cb->c, target, 0);
  int status = atom == XCB_ATOM_NONE ? OD_ERR_X11_CONNECTION_LOST : convert(cb, atom, deadline);
  if (status != OD_OK) cb->result_len = 0;
  *out_len = cb->result_len;
  pthread_mutex_unlock(&cb->read_mu);
  return status;
}

OD_API int od_clipboard_fetch(od_clipboard *cb, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!cb || !len) return OD_ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&cb->read_mu);
  *len = cb->result_len;
  int status = cb->result_len > cap || (!buf && cb->result_len) ? OD_ERR_BUFFER_TOO_SMALL : OD_OK;
  if (status == OD_OK && cb->result_len) memcpy(buf, cb->result, cb->result_len);
  pthread_mutex_unlock(&cb->read_mu);
  return status;
}

OD_API int od_clipboard_targets(od_clipboard *cb, uint32_t timeout_ms, uint8_t *buf, uint32_t cap,
                                uint32_t *len) {
  if (!cb || !len) return OD_ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&cb->read_mu);
  int status = convert(cb, cb->a_targets, now_ms() + timeout_ms);
  uint32_t n = cb->result_len / 4;
  xcb_atom_t *atoms = malloc(sizeof(xcb_atom_t) * (n ? n : 1));
  xcb_get_atom_name_cookie_t *ck = malloc(sizeof *ck * (n ? n : 1));
  uint32_t need = 0;
  if (status == OD_OK && (!atoms || !ck)) status = OD_ERR_NO_MEMORY;
  if (status == OD_OK) {
    memcpy(atoms, cb->result, n * 4);
    for (uint32_t i = 0; i < n; i++) ck[i] = xcb_get_atom_name(cb->c, atoms[i]);
    for (uint32_t i = 0; i < n; i++) {
      xcb_get_atom_name_reply_t *r = xcb_get_atom_name_reply(cb->c, ck[i], NULL);
      if (!r) continue;
      uint32_t l = (uint32_t)xcb_get_atom_name_name_length(r);
      if (buf && need + l + 1 <= cap) {
        memcpy(buf + need, xcb_get_atom_name_name(r), l);
        buf[need + l] = '\n';
      }
      need += l + 1;
      free(r);
    }
    if (need > cap || (!buf && need)) status = OD_ERR_BUFFER_TOO_SMALL;
  }
  free(atoms);
  free(ck);
  cb->result_len = 0;
  *len = need;
  pthread_mutex_unlock(&cb->read_mu);
  return status;
}
