/* Input injection through SendInput: the pointer in absolute coordinates over the whole virtual
 * desktop, buttons, vertical and horizontal wheel, and the bookkeeping of what the shim holds
 * down so that od_input_release_all (and closing the display) lets everything go. */
#include "_win32.h"

#include <string.h>

int od_win_send(od_display *d, INPUT *events, uint32_t n) {
  UINT sent = SendInput(n, events, sizeof(INPUT));
  if (sent != n)
    return od_win_fail_sys(d->error, OD_ERR_WIN_INPUT_BLOCKED,
                           "SendInput took %u of %u events (a secure desktop or a more "
                           "privileged window in the foreground blocks injected input)",
                           sent, n);
  return OD_OK;
}

static void od_held_remember(od_display *d, uint32_t is_button, uint32_t code, uint32_t unicode) {
  for (uint32_t i = 0; i < d->held_count; i++)
    if (d->held[i].is_button == is_button && d->held[i].code == code &&
        d->held[i].unicode == unicode)
      return;
  if (d->held_count < OD_WIN_MAX_HELD)
    d->held[d->held_count++] = (od_win_held){is_button, code, unicode, 0};
}

static void od_held_forget(od_display *d, uint32_t is_button, uint32_t code, uint32_t unicode) {
  for (uint32_t i = 0; i < d->held_count; i++)
    if (d->held[i].is_button == is_button && d->held[i].code == code &&
        d->held[i].unicode == unicode) {
      d->held[i] = d->held[--d->held_count];
      return;
    }
}

od_win_held *od_win_held_key(od_display *d, uint32_t code, uint32_t unicode) {
  for (uint32_t i = 0; i < d->held_count; i++)
    if (!d->held[i].is_button && d->held[i].code == code && d->held[i].unicode == unicode)
      return &d->held[i];
  return NULL;
}

void od_win_track(od_display *d, uint32_t is_button, uint32_t code, uint32_t unicode, int down) {
  if (down) od_held_remember(d, is_button, code, unicode);
  else od_held_forget(d, is_button, code, unicode);
}

/* Normalised absolute coordinate (0-65535 across the virtual desktop) that Windows maps back
 * to pixel `p` of a `size`-pixel axis: the smallest n with floor(n * size / 65536) == p. */
static LONG od_normalise(LONG p, LONG size) {
  if (size <= 1) return 0;
  return (LONG)(((int64_t)p * 65536 + size - 1) / size);
}

OD_API int od_input_pointer_move(od_display *d, int32_t x, int32_t y) {
  if (!d) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_input_pointer_move: NULL");
  od_win_dpi_thread();
  RECT vs;
  od_win_virtual_screen(&vs);
  if (x < vs.left || y < vs.top || x >= vs.right || y >= vs.bottom)
    return od_win_fail(d->error, OD_ERR_INVALID_ARGUMENT,
                       "The point %d,%d is outside the desktop %ld,%ld %ldx%ld", x, y, vs.left,
                       vs.top, vs.right - vs.left, vs.bottom - vs.top);
  INPUT in;
  memset(&in, 0, sizeof in);
  in.type = INPUT_MOUSE;
  in.mi.dx = od_normalise(x - vs.left, vs.right - vs.left);
  in.mi.dy = od_normalise(y - vs.top, vs.bottom - vs.top);
  in.mi.dwFlags = MOUSEEVENTF_MOVE | MOUSEEVENTF_ABSOLUTE | MOUSEEVENTF_VIRTUALDESK;
  int status = od_win_send(d, &in, 1);
  if (status != OD_OK) return status;
  /* Windows versions round the 0-65535 scale differently; land on the exact pixel. */
  POINT p;
  if (GetCursorPos(&p) && (p.x != x || p.y != y)) SetCursorPos(x, y);
  return OD_OK;
}

