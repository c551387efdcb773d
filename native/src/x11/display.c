/* od_display: the X connection, its lock, error handling and the monitor
 * layout. Xlib's default handlers end the process on any error; the shim's
 * handlers record errors instead and mark the handle lost when the server
 * goes away (XSetIOErrorExitHandler, libX11 >= 1.7). */
#include "_x11.h"

#include <X11/XKBlib.h>
#include <X11/extensions/XI2.h>
#include <X11/extensions/XInput2.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>
#include <X11/extensions/Xrandr.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>
#include <stdio.h>

/* Open displays, for the process-wide error handler to find its handle. */
static pthread_mutex_t od_registry_lock = PTHREAD_MUTEX_INITIALIZER;
static od_display *od_registry[64];
static pthread_once_t od_x11_once = PTHREAD_ONCE_INIT;

static od_display *od_registry_find(Display *dpy) {
  od_display *found = NULL;
  pthread_mutex_lock(&od_registry_lock);
  for (size_t i = 0; i < sizeof od_registry / sizeof od_registry[0]; i++)
    if (od_registry[i] && od_registry[i]->dpy == dpy) found = od_registry[i];
  pthread_mutex_unlock(&od_registry_lock);
  return found;
}

static int od_registry_set(od_display *old, od_display *now) {
  int done = 0;
  pthread_mutex_lock(&od_registry_lock);
  for (size_t i = 0; i < sizeof od_registry / sizeof od_registry[0] && !done; i++)
    if (od_registry[i] == old) {
      od_registry[i] = now;
      done = 1;
    }
  pthread_mutex_unlock(&od_registry_lock);
  return done;
}

static int od_x11_error_handler(Display *dpy, XErrorEvent *ev) {
  od_display *d = od_registry_find(dpy);
  if (d && d->trapping && d->trapped_code == 0) {
    d->trapped_code = ev->error_code;
    d->trapped_request = ev->request_code;
    d->trapped_minor = ev->minor_code;
    return 0;
  }
  od_log(OD_LOG_WARN, "X error %d on request %d.%d (not trapped)", ev->error_code,
         ev->request_code, ev->minor_code);
  return 0;
}

static int od_x11_io_error_handler(Display *dpy) {
  (void)dpy;
  od_log(OD_LOG_ERROR, "The connection to the X server was lost");
  return 0;
}

static void od_x11_io_exit_handler(Display *dpy, void *user) {
  (void)dpy;
  od_display *d = user;
  d->lost = 1;
}

static void od_x11_init_once(void) {
  XInitThreads();
  XSetErrorHandler(od_x11_error_handler);
  XSetIOErrorHandler(od_x11_io_error_handler);
}

int od_x11_fail(od_display *d, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->error, sizeof d->error, fmt, ap);
  va_end(ap);
  od_log(OD_LOG_WARN, "%s", d->error);
  return status;
}

int od_x11_begin(od_display *d) {
  pthread_mutex_lock(&d->lock);
  if (d->lost) {
    /* After an I/O error Xlib may keep its internal display lock owned by the
     * thread that hit the error, so no thread may call Xlib on it again. */
    pthread_mutex_unlock(&d->lock);
    return od_x11_fail(d, OD_ERR_X11_CONNECTION_LOST,
                       "The X server connection was lost: reopen the display");
  }
  return OD_OK;
}

int od_x11_end(od_display *d, int status) {
  pthread_mutex_unlock(&d->lock);
  if (d->lost && status != OD_ERR_X11_CONNECTION_LOST)
    return od_x11_fail(d, OD_ERR_X11_CONNECTION_LOST,
                       "The X server connection was lost: reopen the display");
  return status;
}

void od_x11_trap_begin(od_display *d) {
  d->trapping = 1;
  d->trapped_code = 0;
}

int od_x11_trap_end(od_display *d, const char *what) {
  XSync(d->dpy, False);
  d->trapping = 0;
  if (d->lost) return od_x11_fail(d, OD_ERR_X11_CONNECTION_LOST, "Cannot %s: the X server connection was lost", what);
  if (d->trapped_code == 0) return OD_OK;
  char text[80];
  XGetErrorText(d->dpy, d->trapped_code, text, sizeof text);
  return od_x11_fail(d, OD_ERR_X11_REQUEST, "Cannot %s: X error %s (request %d.%d)", what, text,
                     d->trapped_request, d->trapped_minor);
}

