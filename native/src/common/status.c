/* Status names, ABI version and the helpers for text out-parameters. */
#include "_common.h"

#include <string.h>

static const struct {
  int32_t code;
  const char *name;
} od_status_names[] = {
    {OD_OK, "OD_OK"},
    {OD_ERR_INVALID_ARGUMENT, "OD_ERR_INVALID_ARGUMENT"},
    {OD_ERR_NO_MEMORY, "OD_ERR_NO_MEMORY"},
    {OD_ERR_BUFFER_TOO_SMALL, "OD_ERR_BUFFER_TOO_SMALL"},
    {OD_ERR_UNSUPPORTED, "OD_ERR_UNSUPPORTED"},
    {OD_ERR_ENCODE, "OD_ERR_ENCODE"},
    {OD_ERR_NOT_FOUND, "OD_ERR_NOT_FOUND"},
    {OD_ERR_STATE, "OD_ERR_STATE"},
    {OD_ERR_SYSTEM, "OD_ERR_SYSTEM"},
    {OD_ERR_X11_OPEN, "OD_ERR_X11_OPEN"},
    {OD_ERR_X11_CONNECTION_LOST, "OD_ERR_X11_CONNECTION_LOST"},
    {OD_ERR_X11_REQUEST, "OD_ERR_X11_REQUEST"},
    {OD_ERR_X11_NO_EXTENSION, "OD_ERR_X11_NO_EXTENSION"},
    {OD_ERR_X11_CAPTURE, "OD_ERR_X11_CAPTURE"},
    {OD_ERR_X11_NO_KEYCODE, "OD_ERR_X11_NO_KEYCODE"},
    {OD_ERR_X11_PIXEL_FORMAT, "OD_ERR_X11_PIXEL_FORMAT"},
    {OD_ERR_X11_TIMEOUT, "OD_ERR_X11_TIMEOUT"},
    {OD_ERR_X11_NO_SELECTION, "OD_ERR_X11_NO_SELECTION"},
    {OD_ERR_A11Y, "OD_ERR_A11Y"},
    {OD_ERR_A11Y_TIMEOUT, "OD_ERR_A11Y_TIMEOUT"},
    {OD_ERR_DBUS, "OD_ERR_DBUS"},
    {OD_ERR_WIN_CALL, "OD_ERR_WIN_CALL"},
    {OD_ERR_WIN_CAPTURE, "OD_ERR_WIN_CAPTURE"},
    {OD_ERR_WIN_INPUT_BLOCKED, "OD_ERR_WIN_INPUT_BLOCKED"},
    {OD_ERR_WIN_CLIPBOARD_BUSY, "OD_ERR_WIN_CLIPBOARD_BUSY"},
    {OD_ERR_WIN_COM, "OD_ERR_WIN_COM"},
    {OD_ERR_WIN_TIMEOUT, "OD_ERR_WIN_TIMEOUT"},
    {OD_ERR_WIN_NO_DATA, "OD_ERR_WIN_NO_DATA"},
    {OD_ERR_WIN_FOREGROUND, "OD_ERR_WIN_FOREGROUND"},
    /* Wayland */
    {OD_ERR_WAYLAND_CONNECT, "OD_ERR_WAYLAND_CONNECT"},
    {OD_ERR_WAYLAND_CONNECTION_LOST, "OD_ERR_WAYLAND_CONNECTION_LOST"},
    {OD_ERR_WAYLAND_NO_PROTOCOL, "OD_ERR_WAYLAND_NO_PROTOCOL"},
    {OD_ERR_WAYLAND_CAPTURE, "OD_ERR_WAYLAND_CAPTURE"},
    {OD_ERR_WAYLAND_TIMEOUT, "OD_ERR_WAYLAND_TIMEOUT"},
    {OD_ERR_WAYLAND_NO_SELECTION, "OD_ERR_WAYLAND_NO_SELECTION"},
    {OD_ERR_WAYLAND_KEYMAP, "OD_ERR_WAYLAND_KEYMAP"},
    {OD_ERR_WAYLAND_SWAY_IPC, "OD_ERR_WAYLAND_SWAY_IPC"},
};

OD_API int od_status_name(int32_t status, char *buf, uint32_t cap, uint32_t *len) {
  const char *name = "OD_ERR_UNKNOWN";
  for (size_t i = 0; i < sizeof od_status_names / sizeof od_status_names[0]; i++) {
    if (od_status_names[i].code == status) {
      name = od_status_names[i].name;
      break;
    }
  }
  return od_copy_text(name, buf, cap, len);
}

OD_API int od_abi_version(uint32_t *out) {
  if (!out) return OD_ERR_INVALID_ARGUMENT;
  *out = OD_ABI_VERSION;
  return OD_OK;
}

int od_copy_text(const char *src, char *buf, uint32_t cap, uint32_t *len) {
  if (!buf || !len || cap == 0) return OD_ERR_INVALID_ARGUMENT;
  size_t n = strlen(src);
  *len = (uint32_t)n;
  if (n + 1 > cap) {
    memcpy(buf, src, cap - 1);
    buf[cap - 1] = '\0';
    return OD_ERR_BUFFER_TOO_SMALL;
  }
  memcpy(buf, src, n + 1);
  return OD_OK;
}
