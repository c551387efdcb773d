/* The connection to the compositor: open/close, the protocol globals, the reader thread and
 * the wait helpers every other file uses. */
#define _GNU_SOURCE
#include "_wayland.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint32_t od_wl_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static int od_wl_lost_error(void) {
  return od_fail(OD_ERR_WAYLAND_CONNECTION_LOST,
                 "The Wayland compositor closed the connection; open a new one");
}

/* Keeps the calling thread's last error on the handle (lock held): calls made on a thread pool
 * (Deno's nonblocking FFI) read it there with od_wayland_last_error. */
static int od_wl_keep(od_wayland *wl, int status) {
  if (status != OD_OK) od_last_error(wl->error, sizeof wl->error, &(uint32_t){0});
  return status;
}

int od_wl_kept(od_wayland *wl, int status) {
  if (status == OD_OK) return status;
  pthread_mutex_lock(&wl->lock);
  od_wl_keep(wl, status);
  pthread_mutex_unlock(&wl->lock);
  return status;
}

int od_wl_begin(od_wayland *wl) {
  pthread_mutex_lock(&wl->lock);
  if (wl->lost) {
    int status = od_wl_keep(wl, od_wl_lost_error());
    pthread_mutex_unlock(&wl->lock);
    return status;
  }
  return OD_OK;
}

int od_wl_end(od_wayland *wl, int status) {
  if (!wl->lost && wl_display_flush(wl->display) < 0 && errno != EAGAIN) wl->lost = 1;
  if (wl->lost && status == OD_OK) status = od_wl_lost_error();
  od_wl_keep(wl, status);
  pthread_mutex_unlock(&wl->lock);
  return status;
}

OD_API int od_wayland_last_error(od_wayland *wl, char *buf, uint32_t cap, uint32_t *len) {
  if (!wl) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_last_error: NULL handle");
  pthread_mutex_lock(&wl->lock);
  int status = od_copy_text(wl->error, buf, cap, len);
  pthread_mutex_unlock(&wl->lock);
  return status;
}

int od_wl_wait(od_wayland *wl, const volatile int *flag, uint32_t timeout_ms) {
  if (wl_display_flush(wl->display) < 0 && errno != EAGAIN) wl->lost = 1;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += timeout_ms / 1000;
  deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000L;
  }
  while (!*flag && !wl->lost) {
    if (pthread_cond_timedwait(&wl->cond, &wl->lock, &deadline) == ETIMEDOUT && !*flag)
      return od_fail(OD_ERR_WAYLAND_TIMEOUT, "The compositor did not answer within %u ms",
                     timeout_ms);
  }
  return *flag ? OD_OK : od_wl_lost_error();
}

static void od_wl_sync_done(void *data, struct wl_callback *cb, uint32_t serial) {
  *(int *)data = 1;
  wl_callback_destroy(cb);
}
static const struct wl_callback_listener od_wl_sync_listener = {.done = od_wl_sync_done};

int od_wl_sync(od_wayland *wl, uint32_t timeout_ms) {
  /* The flag lives on the heap: after a timeout the callback may still fire later. */
  int *done = calloc(1, sizeof *done);
  if (!done) return od_fail(OD_ERR_NO_MEMORY, "Out of memory");
  struct wl_callback *cb = wl_display_sync(wl->display);
  wl_callback_add_listener(cb, &od_wl_sync_listener, done);
  int status = od_wl_wait(wl, done, timeout_ms);
  if (status == OD_OK) free(done);
  return status;
}

/* The reader thread: reads events without the lock, dispatches them with it. */
static void *od_wl_reader(void *arg) {
  od_wayland *wl = arg;
  for (;;) {
    pthread_mutex_lock(&wl->lock);
    while (!wl->stop && wl_display_prepare_read(wl->display) != 0)
      wl_display_dispatch_pending(wl->display);
    if (wl->stop) {
      pthread_mutex_unlock(&wl->lock);
      break;
    }
    int flushed = wl_display_flush(wl->display);
    int again = flushed < 0 && errno == EAGAIN;
    pthread_mutex_unlock(&wl->lock);
    struct pollfd fds[2] = {{wl_display_get_fd(wl->display), POLLIN, 0}, {wl->wake[0], POLLIN, 0}};
    int n = poll(fds, 2, again ? 10 : -1);
    int failed = 0;
    if (n > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP)))
      failed = wl_display_read_events(wl->display) < 0;
    else
      wl_display_cancel_read(wl->display);
    pthread_mutex_lock(&wl->lock);
    if (failed || wl_display_dispatch_pending(wl->display) < 0) wl->lost = 1;
    pthread_cond_broadcast(&wl->cond);
    int done = wl->lost || wl->stop;
    pthread_mutex_unlock(&wl->lock);
    if (done) break;
  }
  return NULL;
}

