/* The virtual pointer: absolute motion over the output layout, buttons and wheel. */
#include "_wayland.h"

#include <linux/input-event-codes.h>

/* Creates the pointer on first use (lock held). */
static int od_pointer_ready(od_wayland *wl) {
  if (wl->pointer) return OD_OK;
  if (!wl->pointer_manager)
    return od_fail(OD_ERR_WAYLAND_NO_PROTOCOL, "The compositor does not offer a virtual pointer "
                   "(zwlr_virtual_pointer_manager_v1)");
  wl->pointer = zwlr_virtual_pointer_manager_v1_create_virtual_pointer(wl->pointer_manager,
                                                                       wl->seat);
  return OD_OK;
}

/* The layout's bounding box (lock held); 0 when there is no output. */
static int od_layout(od_wayland *wl, int32_t *x, int32_t *y, uint32_t *w, uint32_t *h) {
  int64_t x0 = INT32_MAX, y0 = INT32_MAX, x1 = INT32_MIN, y1 = INT32_MIN;
  for (uint32_t i = 0; i < wl->output_count; i++) {
    const od_wayland_output *o = &wl->outputs[i].info;
    if (!wl->outputs[i].described) continue;
    if (o->x < x0) x0 = o->x;
    if (o->y < y0) y0 = o->y;
    if ((int64_t)o->x + o->width > x1) x1 = (int64_t)o->x + o->width;
    if ((int64_t)o->y + o->height > y1) y1 = (int64_t)o->y + o->height;
  }
  if (x1 <= x0 || y1 <= y0) return 0;
  *x = (int32_t)x0, *y = (int32_t)y0, *w = (uint32_t)(x1 - x0), *h = (uint32_t)(y1 - y0);
  return 1;
}

OD_API int od_wayland_input_pointer_move(od_wayland *wl, int32_t x, int32_t y) {
  if (!wl) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_input_pointer_move: NULL handle");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  int32_t lx, ly;
  uint32_t lw, lh;
  if (!od_layout(wl, &lx, &ly, &lw, &lh)) {
    status = od_fail(OD_ERR_NOT_FOUND, "The compositor has no output to move the pointer on");
  } else if (x < lx || y < ly || (int64_t)x >= (int64_t)lx + lw || (int64_t)y >= (int64_t)ly + lh) {
    status = od_fail(OD_ERR_INVALID_ARGUMENT, "Cannot move the pointer to %d,%d: the layout "
                     "is %ux%u at %d,%d", x, y, lw, lh, lx, ly);
  } else {
    status = od_pointer_ready(wl);
  }
  if (status == OD_OK) {
    uint32_t t = od_wl_now_ms(), ux = (uint32_t)(x - lx), uy = (uint32_t)(y - ly);
    /* A motion to where the pointer already is moves nothing, and sway then does not look
     * for the surface under it (a window that appeared below a still pointer would miss the
     * next click): pass by a neighbouring pixel first. */
    zwlr_virtual_pointer_v1_motion_absolute(wl->pointer, t, ux > 0 ? ux - 1 : ux + 1, uy, lw, lh);
    zwlr_virtual_pointer_v1_frame(wl->pointer);
    zwlr_virtual_pointer_v1_motion_absolute(wl->pointer, t, ux, uy, lw, lh);
    zwlr_virtual_pointer_v1_frame(wl->pointer);
    wl->pointer_x = x, wl->pointer_y = y, wl->pointer_known = 1;
  }
  return od_wl_end(wl, status);
}

/* X button numbers to Linux input codes (0 for wheel buttons). */
static uint32_t od_linux_button(uint32_t button) {
  switch (button) {
  case 1: return BTN_LEFT;
  case 2: return BTN_MIDDLE;
  case 3: return BTN_RIGHT;
  case 8: return BTN_SIDE;
  case 9: return BTN_EXTRA;
  default: return 0;
  }
}

OD_API int od_wayland_input_pointer_button(od_wayland *wl, uint32_t button, uint32_t down) {
  if (!wl || button < 1 || button > 9)
    return od_fail(OD_ERR_INVALID_ARGUMENT, "Pointer button %u is not 1-9", button);
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  status = od_pointer_ready(wl);
  if (status == OD_OK) {
    uint32_t t = od_wl_now_ms();
    uint32_t code = od_linux_button(button);
    if (code) {
      zwlr_virtual_pointer_v1_button(wl->pointer, t, code,
                                     down ? WL_POINTER_BUTTON_STATE_PRESSED
                                          : WL_POINTER_BUTTON_STATE_RELEASED);
      if (down) wl->buttons_held |= 1u << button;
      else wl->buttons_held &= ~(1u << button);
    } else if (down) {
      /* Wheel: one click per press, as X delivers buttons 4-7. */
      uint32_t axis = button <= 5 ? WL_POINTER_AXIS_VERTICAL_SCROLL
                                  : WL_POINTER_AXIS_HORIZONTAL_SCROLL;
      int32_t dir = (button == 4 || button == 6) ? -1 : 1;
      zwlr_virtual_pointer_v1_axis_source(wl->pointer, WL_POINTER_AXIS_SOURCE_WHEEL);
      zwlr_virtual_pointer_v1_axis_discrete(wl->pointer, t, axis, wl_fixed_from_int(15 * dir), dir);
    }
    zwlr_virtual_pointer_v1_frame(wl->pointer);
  }
  return od_wl_end(wl, status);
}

OD_API int od_wayland_cursor_position(od_wayland *wl, int32_t *x, int32_t *y) {
  if (!wl || !x || !y) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_cursor_position: NULL");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  if (!wl->pointer_known)
    status = od_fail(OD_ERR_STATE, "Wayland lets no client read the pointer position, and "
                     "the shim has not moved it yet");
  *x = wl->pointer_x, *y = wl->pointer_y;
  return od_wl_end(wl, status);
}

/* Releases held buttons (lock held). */
void od_wl_pointer_release(od_wayland *wl) {
  if (!wl->pointer) return;
  for (uint32_t b = 1; b <= 9; b++) {
    if (!(wl->buttons_held & (1u << b))) continue;
    zwlr_virtual_pointer_v1_button(wl->pointer, od_wl_now_ms(), od_linux_button(b),
                                   WL_POINTER_BUTTON_STATE_RELEASED);
    zwlr_virtual_pointer_v1_frame(wl->pointer);
  }
  wl->buttons_held = 0;
}
