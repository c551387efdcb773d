/* Outputs: wl_output (mode, scale, physical size, name) and xdg_output (logical position and
 * size in the layout). */
#define _GNU_SOURCE
#include "_wayland.h"

#include <stdio.h>
#include <string.h>

static void od_out_geometry(void *data, struct wl_output *o, int32_t x, int32_t y, int32_t pw,
                            int32_t ph, int32_t subpixel, const char *make, const char *model,
                            int32_t transform) {
  od_wl_out *out = data;
  out->info.width_mm = pw > 0 ? (uint32_t)pw : 0;
  out->info.height_mm = ph > 0 ? (uint32_t)ph : 0;
  out->info.transform = (uint32_t)transform;
  if (!out->xdg) {
    out->info.x = x;
    out->info.y = y;
  }
}

static void od_out_mode(void *data, struct wl_output *o, uint32_t flags, int32_t w, int32_t h,
                        int32_t refresh) {
  od_wl_out *out = data;
  if (!(flags & WL_OUTPUT_MODE_CURRENT)) return;
  out->info.pixel_width = (uint32_t)w;
  out->info.pixel_height = (uint32_t)h;
}

static void od_out_done(void *data, struct wl_output *o) {
  od_wl_out *out = data;
  out->described = 1;
  if (!out->xdg || out->info.width == 0) {
    /* Without xdg_output: the logical size follows from the mode, scale and transform. */
    uint32_t s = out->info.scale ? out->info.scale : 1;
    int swap = out->info.transform & 1;
    out->info.width = (swap ? out->info.pixel_height : out->info.pixel_width) / s;
    out->info.height = (swap ? out->info.pixel_width : out->info.pixel_height) / s;
  }
}

static void od_out_scale(void *data, struct wl_output *o, int32_t factor) {
  ((od_wl_out *)data)->info.scale = factor > 0 ? (uint32_t)factor : 1;
}

static void od_out_name(void *data, struct wl_output *o, const char *name) {
  od_wl_out *out = data;
  snprintf(out->info.name, sizeof out->info.name, "%s", name);
}

static void od_out_description(void *data, struct wl_output *o, const char *text) {}

static const struct wl_output_listener od_out_listener = {
    .geometry = od_out_geometry,
    .mode = od_out_mode,
    .done = od_out_done,
    .scale = od_out_scale,
    .name = od_out_name,
    .description = od_out_description,
};

static void od_xdg_position(void *data, struct zxdg_output_v1 *x, int32_t px, int32_t py) {
  od_wl_out *out = data;
  out->info.x = px;
  out->info.y = py;
}
static void od_xdg_size(void *data, struct zxdg_output_v1 *x, int32_t w, int32_t h) {
  od_wl_out *out = data;
  out->info.width = w > 0 ? (uint32_t)w : 0;
  out->info.height = h > 0 ? (uint32_t)h : 0;
}
static void od_xdg_done(void *data, struct zxdg_output_v1 *x) {}
static void od_xdg_name(void *data, struct zxdg_output_v1 *x, const char *name) {
  od_wl_out *out = data;
  if (!out->info.name[0]) snprintf(out->info.name, sizeof out->info.name, "%s", name);
}
static void od_xdg_description(void *data, struct zxdg_output_v1 *x, const char *text) {}

static const struct zxdg_output_v1_listener od_xdg_listener = {
    .logical_position = od_xdg_position,
    .logical_size = od_xdg_size,
    .done = od_xdg_done,
    .name = od_xdg_name,
    .description = od_xdg_description,
};

static void od_out_attach_xdg(od_wayland *wl, od_wl_out *out) {
  if (!wl->xdg_outputs || out->xdg) return;
  out->xdg = zxdg_output_manager_v1_get_xdg_output(wl->xdg_outputs, out->output);
  zxdg_output_v1_add_listener(out->xdg, &od_xdg_listener, out);
}

