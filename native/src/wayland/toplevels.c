/* Toplevel windows through zwlr_foreign_toplevel_manager_v1: list, activate, close, states. */
#define _GNU_SOURCE
#include "_wayland.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OD_WL_ACTIVATED 2 /* the protocol's state value for "activated" */

static void od_tl_title(void *data, struct zwlr_foreign_toplevel_handle_v1 *h, const char *t) {
  od_wl_toplevel *tl = data;
  free(tl->title);
  tl->title = strdup(t);
}
static void od_tl_app_id(void *data, struct zwlr_foreign_toplevel_handle_v1 *h, const char *a) {
  od_wl_toplevel *tl = data;
  free(tl->app_id);
  tl->app_id = strdup(a);
}
static void od_tl_output(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
                         struct wl_output *o) {}
static void od_tl_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
                        struct wl_array *states) {
  od_wl_toplevel *tl = data;
  uint32_t bits = 0, *s;
  wl_array_for_each(s, states) if (*s < 32) bits |= 1u << *s;
  tl->state = bits;
}
static void od_tl_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *h) {}
static void od_tl_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *h) {
  ((od_wl_toplevel *)data)->closed = 1;
}
static void od_tl_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
                         struct zwlr_foreign_toplevel_handle_v1 *parent) {}

static const struct zwlr_foreign_toplevel_handle_v1_listener od_tl_listener = {
    .title = od_tl_title,
    .app_id = od_tl_app_id,
    .output_enter = od_tl_output,
    .output_leave = od_tl_output,
    .state = od_tl_state,
    .done = od_tl_done,
    .closed = od_tl_closed,
    .parent = od_tl_parent,
};

static void od_tl_new(void *data, struct zwlr_foreign_toplevel_manager_v1 *m,
                      struct zwlr_foreign_toplevel_handle_v1 *handle) {
  od_wayland *wl = data;
  od_wl_toplevel *tl = calloc(1, sizeof *tl);
  if (!tl) {
    zwlr_foreign_toplevel_handle_v1_destroy(handle);
    return;
  }
  tl->id = ++wl->next_toplevel_id;
  tl->handle = handle;
  zwlr_foreign_toplevel_handle_v1_add_listener(handle, &od_tl_listener, tl);
  /* Appended, so the list keeps the compositor's order. */
  od_wl_toplevel **p = &wl->toplevels;
  while (*p) p = &(*p)->next;
  *p = tl;
}
static void od_tl_finished(void *data, struct zwlr_foreign_toplevel_manager_v1 *m) {}

static const struct zwlr_foreign_toplevel_manager_v1_listener od_tl_manager_listener = {
    .toplevel = od_tl_new,
    .finished = od_tl_finished,
};

void od_wl_toplevels_start(od_wayland *wl) {
  if (wl->toplevel_manager)
    zwlr_foreign_toplevel_manager_v1_add_listener(wl->toplevel_manager, &od_tl_manager_listener,
                                                  wl);
}

static void od_tl_free(od_wl_toplevel *tl) {
  zwlr_foreign_toplevel_handle_v1_destroy(tl->handle);
  free(tl->title);
  free(tl->app_id);
  free(tl);
}

/* Frees windows that closed (lock held). */
static void od_tl_prune(od_wayland *wl) {
  for (od_wl_toplevel **p = &wl->toplevels; *p;) {
    od_wl_toplevel *tl = *p;
    if (tl->closed) {
      *p = tl->next;
      od_tl_free(tl);
    } else {
      p = &tl->next;
    }
  }
}

void od_wl_toplevels_free(od_wayland *wl) {
  while (wl->toplevels) {
    od_wl_toplevel *tl = wl->toplevels;
    wl->toplevels = tl->next;
    od_tl_free(tl);
  }
  if (wl->toplevel_manager) zwlr_foreign_toplevel_manager_v1_stop(wl->toplevel_manager);
}

/* Starts a call: the protocol must exist and the latest events must have arrived. */
static int od_tl_begin(od_wayland *wl) {
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  if (!wl->toplevel_manager)
    status = od_fail(OD_ERR_WAYLAND_NO_PROTOCOL, "The compositor does not list windows "
                     "(zwlr_foreign_toplevel_manager_v1)");
  else
    status = od_wl_sync(wl, 2000);
  if (status != OD_OK) {
    od_wl_end(wl, OD_OK);
    return status;
  }
  if (wl->toplevel_waiters == 0) od_tl_prune(wl);
  return OD_OK;
}

static od_wl_toplevel *od_tl_find(od_wayland *wl, uint32_t id) {
  for (od_wl_toplevel *tl = wl->toplevels; tl; tl = tl->next)
    if (tl->id == id && !tl->closed) return tl;
  od_fail(OD_ERR_NOT_FOUND, "There is no window %u (it may have closed)", id);
  return NULL;
}

/* Appends `s` as a JSON string, escaping quotes, backslashes and control characters. */
static size_t od_json_string(char *out, size_t at, size_t cap, const char *s) {
  if (at < cap) out[at] = '"';
  at++;
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    char esc[8];
    int n;
    if (*p == '"' || *p == '\\') n = snprintf(esc, sizeof esc, "\\%c", *p);
    else if (*p < 0x20) n = snprintf(esc, sizeof esc, "\\u%04x", *p);
    else esc[0] = (char)*p, esc[1] = 0, n = 1;
    for (int i = 0; i < n; i++, at++)
      if (at < cap) out[at] = esc[i];
  }
  if (at < cap) out[at] = '"';
  return at + 1;
}

OD_API int od_wayland_windows_list(od_wayland *wl, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!wl || !len || (cap > 0 && !buf))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_windows_list: NULL argument");
  int status = od_tl_begin(wl);
  if (status != OD_OK) return status;
  char *out = (char *)buf;
  size_t at = 0;
