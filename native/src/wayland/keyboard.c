/* Keys and text through the virtual keyboard. A virtual keyboard's key events do not change
 * the seat's modifiers by themselves: the shim tracks its own XKB state and sends the
 * modifiers after every change, adding a level's Shift/AltGr around a key that needs it. */
#define _GNU_SOURCE
#include "_keymap.h"

#include <time.h>

/* Sends the modifiers of the tracked state plus `extra` when they differ from the last sent. */
static void od_kb_send_mods(od_wayland *wl, uint32_t extra) {
  od_wl_keyboard *kb = &wl->kb;
  uint32_t m[4] = {
      xkb_state_serialize_mods(kb->state, XKB_STATE_MODS_DEPRESSED) | extra,
      xkb_state_serialize_mods(kb->state, XKB_STATE_MODS_LATCHED),
      xkb_state_serialize_mods(kb->state, XKB_STATE_MODS_LOCKED),
      xkb_state_serialize_layout(kb->state, XKB_STATE_LAYOUT_EFFECTIVE),
  };
  if (kb->sent_valid && m[0] == kb->sent[0] && m[1] == kb->sent[1] && m[2] == kb->sent[2] &&
      m[3] == kb->sent[3])
    return;
  zwp_virtual_keyboard_v1_modifiers(kb->vk, m[0], m[1], m[2], m[3]);
  for (int i = 0; i < 4; i++) kb->sent[i] = m[i];
  kb->sent_valid = 1;
}

/* Presses or releases XKB keycode `code` (evdev code + 8). */
static void od_kb_send_key(od_wayland *wl, uint32_t code, int down) {
  od_wl_keyboard *kb = &wl->kb;
  uint32_t state = down ? WL_KEYBOARD_KEY_STATE_PRESSED : WL_KEYBOARD_KEY_STATE_RELEASED;
  zwp_virtual_keyboard_v1_key(kb->vk, od_wl_now_ms(), code - 8, state);
  kb->held[code] = (uint8_t)(down != 0);
  xkb_state_update_key(kb->state, code, down ? XKB_KEY_DOWN : XKB_KEY_UP);
}

OD_API int od_wayland_input_key(od_wayland *wl, uint32_t keysym, uint32_t down) {
  if (!wl || keysym == XKB_KEY_NoSymbol)
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_input_key: NULL handle or no keysym");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  uint32_t code = 0, mask = 0;
  status = od_kb_init(wl);
  if (status == OD_OK) status = od_kb_lookup(wl, keysym, &code, &mask);
  if (status == OD_OK && !down && !wl->kb.held[code]) {
    status = OD_OK; /* releasing a key that is not down: nothing to do */
  } else if (status == OD_OK) {
    /* A key on a shifted level gets its modifiers while it is pressed. */
    if (down) od_kb_send_mods(wl, mask);
    od_kb_send_key(wl, code, (int)down);
    od_kb_send_mods(wl, 0);
  }
  return od_wl_end(wl, status);
}

static uint32_t od_text_keysym(uint32_t cp) {
  if (cp == '\n' || cp == '\r') return XKB_KEY_Return;
  if (cp == '\t') return XKB_KEY_Tab;
  if (cp == '\b') return XKB_KEY_BackSpace;
  return xkb_utf32_to_keysym(cp);
}

