/* The clipboard through zwlr_data_control_manager_v1: the selection's offers and types, reads
 * through a pipe, and a source the shim serves while it owns the selection. */
#define _GNU_SOURCE
#include "_wayland.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
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

/* A writer thread per request: a large transfer never blocks the reader thread. */
typedef struct {
  int fd;
  uint8_t *data;
  size_t len;
} od_send_job;

static void *od_send_thread(void *arg) {
  od_send_job *job = arg;
  /* A reader that closes early would raise SIGPIPE: block it on this thread, take it back. */
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
  size_t done = 0;
  while (done < job->len) {
    ssize_t n = write(job->fd, job->data + done, job->len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += (size_t)n;
  }
  close(job->fd);
  struct timespec zero = {0, 0};
  sigtimedwait(&pipe_set, NULL, &zero);
  free(job->data);
  free(job);
  return NULL;
}

/* Finds the entry for `mime` in the packed data ({u32 len, mime, u32 len, data}...); text
 * types also answer to the X11-era text names. */
static int od_packed_find(const uint8_t *p, uint32_t len, const char *mime, const uint8_t **data,
                          uint32_t *data_len) {
  int text_alias = strcmp(mime, "text/plain") == 0 || strcmp(mime, "UTF8_STRING") == 0 ||
                   strcmp(mime, "STRING") == 0 || strcmp(mime, "TEXT") == 0;
  const uint8_t *text = NULL;
  uint32_t text_len = 0;
  for (uint32_t at = 0; at + 4 <= len;) {
    uint32_t ml, dl;
    memcpy(&ml, p + at, 4);
    if (ml > len - at - 4 || len - at - 4 - ml < 4) return 0;
    const char *m = (const char *)p + at + 4;
    memcpy(&dl, p + at + 4 + ml, 4);
    if (dl > len - at - 8 - ml) return 0;
    const uint8_t *d = p + at + 8 + ml;
    if (strlen(mime) == ml && memcmp(m, mime, ml) == 0) {
      *data = d, *data_len = dl;
      return 1;
    }
    if (!text && ml >= 10 && memcmp(m, "text/plain", 10) == 0) text = d, text_len = dl;
    at += 8 + ml + dl;
  }
  if (text_alias && text) {
    *data = text, *data_len = text_len;
    return 1;
  }
  return 0;
}

static void od_source_send(void *data, struct zwlr_data_control_source_v1 *s, const char *mime,
                           int32_t fd) {
  od_wayland *wl = data;
  const uint8_t *d;
  uint32_t dl;
  od_send_job *job = NULL;
  if (s == wl->source && od_packed_find(wl->source_data, wl->source_len, mime, &d, &dl) &&
      (job = malloc(sizeof *job)) && (job->data = malloc(dl ? dl : 1))) {
    memcpy(job->data, d, dl);
    job->fd = fd;
    job->len = dl;
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = pthread_create(&t, &attr, od_send_thread, job) == 0;
    pthread_attr_destroy(&attr);
    if (started) return;
    free(job->data);
  }
  free(job);
  close(fd);
}

static void od_source_cancelled(void *data, struct zwlr_data_control_source_v1 *s) {
  od_wayland *wl = data;
  zwlr_data_control_source_v1_destroy(s);
  if (s != wl->source) return;
  wl->source = NULL;
  free(wl->source_data);
  wl->source_data = NULL;
  wl->source_len = 0;
}

static const struct zwlr_data_control_source_v1_listener od_source_listener = {
    .send = od_source_send,
    .cancelled = od_source_cancelled,
};

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

static int od_clip_begin(od_wayland *wl) {
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  if (!wl->data_device) {
    od_wl_end(wl, OD_OK);
    return od_fail(OD_ERR_WAYLAND_NO_PROTOCOL, "The compositor offers no clipboard access "
                   "without focus (zwlr_data_control_manager_v1)");
  }
  return OD_OK;
}

OD_API int od_wayland_clipboard_write(od_wayland *wl, const uint8_t *packed, uint32_t len,
                                      uint32_t timeout_ms) {
  if (!wl || (len > 0 && !packed))
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_clipboard_write: NULL argument");
  uint8_t *copy = malloc(len ? len : 1);
  if (!copy) return od_fail(OD_ERR_NO_MEMORY, "Out of memory for %u clipboard bytes", len);
  memcpy(copy, packed, len);
  int status = od_clip_begin(wl);
  if (status != OD_OK) {
    free(copy);
    return status;
  }
  struct zwlr_data_control_source_v1 *s =
      zwlr_data_control_manager_v1_create_data_source(wl->data_control);
  zwlr_data_control_source_v1_add_listener(s, &od_source_listener, wl);
  static const char *const aliases[] = {"text/plain", "UTF8_STRING", "STRING", "TEXT"};
  int any_text = 0, entries = 0, named[4] = {0};
  for (uint32_t at = 0; at + 4 <= len;) {
    uint32_t ml, dl;
    memcpy(&ml, copy + at, 4);
    if (ml == 0 || ml > 255 || ml > len - at - 4 || len - at - 4 - ml < 4) break;
    memcpy(&dl, copy + at + 4 + ml, 4);
    if (dl > len - at - 8 - ml) break;
    char mime[256];
    memcpy(mime, copy + at + 4, ml);
    mime[ml] = 0;
    zwlr_data_control_source_v1_offer(s, mime);
    any_text |= strncmp(mime, "text/plain", 10) == 0;
    for (size_t i = 0; i < 4; i++) named[i] |= strcmp(mime, aliases[i]) == 0;
    entries++;
    at += 8 + ml + dl;
  }
  if (entries == 0) {
    zwlr_data_control_source_v1_destroy(s);
    free(copy);
    return od_wl_end(wl, od_fail(OD_ERR_INVALID_ARGUMENT, "The clipboard data holds no "
                                 "well-formed {mime, data} entry"));
  }
  /* Text is also offered under the names older clients ask for (each name once). */
  for (size_t i = 0; i < 4 && any_text; i++)
    if (!named[i]) zwlr_data_control_source_v1_offer(s, aliases[i]);
  if (wl->source) zwlr_data_control_source_v1_destroy(wl->source);
  free(wl->source_data);
  wl->source = s;
  wl->source_data = copy;
  wl->source_len = len;
  zwlr_data_control_device_v1_set_selection(wl->data_device, s);
  status = od_wl_sync(wl, timeout_ms);
  if (status == OD_OK && wl->source != s)
    status = od_fail(OD_ERR_STATE, "Another client took the clipboard at once");
  return od_wl_end(wl, status);
}

OD_API int od_wayland_clipboard_owned(od_wayland *wl, int32_t *owned) {
  if (!wl || !owned) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_clipboard_owned: NULL");
  int status = od_wl_begin(wl);
  if (status != OD_OK) return status;
  status = od_wl_sync(wl, 2000);
  *owned = wl->source != NULL;
  return od_wl_end(wl, status);
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
