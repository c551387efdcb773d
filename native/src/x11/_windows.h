/* Internal declarations shared by windows.c and windows_actions.c (not part of the ABI). */
#ifndef OPENDESK_X11_WINDOWS_H
#define OPENDESK_X11_WINDOWS_H

#include <xcb/xcb.h>

#include "opendesk.h"
#include "_json_writer.h"

enum {
  A_NET_SUPPORTED,
  A_NET_CLIENT_LIST,
  A_NET_ACTIVE_WINDOW,
  A_NET_WM_NAME,
  A_NET_WM_PID,
  A_NET_WM_STATE,
  A_NET_WM_STATE_HIDDEN,
  A_NET_WM_DESKTOP,
  A_NET_CURRENT_DESKTOP,
  A_NET_CLOSE_WINDOW,
  A_NET_MOVERESIZE_WINDOW,
  A_NET_FRAME_EXTENTS,
  A_NET_SUPPORTING_WM_CHECK,
  A_UTF8_STRING,
  A_WM_STATE,
  A_WM_PROTOCOLS,
  A_WM_DELETE_WINDOW,
  A_COUNT
};

struct od_windows {
  xcb_connection_t *conn;
  xcb_window_t root;
  xcb_atom_t atoms[A_COUNT];
  OdjBuf out;
};

xcb_get_property_reply_t *odw_get_prop(od_windows *w, xcb_window_t win, xcb_atom_t prop,
                                       xcb_atom_t type, uint32_t max_words);
uint32_t odw_prop_u32(xcb_get_property_reply_t *r, uint32_t index, uint32_t fallback);
/* The _NET_ACTIVE_WINDOW (else the input focus) window, 0 for none. */
xcb_window_t odw_active_window(od_windows *w);

#endif
