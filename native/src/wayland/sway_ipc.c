/* sway's IPC socket: window geometry and moves on sway, which the Wayland window protocol
 * does not carry. Messages: "i3-ipc", payload length and type (host byte order), payload. */
#define _GNU_SOURCE
#include "_wayland.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define OD_SWAY_TIMEOUT_MS 5000

/* $SWAYSOCK, else the sway-ipc.*.sock beside the Wayland socket (or in $XDG_RUNTIME_DIR). */
static int od_sway_path(const od_wayland *wl, char *out, size_t cap) {
  const char *env = getenv("SWAYSOCK");
  if (env && *env) return snprintf(out, cap, "%s", env) < (int)cap;
  char dir[256] = "";
  const char *display = wl->display_name;
  if (display[0] == '/') {
    snprintf(dir, sizeof dir, "%s", display);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
  } else if (getenv("XDG_RUNTIME_DIR")) {
    snprintf(dir, sizeof dir, "%s", getenv("XDG_RUNTIME_DIR"));
  }
  DIR *d = dir[0] ? opendir(dir) : NULL;
  if (!d) return 0;
  int found = 0;
  for (struct dirent *e; !found && (e = readdir(d));) {
    size_t n = strlen(e->d_name);
    if (strncmp(e->d_name, "sway-ipc.", 9) == 0 && n > 5 && strcmp(e->d_name + n - 5, ".sock") == 0)
      found = snprintf(out, cap, "%s/%s", dir, e->d_name) < (int)cap;
  }
  closedir(d);
  return found;
}

static int od_io(int fd, void *buf, size_t len, int writing, uint32_t deadline) {
  uint8_t *p = buf;
  for (size_t done = 0; done < len;) {
    int left = (int)(deadline - od_wl_now_ms());
    if (left <= 0) return od_fail(OD_ERR_WAYLAND_TIMEOUT, "sway's IPC did not answer in time");
    struct pollfd pf = {fd, writing ? POLLOUT : POLLIN, 0};
    if (poll(&pf, 1, left) <= 0) continue;
    ssize_t n = writing ? send(fd, p + done, len - done, MSG_NOSIGNAL)
                        : recv(fd, p + done, len - done, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return od_fail(OD_ERR_WAYLAND_SWAY_IPC, "sway's IPC connection failed");
    done += (size_t)n;
  }
  return OD_OK;
}

OD_API int od_wayland_sway_request(od_wayland *wl, uint32_t type, const char *payload, uint8_t *buf,
                                   uint32_t cap, uint32_t *len) {
  if (!wl || !len || (cap > 0 && !buf))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_sway_request: NULL argument");
  char path[sizeof ((struct sockaddr_un *)0)->sun_path];
  if (!od_sway_path(wl, path, sizeof path))
    return od_wl_kept(wl, od_fail(OD_ERR_WAYLAND_SWAY_IPC, "The compositor is not sway (no "
                                  "SWAYSOCK and no sway-ipc socket): window bounds are unknown"));
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  memcpy(addr.sun_path, path, strlen(path) + 1);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    int err = errno;
    if (fd >= 0) close(fd);
    return od_wl_kept(wl, od_fail(OD_ERR_WAYLAND_SWAY_IPC, "Cannot connect to sway's IPC at %s: "
                                  "%s", path, strerror(err)));
  }
  uint32_t deadline = od_wl_now_ms() + OD_SWAY_TIMEOUT_MS;
  uint32_t plen = payload ? (uint32_t)strlen(payload) : 0;
  uint8_t head[14];
  memcpy(head, "i3-ipc", 6);
  memcpy(head + 6, &plen, 4);
  memcpy(head + 10, &type, 4);
  int status = od_io(fd, head, sizeof head, 1, deadline);
  if (status == OD_OK && plen) status = od_io(fd, (void *)payload, plen, 1, deadline);
  if (status == OD_OK) status = od_io(fd, head, sizeof head, 0, deadline);
  uint32_t rlen = 0;
  if (status == OD_OK) {
    memcpy(&rlen, head + 6, 4);
    if (memcmp(head, "i3-ipc", 6) != 0 || rlen > (64u << 20))
      status = od_fail(OD_ERR_WAYLAND_SWAY_IPC, "sway's IPC sent a malformed reply");
  }
  uint8_t *reply = status == OD_OK ? malloc(rlen ? rlen : 1) : NULL;
  if (status == OD_OK && !reply) status = od_fail(OD_ERR_NO_MEMORY, "Out of memory");
  if (status == OD_OK) status = od_io(fd, reply, rlen, 0, deadline);
  close(fd);
  if (status == OD_OK) {
    *len = rlen;
    if (rlen > cap) status = od_fail(OD_ERR_BUFFER_TOO_SMALL, "sway's reply needs %u bytes", rlen);
    else memcpy(buf, reply, rlen);
  }
  free(reply);
  return od_wl_kept(wl, status);
}

/* Sets OD_WAYLAND_FEATURE_SWAY_IPC when sway answers (called by od_wayland_display_open). */
void od_wl_sway_probe(od_wayland *wl) {
  uint8_t buf[4096];
  uint32_t len = 0;
  int status = od_wayland_sway_request(wl, 7 /* GET_VERSION */, "", buf, sizeof buf, &len);
  if (status == OD_OK) wl->features |= OD_WAYLAND_FEATURE_SWAY_IPC;
}
