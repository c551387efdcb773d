/* Keysym -> keycode resolution against the live layout, and the spare
 * keycodes the shim maps when the layout has no key for a keysym (typing
 * arbitrary Unicode through XTEST without touching the clipboard).
 *
 * A client interprets a key event with the mapping it fetches when it reads
 * the event, which may be after the shim has already changed the mapping
 * again. So before a used spare keycode is given a new keysym (or unmapped),
 * the client receiving keys is asked to confirm it caught up (key_barrier.c);
 * a client that cannot answer gets OD_SETTLE_US since the spare's last use. */
#include "_x11.h"

#include <X11/XKBlib.h>
#include <X11/keysym.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OD_SETTLE_US 60000
/* How long the client receiving keys gets to confirm it caught up. */
#define OD_BARRIER_MS 2000

void od_now(struct timespec *ts) { clock_gettime(CLOCK_MONOTONIC, ts); }

uint64_t od_elapsed_us(const struct timespec *since) {
  struct timespec now;
  od_now(&now);
  int64_t us = (int64_t)(now.tv_sec - since->tv_sec) * 1000000 +
               (now.tv_nsec - since->tv_nsec) / 1000;
  return us < 0 ? 0 : (uint64_t)us;
}

void od_sleep_us(uint64_t us) {
  struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

void od_x11_keymap_scan(od_display *d) {
  int min = 0, max = 0, per = 0;
  XDisplayKeycodes(d->dpy, &min, &max);
  if (min < 9) min = 9; /* keycode 8 is not delivered by every XKB setup */
  KeySym *map = XGetKeyboardMapping(d->dpy, (KeyCode)min, max - min + 1, &per);
  if (!map) return;
  d->spare_count = 0;
  for (int kc = max; kc >= min && d->spare_count < OD_MAX_SPARE; kc--) {
    int empty = 1;
    for (int i = 0; i < per; i++)
      if (map[(kc - min) * per + i] != NoSymbol) empty = 0;
    if (empty) {
      od_spare_key *s = &d->spare[d->spare_count++];
      memset(s, 0, sizeof *s);
      s->keycode = (KeyCode)kc;
      s->keysym = NoSymbol;
    }
  }
  XFree(map);
}

static od_spare_key *od_spare_by_code(od_display *d, KeyCode kc) {
  for (uint32_t i = 0; i < d->spare_count; i++)
    if (d->spare[i].keycode == kc) return &d->spare[i];
  return NULL;
}

static od_spare_key *od_spare_by_sym(od_display *d, KeySym ks) {
  for (uint32_t i = 0; i < d->spare_count; i++)
    if (d->spare[i].keysym == ks) return &d->spare[i];
  return NULL;
}

/* What each non-spare keycode produces with Shift and AltGr (ISO_Level3_Shift)
 * added or not (pass bit 0: Shift, bit 1: AltGr; AltGr passes only when the
 * layout has such a key), in the current modifier state (typing text: the
 * characters must come out whatever is held or locked) or with no modifier
 * at all (pressing a key: a held Shift must act on the key, as on a physical
 * keyboard, instead of making the key look missing). Built once per call,
 * then searched per keysym. */
struct od_layout {
  int min, max;
  int passes;
  KeyCode level3_key;
  KeySym sym[4][256];
};

static void od_layout_build(od_display *d, od_layout *t, int base) {
  memset(t, 0, sizeof *t);
  XDisplayKeycodes(d->dpy, &t->min, &t->max);
  if (t->max > 255) t->max = 255;
  t->passes = 2;
  XkbStateRec st;
  if ((d->features & OD_FEATURE_XKB) && XkbGetState(d->dpy, XkbUseCoreKbd, &st) == Success) {
    unsigned int state = XkbBuildCoreState(base ? 0 : st.mods, st.group);
    unsigned int level3 = XkbKeysymToModifiers(d->dpy, XK_ISO_Level3_Shift);
    t->level3_key = level3 ? XKeysymToKeycode(d->dpy, XK_ISO_Level3_Shift) : 0;
    if (t->level3_key && !od_spare_by_code(d, t->level3_key)) t->passes = 4;
    for (int pass = 0; pass < t->passes; pass++)
      for (int code = t->min; code <= t->max; code++) {
        unsigned int consumed = 0;
        KeySym got = NoSymbol;
        unsigned int mods = (pass & 1 ? ShiftMask : 0) | (pass & 2 ? level3 : 0);
        if (XkbLookupKeySym(d->dpy, (KeyCode)code, state | mods, &consumed, &got))
          t->sym[pass][code] = got;
      }
  } else {
    int per = 0;
    KeySym *map = XGetKeyboardMapping(d->dpy, (KeyCode)t->min, t->max - t->min + 1, &per);
    for (int code = t->min; map && code <= t->max; code++)
      for (int pass = 0; pass < 2 && pass < per; pass++)
        t->sym[pass][code] = map[(code - t->min) * per + pass];
    if (map) XFree(map);
  }
  for (uint32_t i = 0; i < d->spare_count; i++)
    for (int pass = 0; pass < 4; pass++) t->sym[pass][d->spare[i].keycode] = NoSymbol;
}

/* Finds a layout key producing `ks`; *shift says which modifiers to add
 * (OD_ADD_SHIFT, OD_ADD_LEVEL3), preferring the fewest. */
int od_x11_layout_find(const od_layout *t, KeySym ks, KeyCode *kc, int *shift) {
  if (ks == NoSymbol) return 0;
  for (int pass = 0; pass < t->passes; pass++)
    for (int code = t->min; code <= t->max; code++)
      if (t->sym[pass][code] == ks) {
        *kc = (KeyCode)code;
        *shift = pass;
        return 1;
      }
  return 0;
}

/* Whether a key event at `used` may not have been handled yet: it came after
 * the last confirmation from the client receiving keys. */
static int od_keys_unconfirmed(const od_display *d, const struct timespec *used) {
  return used->tv_sec > d->barrier_at.tv_sec ||
         (used->tv_sec == d->barrier_at.tv_sec && used->tv_nsec >= d->barrier_at.tv_nsec);
}

/* Sends what is queued, then waits for the client receiving keys to confirm
 * it handled it; records the time on success. Lock held (released inside). */
static int od_confirm_keys(od_display *d) {
  XSync(d->dpy, False);
  struct timespec asked;
  od_now(&asked);
  if (!od_x11_key_barrier(d, OD_BARRIER_MS)) return 0;
  d->barrier_at = asked;
  return 1;
}

/* Points a spare keycode at `ks` (both levels, so Shift and Caps Lock do not
 * matter), once the client receiving keys handled its earlier use. */
static int od_spare_assign(od_display *d, KeySym ks, const KeySym *keep, uint32_t nkeep,
                           od_spare_key **out) {
  od_spare_key *best = NULL;
  for (uint32_t i = 0; i < d->spare_count; i++) {
    od_spare_key *s = &d->spare[i];
    if (s->held) continue;
    int kept = 0;
    for (uint32_t k = 0; k < nkeep; k++)
      if (keep[k] != NoSymbol && s->keysym == keep[k]) kept = 1;
    if (kept) continue;
    if (s->keysym == NoSymbol && (!best || best->keysym != NoSymbol)) {
      best = s;
      continue;
    }
    if (!best || (best->keysym != NoSymbol &&
                  (s->last_used.tv_sec < best->last_used.tv_sec ||
                   (s->last_used.tv_sec == best->last_used.tv_sec &&
                    s->last_used.tv_nsec < best->last_used.tv_nsec))))
      best = s;
  }
  if (!best)
    return od_x11_fail(d, OD_ERR_X11_NO_KEYCODE,
                       "Cannot type keysym 0x%lx: the layout has no key for it and every spare "
                       "keycode is in use",
                       (unsigned long)ks);
  if (best->keysym != NoSymbol && od_keys_unconfirmed(d, &best->last_used)) {
    uint64_t since = od_elapsed_us(&best->last_used);
    if (od_confirm_keys(d)) {
      if (d->lost)
        return od_x11_fail(d, OD_ERR_X11_CONNECTION_LOST,
                           "The X server connection was lost: reopen the display");
    } else if (since < OD_SETTLE_US) {
      pthread_mutex_unlock(&d->lock);
      od_sleep_us(OD_SETTLE_US - since);
      pthread_mutex_lock(&d->lock);
      if (d->lost)
        return od_x11_fail(d, OD_ERR_X11_CONNECTION_LOST,
                           "The X server connection was lost: reopen the display");
    }
  }
  KeySym syms[2] = {ks, ks};
  od_x11_trap_begin(d);
  XChangeKeyboardMapping(d->dpy, best->keycode, 2, syms, 1);
  int status = od_x11_trap_end(d, "map a spare keycode");
  if (status != OD_OK) return status;
  best->keysym = ks;
  od_now(&best->last_used);
  *out = best;
  return OD_OK;
}

KeyCode od_x11_layout_level3_key(const od_layout *t) { return t->level3_key; }

int od_x11_layout_new(od_display *d, od_layout **out) {
  *out = malloc(sizeof(od_layout));
  if (!*out) return od_x11_fail(d, OD_ERR_NO_MEMORY, "Cannot read the keyboard layout: out of memory");
  od_layout_build(d, *out, 0);
  return OD_OK;
}

int od_x11_key_layout_new(od_display *d, od_layout **out) {
  *out = malloc(sizeof(od_layout));
  if (!*out) return od_x11_fail(d, OD_ERR_NO_MEMORY, "Cannot read the keyboard layout: out of memory");
  od_layout_build(d, *out, 1);
  return OD_OK;
}

int od_x11_keycode_for(od_display *d, const od_layout *layout, KeySym keysym, int pin,
                       KeyCode *keycode, int *shift) {
  od_spare_key *s = od_spare_by_sym(d, keysym);
  if (s) {
    *keycode = s->keycode;
    *shift = 0;
  } else if (od_x11_layout_find(layout, keysym, keycode, shift)) {
    return OD_OK;
  } else {
    if (d->spare_count == 0)
      return od_x11_fail(d, OD_ERR_X11_NO_KEYCODE,
                         "Cannot type keysym 0x%lx: the layout has no key for it and no spare "
                         "keycode is free",
                         (unsigned long)keysym);
    int status = od_spare_assign(d, keysym, NULL, 0, &s);
    if (status != OD_OK) return status;
    *keycode = s->keycode;
    *shift = 0;
  }
  if (pin) s->held = 1;
  od_now(&s->last_used);
  return OD_OK;
}

void od_x11_spare_release(od_display *d, KeyCode keycode) {
  od_spare_key *s = od_spare_by_code(d, keycode);
  if (s) {
    s->held = 0;
    od_now(&s->last_used);
  }
}

/* Maps every keysym of `syms` that has neither a layout key nor a spare yet,
 * all at once, before a run of typing (one wait, one round trip). */
int od_x11_keymap_prepare(od_display *d, const od_layout *layout, const KeySym *syms,
                          uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    KeyCode kc;
    int shift;
    if (od_spare_by_sym(d, syms[i]) || od_x11_layout_find(layout, syms[i], &kc, &shift)) continue;
    od_spare_key *s;
    int status = od_spare_assign(d, syms[i], syms, n, &s);
    if (status != OD_OK) return status;
  }
  return OD_OK;
}

