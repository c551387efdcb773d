/* The keymap the shim uploads to its virtual keyboard: the plain layout (XKB_DEFAULT_* or
 * "us"), plus keysyms the layout lacks placed on keycodes the layout leaves empty. */
#define _GNU_SOURCE
#include "_keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int od_kb_init(od_wayland *wl) {
  od_wl_keyboard *kb = &wl->kb;
  if (kb->vk) return OD_OK;
  if (!wl->keyboard_manager || !wl->seat)
    return od_fail(OD_ERR_WAYLAND_NO_PROTOCOL, "The compositor does not offer a virtual keyboard "
                   "(zwp_virtual_keyboard_manager_v1)");
  if (!kb->ctx) kb->ctx = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
  if (kb->ctx && !kb->base) kb->base = xkb_keymap_new_from_names(kb->ctx, NULL, 0);
  if (!kb->base)
    return od_fail(OD_ERR_WAYLAND_KEYMAP, "Cannot build the keyboard layout from XKB_DEFAULT_* "
                   "(is xkb-data installed?)");
  if (!kb->base_text) kb->base_text = xkb_keymap_get_as_string(kb->base, XKB_KEYMAP_FORMAT_TEXT_V1);
  if (!kb->base_text) return od_fail(OD_ERR_WAYLAND_KEYMAP, "Cannot write the keyboard layout");
  kb->spare_count = 0;
  xkb_keycode_t max = xkb_keymap_max_keycode(kb->base);
  for (xkb_keycode_t k = xkb_keymap_min_keycode(kb->base); k <= max && k < 1024; k++) {
    if (kb->spare_count == OD_WL_MAX_SPARE) break;
    if (xkb_keymap_key_get_name(kb->base, k) && xkb_keymap_num_layouts_for_key(kb->base, k) == 0)
      kb->spare_code[kb->spare_count++] = k;
  }
  kb->vk = zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(wl->keyboard_manager, wl->seat);
  memset(kb->spare_sym, 0, sizeof kb->spare_sym);
  return od_kb_upload(wl);
}

/* The layout's text with `key <NAME> { [ sym ] };` added for every mapped spare keycode. */
static char *od_kb_text(od_wl_keyboard *kb) {
  const char *base = kb->base_text;
  const char *symbols = strstr(base, "xkb_symbols");
  const char *end = symbols ? strstr(symbols, "\n};") : NULL;
  if (!end) return NULL;
  size_t extra = 0;
  for (uint32_t i = 0; i < kb->spare_count; i++) extra += kb->spare_sym[i] ? 96 : 0;
  size_t head = (size_t)(end - base), total = strlen(base) + extra + 1;
  char *text = malloc(total);
  if (!text) return NULL;
  memcpy(text, base, head);
  size_t at = head;
  for (uint32_t i = 0; i < kb->spare_count; i++) {
    if (!kb->spare_sym[i]) continue;
    char sym[64];
    if (xkb_keysym_get_name(kb->spare_sym[i], sym, sizeof sym) < 0) continue;
    at += (size_t)snprintf(text + at, total - at, "\n\tkey <%s> { [ %s ] };",
                           xkb_keymap_key_get_name(kb->base, kb->spare_code[i]), sym);
  }
  snprintf(text + at, total - at, "%s", end);
  return text;
}

int od_kb_upload(od_wayland *wl) {
  od_wl_keyboard *kb = &wl->kb;
  int any = 0;
  for (uint32_t i = 0; i < kb->spare_count; i++) any |= kb->spare_sym[i] != 0;
  char *text = any ? od_kb_text(kb) : strdup(kb->base_text);
  if (!text) return od_fail(OD_ERR_WAYLAND_KEYMAP, "Cannot add keys to the keyboard layout");
  struct xkb_keymap *map = any ? xkb_keymap_new_from_string(kb->ctx, text,
                                                            XKB_KEYMAP_FORMAT_TEXT_V1, 0)
                               : xkb_keymap_ref(kb->base);
  size_t size = strlen(text) + 1;
  int fd = map ? od_wl_memfd("opendesk-keymap", text, size) : -1;
  free(text);
  if (fd < 0) {
    if (map) xkb_keymap_unref(map);
    return od_fail(OD_ERR_WAYLAND_KEYMAP, "Cannot build or share the extended keyboard layout");
  }
  zwp_virtual_keyboard_v1_keymap(kb->vk, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, fd, (uint32_t)size);
  close(fd); /* the request holds its own copy of the descriptor */
  /* A fresh state for the new map, with the keys still held pressed again. */
  struct xkb_state *state = xkb_state_new(map);
  for (uint32_t k = 0; k < sizeof kb->held; k++)
    if (kb->held[k]) xkb_state_update_key(state, k, XKB_KEY_DOWN);
  if (kb->state) xkb_state_unref(kb->state);
  if (kb->active) xkb_keymap_unref(kb->active);
  kb->state = state;
  kb->active = map;
  kb->spares_uploaded = any;
  return OD_OK;
}

int od_kb_lookup(od_wayland *wl, uint32_t keysym, uint32_t *code, uint32_t *mask) {
  od_wl_keyboard *kb = &wl->kb;
  xkb_keycode_t max = xkb_keymap_max_keycode(kb->base);
  for (xkb_keycode_t k = xkb_keymap_min_keycode(kb->base); k <= max; k++) {
    if (xkb_keymap_num_layouts_for_key(kb->base, k) == 0) continue;
    xkb_level_index_t levels = xkb_keymap_num_levels_for_key(kb->base, k, 0);
    for (xkb_level_index_t l = 0; l < levels; l++) {
      const xkb_keysym_t *syms;
      if (xkb_keymap_key_get_syms_by_level(kb->base, k, 0, l, &syms) != 1 || syms[0] != keysym)
        continue;
      xkb_mod_mask_t masks[4] = {0};
      size_t n = xkb_keymap_key_get_mods_for_level(kb->base, k, 0, l, masks, 4);
      if (l > 0 && n == 0) continue; /* a level no modifier reaches */
      *code = k;
      *mask = masks[0];
      return OD_OK;
    }
  }
  /* Not in the layout: a spare keycode, reusing one already mapped to it. */
  *mask = 0;
  for (uint32_t i = 0; i < kb->spare_count; i++) {
    if (kb->spare_sym[i] == keysym) {
      *code = kb->spare_code[i];
      return OD_OK;
    }
  }
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < kb->spare_count; i++) {
      if (kb->spare_sym[i] || kb->held[kb->spare_code[i]]) continue;
      kb->spare_sym[i] = keysym;
      *code = kb->spare_code[i];
      int status = od_kb_upload(wl);
      if (status != OD_OK) kb->spare_sym[i] = 0;
      return status;
    }
    /* All spares in use: forget the ones not held down and try again. */
    for (uint32_t i = 0; i < kb->spare_count; i++)
      if (!kb->held[kb->spare_code[i]]) kb->spare_sym[i] = 0;
  }
  return od_fail(OD_ERR_WAYLAND_KEYMAP, "No spare keycode is free for keysym 0x%x (all are held "
                 "down)", keysym);
}

void od_kb_free(od_wl_keyboard *kb) {
  if (kb->vk) zwp_virtual_keyboard_v1_destroy(kb->vk);
  if (kb->state) xkb_state_unref(kb->state);
  if (kb->active) xkb_keymap_unref(kb->active);
  if (kb->base) xkb_keymap_unref(kb->base);
  if (kb->ctx) xkb_context_unref(kb->ctx);
  free(kb->base_text);
  memset(kb, 0, sizeof *kb);
}
