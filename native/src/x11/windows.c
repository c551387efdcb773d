/*
 * Top-level windows through EWMH/ICCCM over XCB (opendesk.h: od_windows_*).
 *
 * The object owns its own XCB connection. XCB reports X errors per request, so a window that
 * vanishes between two calls yields OD_ERR_NOT_FOUND instead of reaching a global
 * Xlib error handler. Property reads for all windows are pipelined: a list of 50 windows costs
 * about two round trips. Not thread-safe: callers serialise calls on one handle.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>

#include "opendesk.h"
#include "_json_writer.h"
#include "_windows.h"

static const char *const ATOM_NAMES[A_COUNT] = {
    "_NET_SUPPORTED",       "_NET_CLIENT_LIST",          "_NET_ACTIVE_WINDOW",
    "_NET_WM_NAME",         "_NET_WM_PID",               "_NET_WM_STATE",
    "_NET_WM_STATE_HIDDEN", "_NET_WM_DESKTOP",           "_NET_CURRENT_DESKTOP",
    "_NET_CLOSE_WINDOW",    "_NET_MOVERESIZE_WINDOW",    "_NET_FRAME_EXTENTS",
    "_NET_SUPPORTING_WM_CHECK", "UTF8_STRING",           "WM_STATE",
    "WM_PROTOCOLS",         "WM_DELETE_WINDOW",
};


/* Per-window pipelined requests of od_windows_list. */
typedef struct {
  xcb_get_property_cookie_t net_name, name, cls, pid, state, desktop, frame, wm_state;
  xcb_get_geometry_cookie_t geom;
  xcb_translate_coordinates_cookie_t pos;
} WinCookies;

static int intern_atoms(od_windows *w) {
  xcb_intern_atom_cookie_t ck[A_COUNT];
  for (int i = 0; i < A_COUNT; i++) {
    ck[i] = xcb_intern_atom(w->conn, 0, (uint16_t)strlen(ATOM_NAMES[i]), ATOM_NAMES[i]);
  }
  int status = OD_OK;
  for (int i = 0; i < A_COUNT; i++) {
    xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(w->conn, ck[i], NULL);
    if (!r) {
      status = OD_ERR_X11_CONNECTION_LOST;
      continue;
    }
    w->atoms[i] = r->atom;
    free(r);
  }
  return status;
}

OD_API int od_windows_open(const char *display_name, od_windows **out) {
  if (!out) return OD_ERR_INVALID_ARGUMENT;
  *out = NULL;
  int screen_num = 0;
  xcb_connection_t *conn = xcb_connect(display_name && *display_name ? display_name : NULL,
                                        &screen_num);
  if (!conn || xcb_connection_has_error(conn)) {
    if (conn) xcb_disconnect(conn);
    return OD_ERR_X11_OPEN;
  }
  xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(conn));
  for (int i = 0; i < screen_num && it.rem; i++) xcb_screen_next(&it);
  od_windows *w = calloc(1, sizeof *w);
  if (!w || !it.rem) {
    free(w);
    xcb_disconnect(conn);
    return w ? OD_ERR_X11_OPEN : OD_ERR_NO_MEMORY;
  }
  w->conn = conn;
  w->root = it.data->root;
  int status = intern_atoms(w);
  if (status != OD_OK) {
    od_windows_close(w);
    return status;
  }
  *out = w;
  return OD_OK;
}

OD_API int od_windows_close(od_windows *w) {
  if (!w) return OD_OK;
  xcb_disconnect(w->conn);
  odj_free(&w->out);
  free(w);
  return OD_OK;
}

xcb_get_property_reply_t *odw_get_prop(od_windows *w, xcb_window_t win, xcb_atom_t prop,
                                       xcb_atom_t type, uint32_t max_words) {
  xcb_get_property_cookie_t ck = xcb_get_property(w->conn, 0, win, prop, type, 0, max_words);
  return xcb_get_property_reply(w->conn, ck, NULL);
}

uint32_t odw_prop_u32(xcb_get_property_reply_t *r, uint32_t index, uint32_t fallback) {
  if (!r || r->format != 32 || (uint32_t)xcb_get_property_value_length(r) < (index + 1) * 4) {
    return fallback;
  }
  return ((uint32_t *)xcb_get_property_value(r))[index];
}

