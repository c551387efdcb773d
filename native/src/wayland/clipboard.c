/* The clipboard through zwlr_data_control_manager_v1: the selection's offers and their types,
 * and reads through a pipe (the shim's own source is in clipboard_source.c). */
#define _GNU_SOURCE
#include "_wayland.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OD_WL_CLIPBOARD_MAX ((size_t)1 << 30) /* a read larger than 1 GiB is refused */

static void od_offer_mime(void *data, struct zwlr_data_control_offer_v1 *o, const char *mime) {
  od_wl_offer *offer = data;
  size_t n = strlen(mime);
  char *grown = realloc(offer->mimes, offer->mimes_len + n + 2);
  if (!grown) return;
  memcpy(grown + offer->mimes_len, mime, n);
  grown[offer->mimes_len + n] = '\n';
  grown[offer->mimes_len + n + 1] = 0;
  offer->mimes = grown;
  offer->mimes_len += n + 1;
}
static const struct zwlr_data_control_offer_v1_listener od_offer_listener = {
    .offer = od_offer_mime,
};

static void od_offer_free(od_wayland *wl, od_wl_offer *offer) {
  for (od_wl_offer **p = &wl->offers; *p; p = &(*p)->next)
    if (*p == offer) {
      *p = offer->next;
      break;
    }
  zwlr_data_control_offer_v1_destroy(offer->offer);
  free(offer->mimes);
  free(offer);
}

static od_wl_offer *od_offer_of(od_wayland *wl, struct zwlr_data_control_offer_v1 *o) {
  for (od_wl_offer *offer = wl->offers; offer; offer = offer->next)
    if (offer->offer == o) return offer;
  return NULL;
}

static void od_dev_offer(void *data, struct zwlr_data_control_device_v1 *d,
                         struct zwlr_data_control_offer_v1 *o) {
  od_wayland *wl = data;
  od_wl_offer *offer = calloc(1, sizeof *offer);
  if (!offer) {
    zwlr_data_control_offer_v1_destroy(o);
    return;
  }
  offer->offer = o;
  offer->next = wl->offers;
  wl->offers = offer;
  zwlr_data_control_offer_v1_add_listener(o, &od_offer_listener, offer);
}

static void od_dev_selection(void *data, struct zwlr_data_control_device_v1 *d,
                             struct zwlr_data_control_offer_v1 *o) {
  od_wayland *wl = data;
  if (wl->selection) od_offer_free(wl, wl->selection);
  wl->selection = o ? od_offer_of(wl, o) : NULL;
}

static void od_dev_primary(void *data, struct zwlr_data_control_device_v1 *d,
                           struct zwlr_data_control_offer_v1 *o) {
  od_wl_offer *offer = o ? od_offer_of(data, o) : NULL;
  if (offer) od_offer_free(data, offer); /* the primary selection is not used */
}

static void od_dev_finished(void *data, struct zwlr_data_control_device_v1 *d) {
  od_wayland *wl = data;
  zwlr_data_control_device_v1_destroy(wl->data_device);
  wl->data_device = NULL;
}

static const struct zwlr_data_control_device_v1_listener od_dev_listener = {
    .data_offer = od_dev_offer,
    .selection = od_dev_selection,
    .finished = od_dev_finished,
    .primary_selection = od_dev_primary,
};

void od_wl_clipboard_start(od_wayland *wl) {
  if (!wl->data_control || !wl->seat) return;
  wl->data_device = zwlr_data_control_manager_v1_get_data_device(wl->data_control, wl->seat);
  zwlr_data_control_device_v1_add_listener(wl->data_device, &od_dev_listener, wl);
}

void od_wl_clipboard_free(od_wayland *wl) {
  if (wl->source) zwlr_data_control_source_v1_destroy(wl->source);
  wl->source = NULL;
  free(wl->source_data);
  wl->source_data = NULL;
  while (wl->offers) od_offer_free(wl, wl->offers);
  wl->selection = NULL;
  if (wl->data_device) zwlr_data_control_device_v1_destroy(wl->data_device);
  wl->data_device = NULL;
  free(wl->read_data);
  wl->read_data = NULL;
}

int od_clip_begin(od_wayland *wl) {
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  if (!wl->data_device) {
    return od_wl_end(wl, od_fail(OD_ERR_WAYLAND_NO_PROTOCOL, "The compositor offers no clipboard "
                                 "access without focus (zwlr_data_control_manager_v1)"));
  }
  return OD_OK;
}