void od_wl_outputs_add(od_wayland *wl, uint32_t global, uint32_t version) {
  if (wl->output_count >= OD_WL_MAX_OUTPUTS) {
    od_log(OD_LOG_WARN, "More than %d Wayland outputs: output %u ignored", OD_WL_MAX_OUTPUTS,
           global);
    return;
  }
  od_wl_out *out = &wl->outputs[wl->output_count++];
  memset(out, 0, sizeof *out);
  out->global = global;
  out->info.scale = 1;
  out->output = wl_registry_bind(wl->registry, global, &wl_output_interface,
                                 version < 4 ? version : 4);
  wl_output_add_listener(out->output, &od_out_listener, out);
  od_out_attach_xdg(wl, out); /* outputs announced after the xdg manager */
}

void od_wl_outputs_describe(od_wayland *wl) {
  for (uint32_t i = 0; i < wl->output_count; i++) od_out_attach_xdg(wl, &wl->outputs[i]);
}

static void od_out_release(od_wl_out *out) {
  if (out->xdg) zxdg_output_v1_destroy(out->xdg);
  if (wl_output_get_version(out->output) >= 3) wl_output_release(out->output);
  else wl_output_destroy(out->output);
}

void od_wl_outputs_remove(od_wayland *wl, uint32_t global) {
  for (uint32_t i = 0; i < wl->output_count; i++) {
    if (wl->outputs[i].global != global) continue;
    od_out_release(&wl->outputs[i]);
    /* Shift the rest down; listeners point into the array, so re-point them. */
    for (uint32_t j = i; j + 1 < wl->output_count; j++) {
      wl->outputs[j] = wl->outputs[j + 1];
      wl_output_set_user_data(wl->outputs[j].output, &wl->outputs[j]);
      if (wl->outputs[j].xdg) zxdg_output_v1_set_user_data(wl->outputs[j].xdg, &wl->outputs[j]);
    }
    wl->output_count--;
    return;
  }
}

void od_wl_outputs_free(od_wayland *wl) {
  for (uint32_t i = 0; i < wl->output_count; i++) od_out_release(&wl->outputs[i]);
  wl->output_count = 0;
  for (uint32_t i = 0; i < OD_WL_MAX_OUTPUTS; i++) od_wl_buffer_destroy(&wl->grab_buffers[i]);
}

OD_API int od_wayland_display_outputs(od_wayland *wl, od_wayland_output *out, uint32_t cap,
                                      uint32_t *count) {
  if (!wl || !count || (cap > 0 && !out))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_display_outputs: NULL argument");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  uint32_t n = 0;
  for (uint32_t i = 0; i < wl->output_count; i++) {
    if (!wl->outputs[i].described) continue;
    if (n < cap) out[n] = wl->outputs[i].info;
    n++;
  }
  *count = n;
  if (n > cap)
    status = od_fail(OD_ERR_BUFFER_TOO_SMALL, "%u outputs do not fit in %u entries", n, cap);
  return od_wl_end(wl, status);
}

OD_API int od_wayland_display_bounds(od_wayland *wl, int32_t *x, int32_t *y, uint32_t *width,
                                     uint32_t *height) {
  if (!wl || !x || !y || !width || !height)
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_display_bounds: NULL argument");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  int64_t x0 = INT32_MAX, y0 = INT32_MAX, x1 = INT32_MIN, y1 = INT32_MIN;
  for (uint32_t i = 0; i < wl->output_count; i++) {
    const od_wayland_output *o = &wl->outputs[i].info;
    if (!wl->outputs[i].described) continue;
    if (o->x < x0) x0 = o->x;
    if (o->y < y0) y0 = o->y;
    if ((int64_t)o->x + o->width > x1) x1 = (int64_t)o->x + o->width;
    if ((int64_t)o->y + o->height > y1) y1 = (int64_t)o->y + o->height;
  }
  if (x1 <= x0 || y1 <= y0) {
    status = od_fail(OD_ERR_NOT_FOUND, "The compositor has no output");
  } else {
    *x = (int32_t)x0;
    *y = (int32_t)y0;
    *width = (uint32_t)(x1 - x0);
    *height = (uint32_t)(y1 - y0);
  }
  return od_wl_end(wl, status);
}
