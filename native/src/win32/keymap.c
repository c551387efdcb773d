/* Keys: X keysyms (what the protocol's key names map to) to Windows virtual-key codes, the
 * current layout's key for a character (VkKeyScanEx), and KEYEVENTF_UNICODE for characters no
 * key produces and for typed text (UTF-16, surrogate pairs for code points above U+FFFF). */
#include "_win32.h"

#include <string.h>

typedef struct {
  uint32_t keysym;
  uint16_t vk;
} od_vk_name;

static const od_vk_name od_named_keys[] = {
    {0xff0d, VK_RETURN},   {0xff8d, VK_RETURN},   {0xff1b, VK_ESCAPE},   {0xff08, VK_BACK},
    {0xff09, VK_TAB},      {0x0020, VK_SPACE},    {0xffff, VK_DELETE},   {0xff63, VK_INSERT},
    {0xff52, VK_UP},       {0xff54, VK_DOWN},     {0xff51, VK_LEFT},     {0xff53, VK_RIGHT},
    {0xff50, VK_HOME},     {0xff57, VK_END},      {0xff55, VK_PRIOR},    {0xff56, VK_NEXT},
    {0xffe1, VK_LSHIFT},   {0xffe2, VK_RSHIFT},   {0xffe3, VK_LCONTROL}, {0xffe4, VK_RCONTROL},
    {0xffe9, VK_LMENU},    {0xffea, VK_RMENU},    {0xffe7, VK_LWIN},     {0xffeb, VK_LWIN},
    {0xffec, VK_RWIN},     {0xffe5, VK_CAPITAL},  {0xff67, VK_APPS},     {0xff61, VK_SNAPSHOT},
    {0xff13, VK_PAUSE},    {0xff14, VK_SCROLL},   {0xff7f, VK_NUMLOCK},
};

/* Keys whose scan code has the E0 prefix: Windows needs KEYEVENTF_EXTENDEDKEY for them. */
static int od_vk_extended(uint16_t vk) {
  switch (vk) {
  case VK_INSERT: case VK_DELETE: case VK_HOME: case VK_END: case VK_PRIOR: case VK_NEXT:
  case VK_UP: case VK_DOWN: case VK_LEFT: case VK_RIGHT: case VK_RCONTROL: case VK_RMENU:
  case VK_LWIN: case VK_RWIN: case VK_APPS: case VK_SNAPSHOT: case VK_NUMLOCK: case VK_DIVIDE:
    return 1;
  default:
    return 0;
  }
}

static uint32_t od_keysym_codepoint(uint32_t keysym) {
  if ((keysym >= 0x20 && keysym <= 0x7e) || (keysym >= 0xa0 && keysym <= 0xff)) return keysym;
  if (keysym >= 0x01000100 && keysym <= 0x0110ffff) return keysym - 0x01000000;
  return 0;
}

/* The virtual key of an X keysym: named keys, F1-F24, then the character on the layout of the
 * foreground window. `*shift` tells whether the character needs Shift. Returns 0 when no key
 * produces it (AltGr / Ctrl levels count as none: those are typed as Unicode). */
static int od_keysym_vk(uint32_t keysym, uint16_t *vk, int *shift) {
  *shift = 0;
  for (size_t i = 0; i < sizeof od_named_keys / sizeof od_named_keys[0]; i++)
    if (od_named_keys[i].keysym == keysym) {
      *vk = od_named_keys[i].vk;
      return 1;
    }
  if (keysym >= 0xffbe && keysym < 0xffbe + 24) { /* F1-F24 */
    *vk = (uint16_t)(VK_F1 + (keysym - 0xffbe));
    return 1;
  }
  uint32_t cp = od_keysym_codepoint(keysym);
  if (cp == 0 || cp > 0xffff) return 0;
  HWND fg = GetForegroundWindow();
  HKL layout = GetKeyboardLayout(fg ? GetWindowThreadProcessId(fg, NULL) : 0);
  SHORT scan = VkKeyScanExW((WCHAR)cp, layout);
  if (scan == -1) return 0;
  int state = (scan >> 8) & 0xff;
  if (state & ~1) return 0; /* needs Ctrl or Alt (AltGr): type it as Unicode instead */
  *vk = (uint16_t)(scan & 0xff);
  *shift = state & 1;
  return 1;
}