/* Top-level client windows: _NET_CLIENT_LIST, or mapped children of the root without a WM. */
static int client_list(od_windows *w, xcb_window_t **out, int *count) {
  *out = NULL;
  *count = 0;
  xcb_get_property_reply_t *r =
      odw_get_prop(w, w->root, w->atoms[A_NET_CLIENT_LIST], XCB_ATOM_WINDOW, 65536);
  if (r && r->format == 32 && r->type == XCB_ATOM_WINDOW) {
    int n = xcb_get_property_value_length(r) / 4;
    *out = malloc(sizeof(xcb_window_t) * (size_t)(n ? n : 1));
    if (!*out) {
      free(r);
      return OD_ERR_NO_MEMORY;
    }
    memcpy(*out, xcb_get_property_value(r), sizeof(xcb_window_t) * (size_t)n);
    *count = n;
    free(r);
    return OD_OK;
  }
  free(r);
  xcb_query_tree_reply_t *tree =
      xcb_query_tree_reply(w->conn, xcb_query_tree(w->conn, w->root), NULL);
  if (!tree) return OD_ERR_X11_CONNECTION_LOST;
  int n = xcb_query_tree_children_length(tree);
  xcb_window_t *kids = xcb_query_tree_children(tree);
  xcb_get_window_attributes_cookie_t *ck = malloc(sizeof *ck * (size_t)(n ? n : 1));
  *out = malloc(sizeof(xcb_window_t) * (size_t)(n ? n : 1));
  if (!ck || !*out) {
    free(ck);
    free(*out);
    *out = NULL;
    free(tree);
    return OD_ERR_NO_MEMORY;
  }
  for (int i = 0; i < n; i++) ck[i] = xcb_get_window_attributes(w->conn, kids[i]);
  for (int i = 0; i < n; i++) {
    xcb_get_window_attributes_reply_t *a = xcb_get_window_attributes_reply(w->conn, ck[i], NULL);
    if (a && a->map_state == XCB_MAP_STATE_VIEWABLE && !a->override_redirect &&
        a->_class == XCB_WINDOW_CLASS_INPUT_OUTPUT) {
      (*out)[(*count)++] = kids[i];
    }
    free(a);
  }
  free(ck);
  free(tree);
  return OD_OK;
}

static void write_window(od_windows *w, xcb_window_t win, WinCookies *c, xcb_window_t active,
                         int *written) {
  xcb_connection_t *x = w->conn;
  xcb_get_geometry_reply_t *g = xcb_get_geometry_reply(x, c->geom, NULL);
  xcb_translate_coordinates_reply_t *p = xcb_translate_coordinates_reply(x, c->pos, NULL);
  xcb_get_property_reply_t *net_name = xcb_get_property_reply(x, c->net_name, NULL);
  xcb_get_property_reply_t *name = xcb_get_property_reply(x, c->name, NULL);
  xcb_get_property_reply_t *cls = xcb_get_property_reply(x, c->cls, NULL);
  xcb_get_property_reply_t *pid = xcb_get_property_reply(x, c->pid, NULL);
  xcb_get_property_reply_t *state = xcb_get_property_reply(x, c->state, NULL);
  xcb_get_property_reply_t *desk = xcb_get_property_reply(x, c->desktop, NULL);
  xcb_get_property_reply_t *frame = xcb_get_property_reply(x, c->frame, NULL);
  xcb_get_property_reply_t *wm_state = xcb_get_property_reply(x, c->wm_state, NULL);
  if (g && p) { /* a window that vanished since the client list was read is skipped */
    OdjBuf *b = &w->out;
    if ((*written)++) odj_lit(b, ",");
    odj_lit(b, "{\"id\":");
    odj_int(b, win);
    odj_lit(b, ",\"title\":");
    if (net_name && xcb_get_property_value_length(net_name) > 0) {
      odj_strn(b, xcb_get_property_value(net_name), (size_t)xcb_get_property_value_length(net_name));
    } else if (name && name->format == 8) {
      odj_strn(b, xcb_get_property_value(name), (size_t)xcb_get_property_value_length(name));
    } else {
      odj_lit(b, "\"\"");
    }
    /* WM_CLASS is "instance\0class\0". */
    const char *cv = cls && cls->format == 8 ? xcb_get_property_value(cls) : "";
    size_t cl = cls && cls->format == 8 ? (size_t)xcb_get_property_value_length(cls) : 0;
    size_t inst_len = strnlen(cv, cl);
    const char *klass = inst_len + 1 < cl ? cv + inst_len + 1 : "";
    size_t klass_len = inst_len + 1 < cl ? strnlen(klass, cl - inst_len - 1) : 0;
    odj_lit(b, ",\"instance\":");
    odj_strn(b, cv, inst_len);
    odj_lit(b, ",\"class\":");
    odj_strn(b, klass, klass_len);
    odj_lit(b, ",\"pid\":");
    odj_int(b, odw_prop_u32(pid, 0, 0));
    odj_lit(b, ",\"x\":");
    odj_int(b, p->dst_x);
    odj_lit(b, ",\"y\":");
    odj_int(b, p->dst_y);
    odj_lit(b, ",\"width\":");
    odj_int(b, g->width);
    odj_lit(b, ",\"height\":");
    odj_int(b, g->height);
    odj_lit(b, ",\"frame\":[");
    for (uint32_t i = 0; i < 4; i++) {
      if (i) odj_lit(b, ",");
      odj_int(b, odw_prop_u32(frame, i, 0));
    }
    int hidden = 0;
    if (state && state->format == 32) {
      int n = xcb_get_property_value_length(state) / 4;
      xcb_atom_t *v = xcb_get_property_value(state);
      for (int i = 0; i < n; i++) hidden |= v[i] == w->atoms[A_NET_WM_STATE_HIDDEN];
    }
    hidden |= odw_prop_u32(wm_state, 0, 1) == 3; /* ICCCM IconicState */
    odj_lit(b, "],\"minimized\":");
    odj_bool(b, hidden);
    odj_lit(b, ",\"desktop\":");
    odj_int(b, desk && desk->format == 32 ? (long long)odw_prop_u32(desk, 0, 0) : -1);
    odj_lit(b, ",\"focused\":");
    odj_bool(b, win == active);
    odj_lit(b, "}");
  }
  free(g);
  free(p);
  free(net_name);
  free(name);
  free(cls);
  free(pid);
  free(state);
  free(desk);
  free(frame);
  free(wm_state);
}

