/* The clipboard source: while the shim owns the selection it serves each request for a type on
 * its own writer thread, from the packed entries given to od_wayland_clipboard_write. */
#define _GNU_SOURCE
#include "_wayland.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