int od_x11_keymap_restore_locked(od_display *d, uint32_t settle_us) {
  uint64_t wait = 0;
  int unconfirmed = 0;
  for (uint32_t i = 0; i < d->spare_count; i++) {
    od_spare_key *s = &d->spare[i];
    if (s->keysym == NoSymbol || s->held) continue;
    unconfirmed |= od_keys_unconfirmed(d, &s->last_used);
    uint64_t since = od_elapsed_us(&s->last_used);
    if (since < settle_us && settle_us - since > wait) wait = settle_us - since;
  }
  if (unconfirmed && od_confirm_keys(d)) wait = 0;
  if (wait > 0 && !d->lost) {
    pthread_mutex_unlock(&d->lock);
    od_sleep_us(wait);
    pthread_mutex_lock(&d->lock);
  }
  KeySym none[2] = {NoSymbol, NoSymbol};
  int changed = 0;
  for (uint32_t i = 0; i < d->spare_count && !d->lost; i++) {
    od_spare_key *s = &d->spare[i];
    if (s->keysym == NoSymbol || s->held) continue;
    XChangeKeyboardMapping(d->dpy, s->keycode, 2, none, 1);
    s->keysym = NoSymbol;
    changed = 1;
  }
  if (changed && !d->lost) XSync(d->dpy, False);
  return d->lost ? OD_ERR_X11_CONNECTION_LOST : OD_OK;
}

OD_API int od_input_keymap_restore(od_display *d, uint32_t settle_us) {
  if (!d) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  return od_x11_end(d, od_x11_keymap_restore_locked(d, settle_us));
}