static void od_wl_seat_caps(void *data, struct wl_seat *seat, uint32_t caps) {
  ((od_wayland *)data)->seat_caps = caps;
}
static void od_wl_seat_name(void *data, struct wl_seat *seat, const char *name) {}
static const struct wl_seat_listener od_wl_seat_listener = {
    .capabilities = od_wl_seat_caps,
    .name = od_wl_seat_name,
};

static void od_wl_global(void *data, struct wl_registry *reg, uint32_t name, const char *iface,
                         uint32_t version) {
  od_wayland *wl = data;
#define OD_BIND(ifc, max) wl_registry_bind(reg, name, &ifc, version < (max) ? version : (max))
  if (strcmp(iface, wl_shm_interface.name) == 0) {
    wl->shm = OD_BIND(wl_shm_interface, 1);
  } else if (strcmp(iface, wl_seat_interface.name) == 0 && !wl->seat) {
    wl->seat = OD_BIND(wl_seat_interface, 1);
    wl_seat_add_listener(wl->seat, &od_wl_seat_listener, wl);
  } else if (strcmp(iface, wl_output_interface.name) == 0) {
    od_wl_outputs_add(wl, name, version);
  } else if (strcmp(iface, zxdg_output_manager_v1_interface.name) == 0) {
    wl->xdg_outputs = OD_BIND(zxdg_output_manager_v1_interface, 3);
    wl->features |= OD_WAYLAND_FEATURE_XDG_OUTPUT;
  } else if (strcmp(iface, zwlr_screencopy_manager_v1_interface.name) == 0) {
    wl->screencopy_version = version < 3 ? version : 3;
    wl->screencopy = OD_BIND(zwlr_screencopy_manager_v1_interface, 3);
    wl->features |= OD_WAYLAND_FEATURE_SCREENCOPY;
    if (version >= 2) wl->features |= OD_WAYLAND_FEATURE_SCREENCOPY_DAMAGE;
  } else if (strcmp(iface, zwlr_virtual_pointer_manager_v1_interface.name) == 0) {
    wl->pointer_manager = OD_BIND(zwlr_virtual_pointer_manager_v1_interface, 2);
    wl->features |= OD_WAYLAND_FEATURE_VIRTUAL_POINTER;
  } else if (strcmp(iface, zwp_virtual_keyboard_manager_v1_interface.name) == 0) {
    wl->keyboard_manager = OD_BIND(zwp_virtual_keyboard_manager_v1_interface, 1);
    wl->features |= OD_WAYLAND_FEATURE_VIRTUAL_KEYBOARD;
  } else if (strcmp(iface, zwlr_foreign_toplevel_manager_v1_interface.name) == 0) {
    wl->toplevel_manager = OD_BIND(zwlr_foreign_toplevel_manager_v1_interface, 3);
    wl->features |= OD_WAYLAND_FEATURE_TOPLEVELS;
    /* At once: the compositor announces the existing windows as soon as it sees the bind. */
    od_wl_toplevels_start(wl);
  } else if (strcmp(iface, zwlr_data_control_manager_v1_interface.name) == 0) {
    wl->data_control = OD_BIND(zwlr_data_control_manager_v1_interface, 2);
    wl->features |= OD_WAYLAND_FEATURE_DATA_CONTROL;
  }
#undef OD_BIND
}

static void od_wl_global_remove(void *data, struct wl_registry *reg, uint32_t name) {
  od_wl_outputs_remove(data, name);
}

static const struct wl_registry_listener od_wl_registry_listener = {
    .global = od_wl_global,
    .global_remove = od_wl_global_remove,
};

/* Destroys the protocol globals bound at open (the reader is stopped). */
static void od_wl_globals_free(od_wayland *wl) {
  if (wl->screencopy) zwlr_screencopy_manager_v1_destroy(wl->screencopy);
  if (wl->xdg_outputs) zxdg_output_manager_v1_destroy(wl->xdg_outputs);
  if (wl->pointer_manager) zwlr_virtual_pointer_manager_v1_destroy(wl->pointer_manager);
  if (wl->keyboard_manager) zwp_virtual_keyboard_manager_v1_destroy(wl->keyboard_manager);
  if (wl->toplevel_manager) zwlr_foreign_toplevel_manager_v1_destroy(wl->toplevel_manager);
  if (wl->data_control) zwlr_data_control_manager_v1_destroy(wl->data_control);
  if (wl->shm) wl_shm_destroy(wl->shm);
  if (wl->seat) wl_seat_destroy(wl->seat);
  if (wl->registry) wl_registry_destroy(wl->registry);
}

