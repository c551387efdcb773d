/*
 * Window actions through EWMH (opendesk.h: od_windows_focus, od_windows_move,
 * od_windows_request_close). Each checks first that the window exists, so a window that
 * vanished gives OD_ERR_NOT_FOUND; requests go out as client messages to the root window
 * (what the window manager acts on), or straight to the window without a window manager.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>

#include "opendesk.h"
#include "_windows.h"

/* Whether the window manager advertises `atom` in _NET_SUPPORTED (and is alive). */
static int wm_supports(od_windows *w, xcb_atom_t atom) {
  xcb_get_property_reply_t *check =
      odw_get_prop(w, w->root, w->atoms[A_NET_SUPPORTING_WM_CHECK], XCB_ATOM_WINDOW, 1);
  uint32_t wm = odw_prop_u32(check, 0, 0);
  free(check);
  if (!wm) return 0;
  xcb_get_property_reply_t *sup =
      odw_get_prop(w, w->root, w->atoms[A_NET_SUPPORTED], XCB_ATOM_ATOM, 4096);
  int found = 0;
  if (sup && sup->format == 32) {
    int n = xcb_get_property_value_length(sup) / 4;
    xcb_atom_t *v = xcb_get_property_value(sup);
    for (int i = 0; i < n && !found; i++) found = v[i] == atom;
  }
  free(sup);
  return found;
}

/* OD_OK when `win` exists, else OD_ERR_NOT_FOUND. */
static int check_window(od_windows *w, xcb_window_t win) {
  if (!win) return OD_ERR_NOT_FOUND;
  xcb_generic_error_t *err = NULL;
  xcb_get_window_attributes_reply_t *a =
      xcb_get_window_attributes_reply(w->conn, xcb_get_window_attributes(w->conn, win), &err);
  int status = a ? OD_OK : err ? OD_ERR_NOT_FOUND : OD_ERR_X11_CONNECTION_LOST;
  free(a);
  free(err);
  return status;
}

static void send_root_message(od_windows *w, xcb_window_t win, xcb_atom_t type,
                              const uint32_t data[5]) {
  xcb_client_message_event_t ev;
  memset(&ev, 0, sizeof ev);
  ev.response_type = XCB_CLIENT_MESSAGE;
  ev.format = 32;
  ev.window = win;
  ev.type = type;
  memcpy(ev.data.data32, data, sizeof(uint32_t) * 5);
  xcb_send_event(w->conn, 0, w->root,
                 XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT | XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY,
                 (const char *)&ev);
}

/* Round trip that surfaces errors of earlier unchecked requests as a status. */
static int sync_status(od_windows *w) {
  xcb_get_input_focus_reply_t *r =
      xcb_get_input_focus_reply(w->conn, xcb_get_input_focus(w->conn), NULL);
  free(r);
  return r && !xcb_connection_has_error(w->conn) ? OD_OK : OD_ERR_X11_CONNECTION_LOST;
}

OD_API int od_windows_focus(od_windows *w, uint32_t win) {
  if (!w) return OD_ERR_INVALID_ARGUMENT;
  int status = check_window(w, win);
  if (status != OD_OK) return status;
  if (wm_supports(w, w->atoms[A_NET_ACTIVE_WINDOW])) {
    xcb_get_property_reply_t *d = odw_get_prop(w, win, w->atoms[A_NET_WM_DESKTOP], XCB_ATOM_CARDINAL, 1);
    uint32_t desk = odw_prop_u32(d, 0, 0xFFFFFFFFu);
    free(d);
    if (desk != 0xFFFFFFFFu && wm_supports(w, w->atoms[A_NET_CURRENT_DESKTOP])) {
      uint32_t dd[5] = {desk, XCB_CURRENT_TIME, 0, 0, 0};
      send_root_message(w, w->root, w->atoms[A_NET_CURRENT_DESKTOP], dd);
    }
    /* Mapping a withdrawn/iconic client asks the WM to de-iconify it (ICCCM 4.1.4). */
    xcb_map_window(w->conn, win);
    uint32_t data[5] = {2 /* source: pager */, XCB_CURRENT_TIME, odw_active_window(w), 0, 0};
    send_root_message(w, win, w->atoms[A_NET_ACTIVE_WINDOW], data);
  } else {
    uint32_t above = XCB_STACK_MODE_ABOVE;
    xcb_map_window(w->conn, win);
    xcb_configure_window(w->conn, win, XCB_CONFIG_WINDOW_STACK_MODE, &above);
    xcb_set_input_focus(w->conn, XCB_INPUT_FOCUS_POINTER_ROOT, win, XCB_CURRENT_TIME);
  }
  status = sync_status(w);
  return status == OD_OK ? check_window(w, win) : status;
}

OD_API int od_windows_move(od_windows *w, uint32_t win, int32_t x, int32_t y, uint32_t width,
                           uint32_t height) {
  if (!w || width == 0 || height == 0 || width > 65535 || height > 65535) {
    return OD_ERR_INVALID_ARGUMENT;
  }
  int status = check_window(w, win);
  if (status != OD_OK) return status;
  if (wm_supports(w, w->atoms[A_NET_MOVERESIZE_WINDOW])) {
    /* StaticGravity (10): x/y are the client window's own root position; flags x,y,w,h. */
    uint32_t data[5] = {10u | (0xFu << 8) | (2u << 12), (uint32_t)x, (uint32_t)y, width, height};
    send_root_message(w, win, w->atoms[A_NET_MOVERESIZE_WINDOW], data);
  } else {
    uint32_t values[4] = {(uint32_t)x, (uint32_t)y, width, height};
    xcb_configure_window(w->conn, win,
                         XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y | XCB_CONFIG_WINDOW_WIDTH |
                             XCB_CONFIG_WINDOW_HEIGHT,
                         values);
  }
  status = sync_status(w);
  return status == OD_OK ? check_window(w, win) : status;
}

static int supports_delete(od_windows *w, xcb_window_t win) {
  xcb_get_property_reply_t *r = odw_get_prop(w, win, w->atoms[A_WM_PROTOCOLS], XCB_ATOM_ATOM, 32);
  int found = 0;
  if (r && r->format == 32) {
    int n = xcb_get_property_value_length(r) / 4;
    xcb_atom_t *v = xcb_get_property_value(r);
    for (int i = 0; i < n; i++) found |= v[i] == w->atoms[A_WM_DELETE_WINDOW];
  }
  free(r);
  return found;
}

OD_API int od_windows_request_close(od_windows *w, uint32_t win) {
  if (!w) return OD_ERR_INVALID_ARGUMENT;
  int status = check_window(w, win);
  if (status != OD_OK) return status;
  if (wm_supports(w, w->atoms[A_NET_CLOSE_WINDOW])) {
    uint32_t data[5] = {XCB_CURRENT_TIME, 2, 0, 0, 0};
    send_root_message(w, win, w->atoms[A_NET_CLOSE_WINDOW], data);
  } else if (supports_delete(w, win)) {
    xcb_client_message_event_t ev;
    memset(&ev, 0, sizeof ev);
    ev.response_type = XCB_CLIENT_MESSAGE;
    ev.format = 32;
    ev.window = win;
    ev.type = w->atoms[A_WM_PROTOCOLS];
    ev.data.data32[0] = w->atoms[A_WM_DELETE_WINDOW];
    ev.data.data32[1] = XCB_CURRENT_TIME;
    xcb_send_event(w->conn, 0, win, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
  } else {
    /* Neither a window manager nor WM_DELETE_WINDOW: disconnect the owning client, as xkill. */
    xcb_kill_client(w->conn, win);
  }
  return sync_status(w);
}