/* Reads `fd` to the end or the deadline into a growing buffer. */
static int od_read_all(int fd, uint32_t timeout_ms, uint8_t **out, size_t *out_len) {
  size_t cap = 65536, len = 0;
  uint8_t *buf = malloc(cap);
  if (!buf) return od_fail(OD_ERR_NO_MEMORY, "Out of memory");
  uint32_t start = od_wl_now_ms();
  for (;;) {
    uint32_t spent = od_wl_now_ms() - start;
    if (spent >= timeout_ms) {
      free(buf);
      return od_fail(OD_ERR_WAYLAND_TIMEOUT, "The clipboard owner sent %zu bytes and then "
                     "nothing more within %u ms", len, timeout_ms);
    }
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, (int)(timeout_ms - spent));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) continue;
    if (len == cap) {
      if (cap >= OD_WL_CLIPBOARD_MAX) {
        free(buf);
        return od_fail(OD_ERR_NO_MEMORY, "The clipboard holds more than 1 GiB");
      }
      uint8_t *grown = realloc(buf, cap * 2);
      if (!grown) {
        free(buf);
        return od_fail(OD_ERR_NO_MEMORY, "Out of memory for the clipboard");
      }
      buf = grown, cap *= 2;
    }
    ssize_t r = read(fd, buf + len, cap - len);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r < 0) {
      free(buf);
      return od_fail(OD_ERR_SYSTEM, "Cannot read the clipboard: %s", strerror(errno));
    }
    if (r == 0) break;
    len += (size_t)r;
  }
  *out = buf, *out_len = len;
  return OD_OK;
}

OD_API int od_wayland_clipboard_read(od_wayland *wl, const char *mime, uint32_t timeout_ms,
                                     uint32_t *len) {
  if (!wl || !mime || !*mime || !len)
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_clipboard_read: NULL argument");
  pthread_mutex_lock(&wl->clipboard_lock);
  int status = od_clip_begin(wl);
  int fds[2] = {-1, -1};
  if (status == OD_OK) {
    status = od_wl_sync(wl, timeout_ms);
    size_t n = strlen(mime);
    const char *m = wl->selection && wl->selection->mimes ? wl->selection->mimes : "";
    int offered = 0;
    for (const char *p = m; *p; p = strchr(p, '\n') + 1)
      offered |= strncmp(p, mime, n) == 0 && p[n] == '\n';
    if (status != OD_OK) {
    } else if (!wl->selection) {
      status = od_fail(OD_ERR_WAYLAND_NO_SELECTION, "The clipboard is empty");
    } else if (!offered) {
      status = od_fail(OD_ERR_WAYLAND_NO_SELECTION, "The clipboard has no '%s' (it offers: %s)",
                       mime, m);
    } else if (pipe2(fds, O_CLOEXEC) != 0) {
      status = od_fail(OD_ERR_SYSTEM, "Cannot create a pipe: %s", strerror(errno));
    } else {
      zwlr_data_control_offer_v1_receive(wl->selection->offer, mime, fds[1]);
    }
    status = od_wl_end(wl, status);
  }
  if (fds[1] >= 0) close(fds[1]); /* the owner holds its own copy: EOF when it is done */
  if (status == OD_OK) {
    uint8_t *data;
    size_t got;
    status = od_read_all(fds[0], timeout_ms, &data, &got);
    if (status == OD_OK && got > UINT32_MAX) {
      free(data);
      status = od_fail(OD_ERR_NO_MEMORY, "The clipboard holds more than 4 GiB");
    } else if (status == OD_OK) {
      free(wl->read_data);
      wl->read_data = data;
      wl->read_len = got;
      *len = (uint32_t)got;
    }
  }
  if (fds[0] >= 0) close(fds[0]);
  status = od_wl_kept(wl, status);
  pthread_mutex_unlock(&wl->clipboard_lock);
  return status;
}

OD_API int od_wayland_clipboard_fetch(od_wayland *wl, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!wl || !len || (cap > 0 && !buf))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_clipboard_fetch: NULL argument");
  pthread_mutex_lock(&wl->clipboard_lock);
  int status = OD_OK;
  *len = (uint32_t)wl->read_len;
  if (wl->read_len > cap)
    status = od_fail(OD_ERR_BUFFER_TOO_SMALL, "The clipboard data needs %zu bytes",
                     wl->read_len);
  else if (wl->read_len)
    memcpy(buf, wl->read_data, wl->read_len);
  pthread_mutex_unlock(&wl->clipboard_lock);
  return status;
}

OD_API int od_wayland_clipboard_targets(od_wayland *wl, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!wl || !len || (cap > 0 && !buf))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_clipboard_targets: NULL argument");
  int status = od_clip_begin(wl);
  if (status != OD_OK) return status;
  status = od_wl_sync(wl, 2000);
  if (status == OD_OK && !wl->selection)
    status = od_fail(OD_ERR_WAYLAND_NO_SELECTION, "The clipboard is empty");
  if (status == OD_OK) {
    size_t n = wl->selection->mimes_len;
    *len = (uint32_t)n;
    if (n > cap) status = od_fail(OD_ERR_BUFFER_TOO_SMALL, "The type list needs %zu bytes", n);
    else if (n) memcpy(buf, wl->selection->mimes, n);
  }
  return od_wl_end(wl, status);
}