static void od_key_event(INPUT *in, uint16_t vk, int down) {
  memset(in, 0, sizeof *in);
  in->type = INPUT_KEYBOARD;
  in->ki.wVk = vk;
  in->ki.wScan = (WORD)MapVirtualKeyW(vk, MAPVK_VK_TO_VSC);
  in->ki.dwFlags = (down ? 0 : KEYEVENTF_KEYUP) | (od_vk_extended(vk) ? KEYEVENTF_EXTENDEDKEY : 0);
}

static void od_unicode_event(INPUT *in, uint16_t unit, int down) {
  memset(in, 0, sizeof *in);
  in->type = INPUT_KEYBOARD;
  in->ki.wScan = unit;
  in->ki.dwFlags = KEYEVENTF_UNICODE | (down ? 0 : KEYEVENTF_KEYUP);
}

/* UTF-16 units of a code point; returns 1 or 2. */
static int od_utf16(uint32_t cp, uint16_t units[2]) {
  if (cp < 0x10000) {
    units[0] = (uint16_t)cp;
    return 1;
  }
  cp -= 0x10000;
  units[0] = (uint16_t)(0xd800 + (cp >> 10));
  units[1] = (uint16_t)(0xdc00 + (cp & 0x3ff));
  return 2;
}

OD_API int od_input_key(od_display *d, uint32_t keysym, uint32_t down) {
  if (!d) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_input_key: NULL display");
  uint16_t vk = 0;
  int shift = 0;
  INPUT in[4];
  uint32_t n = 0;
  int status;
  EnterCriticalSection(&d->lock);
  if (od_keysym_vk(keysym, &vk, &shift)) {
    od_win_held *h = od_win_held_key(d, vk, 0);
    int auto_shift = down ? (shift && !(GetAsyncKeyState(VK_SHIFT) & 0x8000))
                          : (h && h->auto_shift);
    if (down && auto_shift) od_key_event(&in[n++], VK_LSHIFT, 1);
    od_key_event(&in[n++], vk, (int)down);
    if (!down && auto_shift) od_key_event(&in[n++], VK_LSHIFT, 0);
    status = od_win_send(d, in, n);
    if (status == OD_OK) {
      od_win_track(d, 0, vk, 0, (int)down);
      h = down ? od_win_held_key(d, vk, 0) : NULL;
      if (h) h->auto_shift = (uint32_t)auto_shift;
    }
  } else {
    uint32_t cp = od_keysym_codepoint(keysym);
    if (cp == 0) {
      LeaveCriticalSection(&d->lock);
      return od_win_fail(d->error, OD_ERR_INVALID_ARGUMENT,
                         "No Windows key for X keysym 0x%x (F25 and above, fn and vendor keys "
                         "have no virtual-key code)", keysym);
    }
    uint16_t units[2];
    int count = od_utf16(cp, units);
    for (int i = 0; i < count; i++) od_unicode_event(&in[n++], units[i], (int)down);
    status = od_win_send(d, in, n);
    if (status == OD_OK)
      for (int i = 0; i < count; i++) od_win_track(d, 0, 0, units[i], (int)down);
  }
  LeaveCriticalSection(&d->lock);
  return status;
}

OD_API int od_input_text(od_display *d, const uint32_t *codepoints, uint32_t count,
                         uint32_t interval_us, uint32_t *typed) {
  if (!d || (count > 0 && !codepoints) || !typed)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_input_text: NULL argument");
  *typed = 0;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t cp = codepoints[i];
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return od_win_fail(d->error, OD_ERR_INVALID_ARGUMENT,
                         "Character %u is U+%X, which is not a Unicode scalar value", i, cp);
    INPUT in[4];
    uint32_t n = 0;
    if (cp == '\r' && i + 1 < count && codepoints[i + 1] == '\n') {
      (*typed)++; /* CR LF types one Return */
      continue;
    }
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      uint16_t vk = cp == '\t' ? VK_TAB : VK_RETURN;
      od_key_event(&in[n++], vk, 1);
      od_key_event(&in[n++], vk, 0);
    } else {
      /* Both units go down before either comes up, in one SendInput call, so no other input
       * can come between the halves of a surrogate pair. */
      uint16_t units[2];
      int k = od_utf16(cp, units);
      for (int j = 0; j < k; j++) od_unicode_event(&in[n++], units[j], 1);
      for (int j = 0; j < k; j++) od_unicode_event(&in[n++], units[j], 0);
    }
    int status = od_win_send(d, in, n);
    if (status != OD_OK) return status;
    (*typed)++;
    if (interval_us > 0) Sleep((interval_us + 999) / 1000);
  }
  return OD_OK;
}