static void od_wl_free(od_wayland *wl) {
  if (wl->reader_started) {
    pthread_mutex_lock(&wl->lock);
    wl->stop = 1;
    pthread_mutex_unlock(&wl->lock);
    if (write(wl->wake[1], "x", 1) < 0) od_log(OD_LOG_WARN, "Cannot wake the Wayland reader");
    pthread_join(wl->reader, NULL);
  }
  if (wl->display) {
    od_wl_input_free(wl);
    od_wl_clipboard_free(wl);
    od_wl_toplevels_free(wl);
    od_wl_outputs_free(wl);
    od_wl_globals_free(wl);
    if (!wl->lost) wl_display_roundtrip(wl->display); /* deliver the releases above */
    wl_display_disconnect(wl->display);
  }
  if (wl->wake[0] >= 0) close(wl->wake[0]);
  if (wl->wake[1] >= 0) close(wl->wake[1]);
  pthread_mutex_destroy(&wl->lock);
  pthread_mutex_destroy(&wl->capture_lock);
  pthread_mutex_destroy(&wl->clipboard_lock);
  pthread_cond_destroy(&wl->cond);
  free(wl);
}

OD_API int od_wayland_display_open(const char *display_name, od_wayland **out) {
  if (!out) return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_display_open: `out` is NULL");
  *out = NULL;
  od_wayland *wl = calloc(1, sizeof *wl);
  if (!wl) return od_fail(OD_ERR_NO_MEMORY, "Out of memory");
  wl->wake[0] = wl->wake[1] = -1;
  pthread_mutex_init(&wl->lock, NULL);
  pthread_mutex_init(&wl->capture_lock, NULL);
  pthread_mutex_init(&wl->clipboard_lock, NULL);
  pthread_cond_init(&wl->cond, NULL);
  const char *name = display_name && *display_name ? display_name : NULL;
  const char *env = getenv("WAYLAND_DISPLAY");
  snprintf(wl->display_name, sizeof wl->display_name, "%s", name ? name : env ? env : "wayland-0");
  wl->display = wl_display_connect(name);
  if (!wl->display) {
    const char *shown = name ? name : getenv("WAYLAND_DISPLAY");
    od_wl_free(wl);
    return od_fail(OD_ERR_WAYLAND_CONNECT,
                   "Cannot connect to the Wayland compositor '%s': %s; set WAYLAND_DISPLAY "
                   "(and XDG_RUNTIME_DIR) to a running compositor",
                   shown ? shown : "wayland-0", strerror(errno));
  }
  wl->registry = wl_display_get_registry(wl->display);
  wl_registry_add_listener(wl->registry, &od_wl_registry_listener, wl);
  /* Before the reader starts, plain round trips: the globals, then their first events. */
  if (wl_display_roundtrip(wl->display) < 0 || (od_wl_outputs_describe(wl),
                                                wl_display_roundtrip(wl->display) < 0) ||
      wl_display_roundtrip(wl->display) < 0) {
    od_wl_free(wl);
    return od_fail(OD_ERR_WAYLAND_CONNECTION_LOST, "The compositor closed the connection at start");
  }
  od_wl_clipboard_start(wl);
  od_wl_input_start(wl);
  if (wl_display_roundtrip(wl->display) < 0 || pipe2(wl->wake, O_CLOEXEC) != 0 ||
      pthread_create(&wl->reader, NULL, od_wl_reader, wl) != 0) {
    od_wl_free(wl);
    return od_fail(OD_ERR_SYSTEM, "Cannot start the Wayland reader: %s", strerror(errno));
  }
  wl->reader_started = 1;
  od_wl_sway_probe(wl);
  *out = wl;
  return OD_OK;
}

OD_API int od_wayland_display_close(od_wayland *wl) {
  if (wl) od_wl_free(wl);
  return OD_OK;
}

OD_API int od_wayland_display_features(od_wayland *wl, uint32_t *flags) {
  if (!wl || !flags)
    return od_fail(OD_ERR_INVALID_ARGUMENT, "od_wayland_display_features: NULL argument");
  *flags = wl->features;
  return OD_OK;
}
