/* A barrier with the client that receives typed keys, used before a spare
 * keycode is given another keysym (or unmapped).
 *
 * A client reads the key mapping when it handles a key event, not when the
 * event was sent; a client that lags behind (a loaded machine) would read the
 * next mapping and type the wrong character. So before changing a spare that
 * was used, the shim sends the focused window a _NET_WM_PING (which GTK, Qt
 * and most toolkits answer from their event loop) and waits for the answer:
 * the client handles its events in order, so once it answered it has handled
 * every key sent before. Clients that do not answer fall back to the settle
 * time in keymap.c.
 *
 * The ping runs on its own short-lived XCB connection, so the shim's Xlib
 * connection sees no extra events and its error handling is untouched. */
#include "_x11.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>

static xcb_atom_t barrier_atom(xcb_connection_t *c, const char *name) {
  xcb_intern_atom_reply_t *r =
      xcb_intern_atom_reply(c, xcb_intern_atom(c, 0, (uint16_t)strlen(name), name), NULL);
  xcb_atom_t a = r ? r->atom : XCB_ATOM_NONE;
  free(r);
  return a;
}

/* Whether `w` lists _NET_WM_PING in its WM_PROTOCOLS. */
static int answers_ping(xcb_connection_t *c, xcb_window_t w, xcb_atom_t protocols,
                        xcb_atom_t ping) {
  xcb_get_property_reply_t *r = xcb_get_property_reply(
      c, xcb_get_property(c, 0, w, protocols, XCB_ATOM_ATOM, 0, 32), NULL);
  int found = 0;
  if (r && r->format == 32) {
    const xcb_atom_t *atoms = xcb_get_property_value(r);
    int n = xcb_get_property_value_length(r) / 4;
    for (int i = 0; i < n; i++)
      if (atoms[i] == ping) found = 1;
  }
  free(r);
  return found;
}

/* The window that answers pings for `w`: `w`, an ancestor (focus on a child
 * window), or a descendant up to two levels down (a window manager's frame). */
static xcb_window_t ping_window(xcb_connection_t *c, xcb_window_t root, xcb_window_t w,
                                xcb_atom_t protocols, xcb_atom_t ping) {
  for (xcb_window_t up = w; up != XCB_NONE && up != root;) {
    if (answers_ping(c, up, protocols, ping)) return up;
    xcb_query_tree_reply_t *t = xcb_query_tree_reply(c, xcb_query_tree(c, up), NULL);
    up = t ? t->parent : XCB_NONE;
    free(t);
  }
  xcb_window_t found = XCB_NONE;
  xcb_query_tree_reply_t *t = xcb_query_tree_reply(c, xcb_query_tree(c, w), NULL);
  if (!t) return XCB_NONE;
  xcb_window_t *kids = xcb_query_tree_children(t);
  int n = xcb_query_tree_children_length(t);
  for (int i = n - 1; i >= 0 && found == XCB_NONE; i--) {
    if (answers_ping(c, kids[i], protocols, ping)) {
      found = kids[i];
      break;
    }
    xcb_query_tree_reply_t *t2 = xcb_query_tree_reply(c, xcb_query_tree(c, kids[i]), NULL);
    if (!t2) continue;
    xcb_window_t *grand = xcb_query_tree_children(t2);
    for (int j = xcb_query_tree_children_length(t2) - 1; j >= 0; j--) {
      if (answers_ping(c, grand[j], protocols, ping)) {
        found = grand[j];
        break;
      }
    }
    free(t2);
  }
  free(t);
  return found;
}

/* The window keyboard input goes to: the focus, or the top-level window under
 * the pointer when focus follows the pointer. */
static xcb_window_t key_target(xcb_connection_t *c, xcb_window_t root) {
  xcb_get_input_focus_reply_t *f = xcb_get_input_focus_reply(c, xcb_get_input_focus(c), NULL);
  xcb_window_t w = f ? f->focus : XCB_NONE;
  free(f);
  if (w == XCB_NONE || w == XCB_INPUT_FOCUS_POINTER_ROOT || w == root) {
    xcb_query_pointer_reply_t *p = xcb_query_pointer_reply(c, xcb_query_pointer(c, root), NULL);
    w = p ? p->child : XCB_NONE;
    free(p);
  }
  return w;
}

static int64_t barrier_now_ms(void) {
  struct timespec ts;
  od_now(&ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until the client that receives keys has handled every event sent so
 * far (the caller has synced its own connection). Called with the lock held;
 * releases it while waiting. Returns 1 when the client answered within
 * `timeout_ms`, 0 when there is no such client or it did not answer. */
int od_x11_key_barrier(od_display *d, uint32_t timeout_ms) {
  const char *name = DisplayString(d->dpy);
  char display_name[256];
  snprintf(display_name, sizeof display_name, "%s", name ? name : "");
  pthread_mutex_unlock(&d->lock);
  int answered = 0;
  int screen_no = 0;
  xcb_connection_t *c = xcb_connect(display_name, &screen_no);
  if (c && !xcb_connection_has_error(c)) {
    xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(c));
    for (int i = 0; i < screen_no && it.rem; i++) xcb_screen_next(&it);
    xcb_window_t root = it.data->root;
    xcb_atom_t protocols = barrier_atom(c, "WM_PROTOCOLS");
    xcb_atom_t ping = barrier_atom(c, "_NET_WM_PING");
    xcb_window_t target = key_target(c, root);
    xcb_window_t w = target == XCB_NONE ? XCB_NONE : ping_window(c, root, target, protocols, ping);
    if (w != XCB_NONE && protocols != XCB_ATOM_NONE && ping != XCB_ATOM_NONE) {
      /* The answer goes to the root window, to clients selecting SubstructureNotify. */
      uint32_t mask = XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY;
      xcb_change_window_attributes(c, root, XCB_CW_EVENT_MASK, &mask);
      static uint32_t serial;
      uint32_t token = 0x4f440000u | (++serial & 0xffffu);
      xcb_client_message_event_t ev;
      memset(&ev, 0, sizeof ev);
      ev.response_type = XCB_CLIENT_MESSAGE;
      ev.format = 32;
      ev.window = w;
      ev.type = protocols;
      ev.data.data32[0] = ping;
      ev.data.data32[1] = token; /* echoed back: tells this ping's answer apart */
      ev.data.data32[2] = w;
      xcb_send_event(c, 0, w, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
      xcb_flush(c);
      int64_t deadline = barrier_now_ms() + timeout_ms;
      while (!answered && !xcb_connection_has_error(c)) {
        xcb_generic_event_t *e;
        while (!answered && (e = xcb_poll_for_event(c)) != NULL) {
          if ((e->response_type & 0x7f) == XCB_CLIENT_MESSAGE) {
            xcb_client_message_event_t *m = (xcb_client_message_event_t *)e;
            if (m->type == protocols && m->data.data32[0] == ping && m->data.data32[1] == token)
              answered = 1;
          }
          free(e);
        }
        int64_t left = deadline - barrier_now_ms();
        if (answered || left <= 0) break;
        struct pollfd p = {xcb_get_file_descriptor(c), POLLIN, 0};
        poll(&p, 1, (int)left);
      }
    }
  }
  if (c) xcb_disconnect(c);
  pthread_mutex_lock(&d->lock);
  return answered;
}
