/* Input injection through XTEST: pointer motion and buttons, keys by keysym,
 * and Unicode text. Every press is recorded so od_input_release_all (and
 * od_display_close) can release whatever is still down. */
#include "_x11.h"

#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
#include <stdlib.h>

#define OD_TEXT_BATCH 64

static int od_need_xtest(od_display *d) {
  if (d->features & OD_FEATURE_XTEST) return OD_OK;
  return od_x11_fail(d, OD_ERR_X11_NO_EXTENSION,
                     "Cannot inject input: the X server lacks the XTEST extension");
}

static void od_held_set(od_display *d, uint32_t is_button, uint32_t code, int down) {
  for (uint32_t i = 0; i < d->held_count; i++) {
    if (d->held[i].is_button == is_button && d->held[i].code == code) {
      if (!down) d->held[i] = d->held[--d->held_count];
      return;
    }
  }
  if (down && d->held_count < OD_MAX_HELD) d->held[d->held_count++] = (od_held){is_button, code};
}

int od_x11_fake_key(od_display *d, KeyCode keycode, int down) {
  XTestFakeKeyEvent(d->dpy, keycode, down ? True : False, CurrentTime);
  od_held_set(d, 0, keycode, down);
  return OD_OK;
}

int od_x11_fake_button(od_display *d, uint32_t button, int down) {
  XTestFakeButtonEvent(d->dpy, button, down ? True : False, CurrentTime);
  od_held_set(d, 1, button, down);
  return OD_OK;
}

OD_API int od_input_pointer_move(od_display *d, int32_t x, int32_t y) {
  if (!d) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  status = od_need_xtest(d);
  if (status == OD_OK) {
    XTestFakeMotionEvent(d->dpy, d->screen, x, y, CurrentTime);
    XFlush(d->dpy);
  }
  return od_x11_end(d, status);
}

OD_API int od_input_pointer_button(od_display *d, uint32_t button, uint32_t down) {
  if (!d) return OD_ERR_INVALID_ARGUMENT;
  if (button < 1 || button > 9) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  status = od_need_xtest(d);
  if (status == OD_OK) {
    od_x11_fake_button(d, button, down != 0);
    XFlush(d->dpy);
  }
  return od_x11_end(d, status);
}

/* The keycode of a layout key for a modifier keysym such as Shift_L. */
static KeyCode od_modifier_key(od_display *d, KeySym ks) { return XKeysymToKeycode(d->dpy, ks); }

OD_API int od_input_key(od_display *d, uint32_t keysym, uint32_t down) {
  if (!d || keysym == NoSymbol) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  status = od_need_xtest(d);
  od_layout *layout = NULL;
  if (status == OD_OK) status = od_x11_key_layout_new(d, &layout);
  KeyCode kc = 0;
  int shift = 0;
  if (status == OD_OK) status = od_x11_keycode_for(d, layout, keysym, down != 0, &kc, &shift);
  if (status == OD_OK) {
    /* A key found only on a shifted or AltGr level gets Shift / AltGr for its
     * press, unless the caller already holds Shift (releasing it would drop
     * their chord). */
    XkbStateRec st;
    if ((shift & OD_ADD_SHIFT) && (d->features & OD_FEATURE_XKB) &&
        XkbGetState(d->dpy, XkbUseCoreKbd, &st) == Success && (st.mods & ShiftMask))
      shift &= ~OD_ADD_SHIFT;
    KeyCode shift_kc = (shift & OD_ADD_SHIFT) && down ? od_modifier_key(d, XK_Shift_L) : 0;
    KeyCode level3_kc = (shift & OD_ADD_LEVEL3) && down ? od_x11_layout_level3_key(layout) : 0;
    if (level3_kc) od_x11_fake_key(d, level3_kc, 1);
    if (shift_kc) od_x11_fake_key(d, shift_kc, 1);
    od_x11_fake_key(d, kc, down != 0);
    if (shift_kc) od_x11_fake_key(d, shift_kc, 0);
    if (level3_kc) od_x11_fake_key(d, level3_kc, 0);
    if (!down) od_x11_spare_release(d, kc);
    XSync(d->dpy, False);
  }
  free(layout);
  return od_x11_end(d, status);
}

static KeySym od_codepoint_keysym(uint32_t cp) {
  if (cp == '\n' || cp == '\r') return XK_Return;
  if (cp == '\t') return XK_Tab;
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff) return NoSymbol;
  return 0x01000000 | cp;
}