#define OD_PUT(...) \
  at += (size_t)snprintf(at < cap ? out + at : NULL, at < cap ? cap - at : 0, __VA_ARGS__)
  OD_PUT("[");
  for (od_wl_toplevel *tl = wl->toplevels; tl; tl = tl->next) {
    OD_PUT("%s{\"id\":%u,\"title\":", tl == wl->toplevels ? "" : ",", tl->id);
    at = od_json_string(out, at, cap, tl->title);
    OD_PUT(",\"app_id\":");
    at = od_json_string(out, at, cap, tl->app_id);
    OD_PUT(",\"activated\":%s,\"minimized\":%s,\"maximized\":%s,\"fullscreen\":%s}",
           tl->state & (1u << OD_WL_ACTIVATED) ? "true" : "false",
           tl->state & (1u << OD_WAYLAND_STATE_MINIMIZED) ? "true" : "false",
           tl->state & (1u << OD_WAYLAND_STATE_MAXIMIZED) ? "true" : "false",
           tl->state & (1u << OD_WAYLAND_STATE_FULLSCREEN) ? "true" : "false");
  }
  OD_PUT("]");
#undef OD_PUT
  *len = (uint32_t)at;
  if (at > cap)
    status = od_fail(OD_ERR_BUFFER_TOO_SMALL, "The window list needs %zu bytes", at);
  return od_wl_end(wl, status);
}

OD_API int od_wayland_windows_active(od_wayland *wl, uint32_t *id) {
  if (!wl || !id) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_windows_active: NULL");
  int status = od_tl_begin(wl);
  if (status != OD_OK) return status;
  *id = 0;
  for (od_wl_toplevel *tl = wl->toplevels; tl; tl = tl->next)
    if (tl->state & (1u << OD_WL_ACTIVATED)) *id = tl->id;
  return od_wl_end(wl, status);
}

OD_API int od_wayland_windows_focus(od_wayland *wl, uint32_t id, uint32_t timeout_ms) {
  if (!wl) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_windows_focus: NULL handle");
  int status = od_tl_begin(wl);
  if (status != OD_OK) return status;
  od_wl_toplevel *tl = od_tl_find(wl, id);
  if (!tl) return od_wl_end(wl, OD_ERR_NOT_FOUND);
  zwlr_foreign_toplevel_handle_v1_activate(tl->handle, wl->seat);
  /* Wait for the activated state. The waits release the lock; tl stays valid because windows
   * are freed only by calls made while no call waits on one. */
  wl->toplevel_waiters++;
  uint32_t start = od_wl_now_ms();
  while (status == OD_OK && !(tl->state & (1u << OD_WL_ACTIVATED))) {
    if (tl->closed) status = od_fail(OD_ERR_NOT_FOUND, "Window %u closed", id);
    else if (od_wl_now_ms() - start > timeout_ms)
      status = od_fail(OD_ERR_WAYLAND_TIMEOUT, "Window %u did not become active within %u ms", id,
                       timeout_ms);
    else status = od_wl_sync(wl, timeout_ms);
    if (status == OD_OK && !(tl->state & (1u << OD_WL_ACTIVATED))) {
      /* The state event may come a frame later than the sync: wait for any event. */
      int never = 0;
      int w = od_wl_wait(wl, &never, 20);
      if (w != OD_ERR_WAYLAND_TIMEOUT) status = w;
    }
  }
  wl->toplevel_waiters--;
  return od_wl_end(wl, status);
}

OD_API int od_wayland_windows_request_close(od_wayland *wl, uint32_t id) {
  if (!wl) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_windows_request_close: NULL handle");
  int status = od_tl_begin(wl);
  if (status != OD_OK) return status;
  od_wl_toplevel *tl = od_tl_find(wl, id);
  if (!tl) return od_wl_end(wl, OD_ERR_NOT_FOUND);
  zwlr_foreign_toplevel_handle_v1_close(tl->handle);
  return od_wl_end(wl, status);
}

OD_API int od_wayland_windows_set_state(od_wayland *wl, uint32_t id, uint32_t state, uint32_t on) {
  if (!wl || (state != OD_WAYLAND_STATE_MAXIMIZED && state != OD_WAYLAND_STATE_MINIMIZED &&
              state != OD_WAYLAND_STATE_FULLSCREEN))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "Window state %u is not maximized (0), "
                   "minimized (1) or fullscreen (3)", state);
  int status = od_tl_begin(wl);
  if (status != OD_OK) return status;
  od_wl_toplevel *tl = od_tl_find(wl, id);
  if (!tl) return od_wl_end(wl, OD_ERR_NOT_FOUND);
  struct zwlr_foreign_toplevel_handle_v1 *h = tl->handle;
  if (state == OD_WAYLAND_STATE_FULLSCREEN && zwlr_foreign_toplevel_handle_v1_get_version(h) < 2)
    status = od_fail(OD_ERR_WAYLAND_NO_PROTOCOL, "The compositor's window protocol predates "
                     "fullscreen (version 2)");
  else if (state == OD_WAYLAND_STATE_MAXIMIZED)
    on ? zwlr_foreign_toplevel_handle_v1_set_maximized(h)
       : zwlr_foreign_toplevel_handle_v1_unset_maximized(h);
  else if (state == OD_WAYLAND_STATE_MINIMIZED)
    on ? zwlr_foreign_toplevel_handle_v1_set_minimized(h)
       : zwlr_foreign_toplevel_handle_v1_unset_minimized(h);
  else
    on ? zwlr_foreign_toplevel_handle_v1_set_fullscreen(h, NULL)
       : zwlr_foreign_toplevel_handle_v1_unset_fullscreen(h);
  return od_wl_end(wl, status);
}