/* MIT-SHM is usable only when the server can attach our segments (same host
 * and IPC namespace): try it once with a one-page segment. */
static int od_probe_shm(od_display *d) {
  if (!XShmQueryExtension(d->dpy)) return 0;
  XShmSegmentInfo info;
  memset(&info, 0, sizeof info);
  info.shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  if (info.shmid < 0) return 0;
  info.shmaddr = shmat(info.shmid, NULL, 0);
  shmctl(info.shmid, IPC_RMID, NULL);
  if (info.shmaddr == (char *)-1) return 0;
  info.readOnly = False;
  od_x11_trap_begin(d);
  XShmAttach(d->dpy, &info);
  int ok = od_x11_trap_end(d, "attach shared memory") == OD_OK;
  if (ok) XShmDetach(d->dpy, &info);
  XSync(d->dpy, False);
  shmdt(info.shmaddr);
  return ok;
}

static uint32_t od_probe_features(od_display *d) {
  uint32_t f = 0;
  int ev, err, major, minor, opcode;
  if (od_probe_shm(d)) f |= OD_FEATURE_SHM;
  if (XTestQueryExtension(d->dpy, &ev, &err, &major, &minor)) f |= OD_FEATURE_XTEST;
  if (XRRQueryExtension(d->dpy, &ev, &err) && XRRQueryVersion(d->dpy, &major, &minor) &&
      (major > 1 || (major == 1 && minor >= 5)))
    f |= OD_FEATURE_RANDR;
  if (XFixesQueryExtension(d->dpy, &d->xfixes_event, &d->xfixes_error)) {
    major = 4;
    minor = 0;
    XFixesQueryVersion(d->dpy, &major, &minor);
    if (major >= 1) f |= OD_FEATURE_XFIXES;
  }
  if (XDamageQueryExtension(d->dpy, &ev, &err)) f |= OD_FEATURE_DAMAGE;
  if (XQueryExtension(d->dpy, "XInputExtension", &opcode, &ev, &err)) {
    major = 2;
    minor = 0;
    if (XIQueryVersion(d->dpy, &major, &minor) == Success && major >= 2) f |= OD_FEATURE_XINPUT2;
  }
  major = XkbMajorVersion;
  minor = XkbMinorVersion;
  if (XkbQueryExtension(d->dpy, &opcode, &ev, &err, &major, &minor)) f |= OD_FEATURE_XKB;
  return f;
}

static int od_read_pixel_format(od_display *d) {
  XWindowAttributes attr;
  if (!XGetWindowAttributes(d->dpy, d->root, &attr)) return OD_ERR_X11_REQUEST;
  d->depth = attr.depth;
  d->red_mask = attr.visual->red_mask;
  d->green_mask = attr.visual->green_mask;
  d->blue_mask = attr.visual->blue_mask;
  int n = 0;
  XPixmapFormatValues *formats = XListPixmapFormats(d->dpy, &n);
  for (int i = 0; i < n; i++)
    if (formats[i].depth == attr.depth) d->bits_per_pixel = formats[i].bits_per_pixel;
  if (formats) XFree(formats);
  return OD_OK;
}

OD_API int od_display_open(const char *name, od_display **out) {
  if (!out) return OD_ERR_INVALID_ARGUMENT;
  *out = NULL;
  pthread_once(&od_x11_once, od_x11_init_once);
  od_display *d = calloc(1, sizeof *d);
  if (!d) return OD_ERR_NO_MEMORY;
  const char *display_name = name && name[0] ? name : NULL;
  d->dpy = XOpenDisplay(display_name);
  if (!d->dpy) {
    const char *shown = display_name ? display_name : getenv("DISPLAY");
    od_log(OD_LOG_ERROR, "Cannot open X display '%s'", shown ? shown : "");
    free(d);
    return OD_ERR_X11_OPEN;
  }
  if (!od_registry_set(NULL, d)) {
    od_log(OD_LOG_ERROR, "Cannot open X display: too many displays open");
    XCloseDisplay(d->dpy);
    free(d);
    return OD_ERR_STATE;
  }
  pthread_mutex_init(&d->lock, NULL);
  XSetIOErrorExitHandler(d->dpy, od_x11_io_exit_handler, d);
  d->screen = DefaultScreen(d->dpy);
  d->root = RootWindow(d->dpy, d->screen);
  pthread_mutex_lock(&d->lock);
  d->features = od_probe_features(d);
  int status = od_read_pixel_format(d);
  od_x11_keymap_scan(d);
  pthread_mutex_unlock(&d->lock);
  if (status != OD_OK || d->lost) {
    od_display_close(d);
    return status != OD_OK ? status : OD_ERR_X11_CONNECTION_LOST;
  }
  *out = d;
  return OD_OK;
}