OD_API int od_input_text(od_display *d, const uint32_t *codepoints, uint32_t count,
                         uint32_t interval_us, uint32_t *typed) {
  if (!d || !typed || (count > 0 && !codepoints)) return OD_ERR_INVALID_ARGUMENT;
  *typed = 0;
  KeySym syms[OD_TEXT_BATCH];
  for (uint32_t i = 0; i < count; i++) {
    if (od_codepoint_keysym(codepoints[i]) == NoSymbol) {
      d->error[0] = '\0';
      return od_x11_fail(d, OD_ERR_INVALID_ARGUMENT,
                         "Cannot type character U+%04X: control characters other than tab and "
                         "line breaks cannot be typed",
                         codepoints[i]);
    }
  }
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  status = od_need_xtest(d);
  od_layout *layout = NULL;
  if (status == OD_OK) status = od_x11_layout_new(d, &layout);
  KeyCode shift_kc = status == OD_OK ? od_modifier_key(d, XK_Shift_L) : 0;
  uint32_t i = 0;
  while (status == OD_OK && i < count) {
    /* A batch: the next characters whose missing keysyms fit in the spares. */
    uint32_t n = 0, missing = 0;
    while (i + n < count && n < OD_TEXT_BATCH) {
      KeySym ks = od_codepoint_keysym(codepoints[i + n]);
      KeyCode kc;
      int shift, seen = 0;
      for (uint32_t k = 0; k < n; k++)
        if (syms[k] == ks) seen = 1;
      if (!seen && !od_x11_layout_find(layout, ks, &kc, &shift)) {
        if (missing == d->spare_count && n > 0) break;
        missing++;
      }
      syms[n++] = ks;
    }
    status = od_x11_keymap_prepare(d, layout, syms, n);
    for (uint32_t k = 0; status == OD_OK && k < n; k++) {
      KeyCode kc = 0;
      int shift = 0;
      status = od_x11_keycode_for(d, layout, syms[k], 0, &kc, &shift);
      if (status != OD_OK) break;
      KeyCode level3_kc = (shift & OD_ADD_LEVEL3) ? od_x11_layout_level3_key(layout) : 0;
      if (level3_kc) od_x11_fake_key(d, level3_kc, 1);
      if ((shift & OD_ADD_SHIFT) && shift_kc) od_x11_fake_key(d, shift_kc, 1);
      od_x11_fake_key(d, kc, 1);
      od_x11_fake_key(d, kc, 0);
      if ((shift & OD_ADD_SHIFT) && shift_kc) od_x11_fake_key(d, shift_kc, 0);
      if (level3_kc) od_x11_fake_key(d, level3_kc, 0);
      *typed += 1;
      if (interval_us > 0) {
        XSync(d->dpy, False);
        pthread_mutex_unlock(&d->lock);
        od_sleep_us(interval_us);
        pthread_mutex_lock(&d->lock);
        if (d->lost) status = OD_ERR_X11_CONNECTION_LOST;
      } else {
        XFlush(d->dpy);
      }
    }
    i += n;
  }
  if (!d->lost) XSync(d->dpy, False);
  free(layout);
  return od_x11_end(d, status);
}

OD_API int od_input_release_all(od_display *d) {
  if (!d) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  while (d->held_count > 0) {
    od_held h = d->held[d->held_count - 1];
    if (h.is_button) {
      od_x11_fake_button(d, h.code, 0);
    } else {
      od_x11_fake_key(d, (KeyCode)h.code, 0);
      od_x11_spare_release(d, (KeyCode)h.code);
    }
  }
  XSync(d->dpy, False);
  return od_x11_end(d, status);
}

OD_API int od_input_modifier_state(od_display *d, uint32_t *mods, uint32_t *locked) {
  if (!d || !mods || !locked) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  XkbStateRec st;
  if (!(d->features & OD_FEATURE_XKB)) {
    status = od_x11_fail(d, OD_ERR_X11_NO_EXTENSION,
                         "Cannot read the modifier state: the X server lacks XKEYBOARD");
  } else if (XkbGetState(d->dpy, XkbUseCoreKbd, &st) != Success) {
    status = od_x11_fail(d, OD_ERR_X11_REQUEST, "Cannot read the modifier state");
  } else {
    *mods = st.mods;
    *locked = st.locked_mods;
  }
  return od_x11_end(d, status);
}