xcb_window_t odw_active_window(od_windows *w) {
  xcb_get_property_reply_t *r =
      odw_get_prop(w, w->root, w->atoms[A_NET_ACTIVE_WINDOW], XCB_ATOM_WINDOW, 1);
  xcb_window_t win = odw_prop_u32(r, 0, 0);
  free(r);
  if (win) return win;
  xcb_get_input_focus_reply_t *f =
      xcb_get_input_focus_reply(w->conn, xcb_get_input_focus(w->conn), NULL);
  win = f && f->focus != w->root && f->focus > 1 ? f->focus : 0;
  free(f);
  return win;
}

static int copy_out(OdjBuf *src, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (src->oom) return OD_ERR_NO_MEMORY;
  *len = (uint32_t)src->len;
  if (src->len > cap || !buf) return OD_ERR_BUFFER_TOO_SMALL;
  memcpy(buf, src->data, src->len);
  return OD_OK;
}

OD_API int od_windows_list(od_windows *w, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!w || !len) return OD_ERR_INVALID_ARGUMENT;
  if (xcb_connection_has_error(w->conn)) return OD_ERR_X11_CONNECTION_LOST;
  xcb_window_t *wins = NULL;
  int n = 0;
  int status = client_list(w, &wins, &n);
  if (status != OD_OK) return status;
  xcb_window_t active = odw_active_window(w);
  WinCookies *ck = malloc(sizeof *ck * (size_t)(n ? n : 1));
  if (!ck) {
    free(wins);
    return OD_ERR_NO_MEMORY;
  }
  xcb_connection_t *x = w->conn;
  const xcb_atom_t *a = w->atoms;
  for (int i = 0; i < n; i++) {
    xcb_window_t win = wins[i];
    ck[i].net_name = xcb_get_property(x, 0, win, a[A_NET_WM_NAME], a[A_UTF8_STRING], 0, 4096);
    ck[i].name = xcb_get_property(x, 0, win, XCB_ATOM_WM_NAME, XCB_ATOM_ANY, 0, 4096);
    ck[i].cls = xcb_get_property(x, 0, win, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING, 0, 1024);
    ck[i].pid = xcb_get_property(x, 0, win, a[A_NET_WM_PID], XCB_ATOM_CARDINAL, 0, 1);
    ck[i].state = xcb_get_property(x, 0, win, a[A_NET_WM_STATE], XCB_ATOM_ATOM, 0, 64);
    ck[i].desktop = xcb_get_property(x, 0, win, a[A_NET_WM_DESKTOP], XCB_ATOM_CARDINAL, 0, 1);
    ck[i].frame = xcb_get_property(x, 0, win, a[A_NET_FRAME_EXTENTS], XCB_ATOM_CARDINAL, 0, 4);
    ck[i].wm_state = xcb_get_property(x, 0, win, a[A_WM_STATE], a[A_WM_STATE], 0, 2);
    ck[i].geom = xcb_get_geometry(x, win);
    ck[i].pos = xcb_translate_coordinates(x, win, w->root, 0, 0);
  }
  w->out.len = 0;
  odj_lit(&w->out, "[");
  int written = 0;
  for (int i = 0; i < n; i++) write_window(w, wins[i], &ck[i], active, &written);
  odj_lit(&w->out, "]");
  free(ck);
  free(wins);
  if (xcb_connection_has_error(x)) return OD_ERR_X11_CONNECTION_LOST;
  return copy_out(&w->out, buf, cap, len);
}

OD_API int od_windows_active(od_windows *w, uint32_t *out_window) {
  if (!w || !out_window) return OD_ERR_INVALID_ARGUMENT;
  *out_window = odw_active_window(w);
  return xcb_connection_has_error(w->conn) ? OD_ERR_X11_CONNECTION_LOST : OD_OK;
}