OD_API int od_input_pointer_button(od_display *d, uint32_t button, uint32_t down) {
  if (!d) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_input_pointer_button: NULL");
  INPUT in;
  memset(&in, 0, sizeof in);
  in.type = INPUT_MOUSE;
  switch (button) {
  case 1: in.mi.dwFlags = down ? MOUSEEVENTF_LEFTDOWN : MOUSEEVENTF_LEFTUP; break;
  case 2: in.mi.dwFlags = down ? MOUSEEVENTF_MIDDLEDOWN : MOUSEEVENTF_MIDDLEUP; break;
  case 3: in.mi.dwFlags = down ? MOUSEEVENTF_RIGHTDOWN : MOUSEEVENTF_RIGHTUP; break;
  case 4: case 5: case 6: case 7:
    /* Wheel "buttons" are one notch on press; their release is nothing on Windows. */
    if (!down) return OD_OK;
    in.mi.dwFlags = button <= 5 ? MOUSEEVENTF_WHEEL : MOUSEEVENTF_HWHEEL;
    /* Positive WHEEL is away from the user (X button 4); positive HWHEEL is right (7). */
    in.mi.mouseData = (DWORD)((button == 4 || button == 7) ? WHEEL_DELTA : -WHEEL_DELTA);
    return od_win_send(d, &in, 1);
  case 8: case 9:
    in.mi.dwFlags = down ? MOUSEEVENTF_XDOWN : MOUSEEVENTF_XUP;
    in.mi.mouseData = button == 8 ? XBUTTON1 : XBUTTON2;
    break;
  default:
    return od_win_fail(d->error, OD_ERR_INVALID_ARGUMENT, "Unknown pointer button %u (1-9)",
                       button);
  }
  int status = od_win_send(d, &in, 1);
  if (status == OD_OK) {
    EnterCriticalSection(&d->lock);
    od_win_track(d, 1, button, 0, (int)down);
    LeaveCriticalSection(&d->lock);
  }
  return status;
}

OD_API int od_input_release_all(od_display *d) {
  if (!d) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_input_release_all: NULL");
  EnterCriticalSection(&d->lock);
  od_win_held held[OD_WIN_MAX_HELD];
  uint32_t n = d->held_count;
  memcpy(held, d->held, sizeof held);
  LeaveCriticalSection(&d->lock);
  int status = OD_OK;
  for (uint32_t i = n; i-- > 0;) {
    int s;
    if (held[i].is_button) {
      s = od_input_pointer_button(d, held[i].code, 0);
    } else {
      INPUT in;
      memset(&in, 0, sizeof in);
      in.type = INPUT_KEYBOARD;
      in.ki.wVk = held[i].unicode ? 0 : (WORD)held[i].code;
      in.ki.wScan = (WORD)held[i].unicode;
      in.ki.dwFlags = KEYEVENTF_KEYUP | (held[i].unicode ? KEYEVENTF_UNICODE : 0);
      s = od_win_send(d, &in, 1);
      if (held[i].auto_shift) {
        INPUT shift;
        memset(&shift, 0, sizeof shift);
        shift.type = INPUT_KEYBOARD;
        shift.ki.wVk = VK_LSHIFT;
        shift.ki.dwFlags = KEYEVENTF_KEYUP;
        od_win_send(d, &shift, 1);
      }
      EnterCriticalSection(&d->lock);
      od_win_track(d, 0, held[i].code, held[i].unicode, 0);
      LeaveCriticalSection(&d->lock);
    }
    if (s != OD_OK) status = s;
  }
  return status;
}

OD_API int od_input_keymap_restore(od_display *d, uint32_t settle_us) {
  if (!d) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_input_keymap_restore: NULL");
  /* Windows types characters the layout lacks as KEYEVENTF_UNICODE: no key is ever remapped,
   * so there is nothing to restore. */
  return OD_OK;
}

OD_API int od_input_modifier_state(od_display *d, uint32_t *mods, uint32_t *locked) {
  if (!d || !mods || !locked)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_input_modifier_state: NULL");
  /* The X mask bits: Shift 1, Lock 2, Control 4, Mod1 (Alt) 8, Mod2 (Num Lock) 0x10,
   * Mod4 (Windows key) 0x40. */
  uint32_t m = 0, l = 0;
  if (GetAsyncKeyState(VK_SHIFT) & 0x8000) m |= 0x1;
  if (GetAsyncKeyState(VK_CONTROL) & 0x8000) m |= 0x4;
  if (GetAsyncKeyState(VK_MENU) & 0x8000) m |= 0x8;
  if ((GetAsyncKeyState(VK_LWIN) | GetAsyncKeyState(VK_RWIN)) & 0x8000) m |= 0x40;
  if (GetKeyState(VK_CAPITAL) & 1) l |= 0x2;
  if (GetKeyState(VK_NUMLOCK) & 1) l |= 0x10;
  *mods = m | l;
  *locked = l;
  return OD_OK;
}
