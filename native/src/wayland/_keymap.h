/* The virtual keyboard's keymap (keymap.c), used by keyboard.c. All calls: lock held. */
#ifndef OD_WL_KEYMAP_H
#define OD_WL_KEYMAP_H

#include "_wayland.h"

/* Creates the virtual keyboard and uploads the plain layout (once). */
int od_kb_init(od_wayland *wl);
/* Uploads the layout plus the spare keycodes mapped now, and tracks its state. */
int od_kb_upload(od_wayland *wl);
/* Finds the XKB keycode that types `keysym` and the modifier mask of its level; maps a spare
 * keycode (uploading a new map) when the layout lacks it. */
int od_kb_lookup(od_wayland *wl, uint32_t keysym, uint32_t *code, uint32_t *mask);
void od_kb_free(od_wl_keyboard *kb);

#endif