OD_API int od_display_close(od_display *d) {
  if (!d) return OD_OK;
  if (!d->lost) {
    od_input_release_all(d);
    pthread_mutex_lock(&d->lock);
    od_x11_keymap_restore_locked(d, 60000);
    pthread_mutex_unlock(&d->lock);
  }
  pthread_mutex_lock(&d->lock);
  od_x11_release_shm_frames(d);
  if (d->lost) {
    /* Xlib is unusable after an I/O error (see od_x11_begin): close the
     * socket and leave the Display structure allocated (a one-off leak). */
    close(ConnectionNumber(d->dpy));
  } else {
    XCloseDisplay(d->dpy);
  }
  pthread_mutex_unlock(&d->lock);
  od_registry_set(d, NULL);
  pthread_mutex_destroy(&d->lock);
  free(d);
  return OD_OK;
}

OD_API int od_display_features(od_display *d, uint32_t *flags) {
  if (!d || !flags) return OD_ERR_INVALID_ARGUMENT;
  *flags = d->features;
  return OD_OK;
}

OD_API int od_display_last_error(od_display *d, char *buf, uint32_t cap, uint32_t *len) {
  if (!d) return OD_ERR_INVALID_ARGUMENT;
  return od_copy_text(d->error, buf, cap, len);
}

OD_API int od_display_size(od_display *d, uint32_t *width, uint32_t *height) {
  if (!d || !width || !height) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  Window root;
  int x, y;
  unsigned int w = 0, h = 0, border, depth;
  if (!XGetGeometry(d->dpy, d->root, &root, &x, &y, &w, &h, &border, &depth))
    status = od_x11_fail(d, OD_ERR_X11_REQUEST, "Cannot read the size of the root window");
  *width = w;
  *height = h;
  return od_x11_end(d, status);
}

static void od_monitor_set(od_monitor *m, int x, int y, unsigned w, unsigned h, unsigned wmm,
                           unsigned hmm, int primary, const char *name) {
  memset(m, 0, sizeof *m);
  m->x = x;
  m->y = y;
  m->width = w;
  m->height = h;
  m->width_mm = wmm;
  m->height_mm = hmm;
  m->primary = primary ? 1 : 0;
  strncpy(m->name, name ? name : "", sizeof m->name - 1);
}

OD_API int od_display_monitors(od_display *d, od_monitor *out, uint32_t cap, uint32_t *count) {
  if (!d || !count || (cap > 0 && !out)) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  int n = 0;
  XRRMonitorInfo *mons = NULL;
  if (d->features & OD_FEATURE_RANDR) mons = XRRGetMonitors(d->dpy, d->root, True, &n);
  if (mons && n > 0) {
    *count = (uint32_t)n;
    if ((uint32_t)n > cap) {
      status = od_x11_fail(d, OD_ERR_BUFFER_TOO_SMALL, "There are %d monitors, room for %u", n, cap);
    } else {
      for (int i = 0; i < n; i++) {
        char *name = mons[i].name != None ? XGetAtomName(d->dpy, mons[i].name) : NULL;
        od_monitor_set(&out[i], mons[i].x, mons[i].y, (unsigned)mons[i].width,
                       (unsigned)mons[i].height, (unsigned)mons[i].mwidth,
                       (unsigned)mons[i].mheight, mons[i].primary, name);
        if (name) XFree(name);
      }
    }
  } else {
    *count = 1;
    if (cap < 1) {
      status = od_x11_fail(d, OD_ERR_BUFFER_TOO_SMALL, "There is 1 monitor, room for 0");
    } else {
      Screen *s = ScreenOfDisplay(d->dpy, d->screen);
      Window root;
      int x, y;
      unsigned int w = 0, h = 0, border, depth;
      XGetGeometry(d->dpy, d->root, &root, &x, &y, &w, &h, &border, &depth);
      od_monitor_set(&out[0], 0, 0, w, h, (unsigned)WidthMMOfScreen(s),
                     (unsigned)HeightMMOfScreen(s), 1, "screen");
    }
  }
  if (mons) XRRFreeMonitors(mons);
  return od_x11_end(d, status);
}