OD_API int od_wayland_input_text(od_wayland *wl, const uint32_t *codepoints, uint32_t count,
                                 uint32_t interval_us, uint32_t *typed) {
  if (!wl || (count > 0 && !codepoints) || !typed)
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_input_text: NULL argument");
  *typed = 0;
  int status = OD_OK;
  for (uint32_t i = 0; i < count && status == OD_OK; i++) {
    uint32_t keysym = od_text_keysym(codepoints[i]);
    if (keysym == XKB_KEY_NoSymbol)
      return od_fail(OD_ERR_INVALID_ARGUMENT, "Character %u (U+%04X) cannot be typed: it is "
                     "not a Unicode scalar value", i, codepoints[i]);
    status = od_wl_begin(wl);
    if (status != OD_OK) return status;
    uint32_t code = 0, mask = 0;
    status = od_kb_init(wl);
    if (status == OD_OK) status = od_kb_lookup(wl, keysym, &code, &mask);
    if (status == OD_OK) {
      od_kb_send_mods(wl, mask);
      od_kb_send_key(wl, code, 1);
      od_kb_send_key(wl, code, 0);
      /* Every 32 characters, wait until the compositor has taken them, so neither its
       * buffers nor the receiving client's overflow. */
      if (i % 32 == 31) status = od_wl_sync(wl, 5000);
    }
    status = od_wl_end(wl, status);
    if (status == OD_OK) *typed = i + 1;
    if (status == OD_OK && interval_us > 0) {
      struct timespec ts = {interval_us / 1000000u, (long)(interval_us % 1000000u) * 1000L};
      nanosleep(&ts, NULL);
    }
  }
  if (status == OD_OK && count > 0) {
    status = od_wl_begin(wl);
    if (status != OD_OK) return status;
    od_kb_send_mods(wl, 0);
    status = od_wl_end(wl, od_wl_sync(wl, 5000));
  }
  return status;
}

OD_API int od_wayland_input_keymap_restore(od_wayland *wl) {
  if (!wl) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_input_keymap_restore: NULL handle");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  od_wl_keyboard *kb = &wl->kb;
  if (kb->vk && kb->spares_uploaded) {
    int held = 0;
    for (uint32_t i = 0; i < kb->spare_count; i++) {
      if (kb->held[kb->spare_code[i]]) held = 1;
      else kb->spare_sym[i] = 0;
    }
    if (!held) status = od_kb_upload(wl);
  }
  return od_wl_end(wl, status);
}

/* Releases every held key and button (lock held). */
static void od_release_locked(od_wayland *wl) {
  od_wl_keyboard *kb = &wl->kb;
  if (kb->vk) {
    for (uint32_t k = 0; k < sizeof kb->held; k++)
      if (kb->held[k]) od_kb_send_key(wl, k, 0);
    od_kb_send_mods(wl, 0);
  }
  od_wl_pointer_release(wl);
}

OD_API int od_wayland_input_release_all(od_wayland *wl) {
  if (!wl) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_input_release_all: NULL handle");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  od_release_locked(wl);
  return od_wl_end(wl, status);
}

OD_API int od_wayland_input_modifier_state(od_wayland *wl, uint32_t *mods, uint32_t *locked) {
  if (!wl || !mods || !locked)
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_input_modifier_state: NULL argument");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  *mods = *locked = 0;
  if (wl->kb.state) {
    *mods = xkb_state_serialize_mods(wl->kb.state, XKB_STATE_MODS_EFFECTIVE);
    *locked = xkb_state_serialize_mods(wl->kb.state, XKB_STATE_MODS_LOCKED);
  }
  return od_wl_end(wl, status);
}

/* Creates the virtual pointer and keyboard at open. Without another device, their arrival
 * gives the seat its pointer and keyboard: clients then create their wl_pointer/wl_keyboard,
 * and events sent before they did would be lost. Creating them at open (and waiting until the
 * seat announces them) leaves clients that time, whenever the first input comes. */
void od_wl_input_start(od_wayland *wl) {
  uint32_t want = 0;
  if (wl->pointer_manager && wl->seat) {
    wl->pointer = zwlr_virtual_pointer_manager_v1_create_virtual_pointer(wl->pointer_manager,
                                                                         wl->seat);
    want |= WL_SEAT_CAPABILITY_POINTER;
  }
  if (od_kb_init(wl) == OD_OK) want |= WL_SEAT_CAPABILITY_KEYBOARD;
  for (int i = 0; i < 10 && (wl->seat_caps & want) != want; i++)
    if (wl_display_roundtrip(wl->display) < 0) break;
}

void od_wl_input_free(od_wayland *wl) {
  od_release_locked(wl);
  if (wl->pointer) zwlr_virtual_pointer_v1_destroy(wl->pointer);
  wl->pointer = NULL;
  od_kb_free(&wl->kb);
}
