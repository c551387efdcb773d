/*
 * A small X client for the native backend's tests and benchmark. It draws
 * known scenes and reports the input events it receives, one line each on
 * stdout. It exits when its stdin closes.
 *
 *   x_client scene X Y W H       solid test pattern (see draw_pattern) in an
 *                                 override-redirect window at X,Y
 *   x_client events              full-screen window that takes the focus and
 *                                 prints "key press|release KEYSYM_HEX STATE",
 *                                 "button press|release N X Y STATE", "motion X Y";
 *                                 it answers _NET_WM_PING from its event loop, as
 *                                 toolkits do, so the shim's key barrier knows
 *                                 when the keys sent before were handled
 *   x_client desktop             a realistic 1920x1080 desktop: text windows
 *                                 and a photo-like image over a third of it
 *   x_client animate X Y W H FPS  a W x H square changing colour FPS times a second
 *   x_client fill RRGGBB          fills the whole screen with one colour
 *   x_client noise SEED           pure noise, flat bands and repeats (encoder stress)
 *
 * Every mode prints "ready" once its window is mapped and drawn.
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static Display *dpy;
static int scr;

static Window make_window(int x, int y, int w, int h, long events) {
  XSetWindowAttributes a;
  a.override_redirect = True;
  a.background_pixel = BlackPixel(dpy, scr);
  a.event_mask = events | ExposureMask | StructureNotifyMask;
  Window win = XCreateWindow(dpy, RootWindow(dpy, scr), x, y, w, h, 0, CopyFromParent,
                             InputOutput, CopyFromParent,
                             CWOverrideRedirect | CWBackPixel | CWEventMask, &a);
  XMapRaised(dpy, win);
  XEvent ev;
  do XNextEvent(dpy, &ev);
  while (ev.type != MapNotify);
  return win;
}

static unsigned long rgb(int r, int g, int b) {
  return ((unsigned long)r << 16) | ((unsigned long)g << 8) | (unsigned long)b;
}

static void ready(void) {
  XSync(dpy, False);
  printf("ready\n");
  fflush(stdout);
}

static int stdin_closed(int timeout_ms) {
  struct pollfd p = {0, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) > 0) {
    char buf[64];
    if (read(0, buf, sizeof buf) <= 0) return 1;
  }
  return 0;
}

/* Waits until the X connection has data or stdin closes (1), so events are printed as soon as
 * they arrive. */
static int wait_events_or_stdin_closed(void) {
  struct pollfd p[2] = {{0, POLLIN, 0}, {ConnectionNumber(dpy), POLLIN, 0}};
  if (poll(p, 2, 1000) > 0 && p[0].revents) {
    char buf[64];
    if (read(0, buf, sizeof buf) <= 0) return 1;
  }
  return 0;
}

/* Four quadrants (red, green, blue, white) and a 1-pixel yellow frame. */
static void draw_pattern(Window win, GC gc, int w, int h) {
  XSetForeground(dpy, gc, rgb(255, 0, 0));
  XFillRectangle(dpy, win, gc, 0, 0, w / 2, h / 2);
  XSetForeground(dpy, gc, rgb(0, 255, 0));
  XFillRectangle(dpy, win, gc, w / 2, 0, w - w / 2, h / 2);
  XSetForeground(dpy, gc, rgb(0, 0, 255));
  XFillRectangle(dpy, win, gc, 0, h / 2, w / 2, h - h / 2);
  XSetForeground(dpy, gc, rgb(255, 255, 255));
  XFillRectangle(dpy, win, gc, w / 2, h / 2, w - w / 2, h - h / 2);
  XSetForeground(dpy, gc, rgb(255, 255, 0));
  XDrawRectangle(dpy, win, gc, 0, 0, w - 1, h - 1);
}

static int run_scene(int x, int y, int w, int h) {
  Window win = make_window(x, y, w, h, 0);
  GC gc = XCreateGC(dpy, win, 0, NULL);
  draw_pattern(win, gc, w, h);
  ready();
  for (;;) {
    while (XPending(dpy)) {
      XEvent ev;
      XNextEvent(dpy, &ev);
      if (ev.type == Expose) draw_pattern(win, gc, w, h);
    }
    if (stdin_closed(100)) return 0;
  }
}

static int run_fill(const char *hex) {
  unsigned long c = strtoul(hex, NULL, 16);
  Window win = make_window(0, 0, DisplayWidth(dpy, scr), DisplayHeight(dpy, scr), 0);
  GC gc = XCreateGC(dpy, win, 0, NULL);
  XSetForeground(dpy, gc, c);
  XFillRectangle(dpy, win, gc, 0, 0, DisplayWidth(dpy, scr), DisplayHeight(dpy, scr));
  ready();
  while (!stdin_closed(100)) {
    while (XPending(dpy)) {
      XEvent ev;
      XNextEvent(dpy, &ev);
      if (ev.type == Expose)
        XFillRectangle(dpy, win, gc, 0, 0, DisplayWidth(dpy, scr), DisplayHeight(dpy, scr));
    }
  }
  return 0;
}

static int run_events(void) {
  int w = DisplayWidth(dpy, scr), h = DisplayHeight(dpy, scr);
  Window win = make_window(0, 0, w, h,
                           KeyPressMask | KeyReleaseMask | ButtonPressMask | ButtonReleaseMask |
                               PointerMotionMask);
  Atom protocols = XInternAtom(dpy, "WM_PROTOCOLS", False);
  Atom ping = XInternAtom(dpy, "_NET_WM_PING", False);
  XSetWMProtocols(dpy, win, &ping, 1);
  XSetInputFocus(dpy, win, RevertToParent, CurrentTime);
  ready();
  for (;;) {
    while (XPending(dpy)) {
      XEvent ev;
      XNextEvent(dpy, &ev);
      switch (ev.type) {
      case MappingNotify:
        XRefreshKeyboardMapping(&ev.xmapping);
        break;
      case ClientMessage:
        /* Every event before the ping was handled: answer it on the root window. */
        if (ev.xclient.message_type == protocols && (Atom)ev.xclient.data.l[0] == ping) {
          Window root = RootWindow(dpy, scr);
          ev.xclient.window = root;
          XSendEvent(dpy, root, False, SubstructureNotifyMask | SubstructureRedirectMask, &ev);
          XFlush(dpy);
        }
        break;
      case KeyPress:
      case KeyRelease: {
        char text[32];
        KeySym ks = NoSymbol;
        XLookupString(&ev.xkey, text, sizeof text, &ks, NULL);
        printf("key %s %lx %u %u\n", ev.type == KeyPress ? "press" : "release", (unsigned long)ks,
               ev.xkey.state, ev.xkey.keycode);
        break;
      }
      case ButtonPress:
      case ButtonRelease:
        printf("button %s %u %d %d %u\n", ev.type == ButtonPress ? "press" : "release",
               ev.xbutton.button, ev.xbutton.x_root, ev.xbutton.y_root, ev.xbutton.state);
        break;
      case MotionNotify:
        printf("motion %d %d\n", ev.xmotion.x_root, ev.xmotion.y_root);
        break;
      }
      fflush(stdout);
    }
    if (wait_events_or_stdin_closed()) return 0;
  }
}

/* Deterministic noise. */
static unsigned rng_state = 12345;
static unsigned rng(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return (rng_state >> 16) & 0x7fff;
}

static int run_desktop(void) {
  int sw = DisplayWidth(dpy, scr), sh = DisplayHeight(dpy, scr);
  Window bg = make_window(0, 0, sw, sh, 0);
  GC gc = XCreateGC(dpy, bg, 0, NULL);
  XSetForeground(dpy, gc, rgb(58, 110, 165));
  XFillRectangle(dpy, bg, gc, 0, 0, sw, sh);
  /* A photo-like image: smooth gradients, soft blobs and grain, over 40 % of the screen. */
  int pw = sw * 2 / 3, ph = sh * 6 / 10;
  char *data = malloc((size_t)pw * ph * 4);
  for (int y = 0; y < ph; y++)
    for (int x = 0; x < pw; x++) {
      double fx = (double)x / pw, fy = (double)y / ph;
      double sky = 1.0 - fy;
      double hill = (fy > 0.55 + 0.1 * __builtin_sin(fx * 9.0)) ? 1.0 : 0.0;
      double sun = 1.0 / (1.0 + 40.0 * ((fx - 0.7) * (fx - 0.7) + (fy - 0.25) * (fy - 0.25)));
      int grain = (int)(rng() % 13) - 6;
      int r = (int)(hill ? 40 + 60 * fx : 90 + 120 * sky + 140 * sun) + grain;
      int g = (int)(hill ? 90 + 70 * (1 - fy) : 140 + 90 * sky + 100 * sun) + grain;
      int b = (int)(hill ? 30 + 20 * fy : 200 + 50 * sky) + grain;
      r = r < 0 ? 0 : r > 255 ? 255 : r;
      g = g < 0 ? 0 : g > 255 ? 255 : g;
      b = b < 0 ? 0 : b > 255 ? 255 : b;
      unsigned *p = (unsigned *)(data + ((size_t)y * pw + x) * 4);
      *p = (unsigned)rgb(r, g, b);
    }
  XImage *img = XCreateImage(dpy, DefaultVisual(dpy, scr), DefaultDepth(dpy, scr), ZPixmap, 0,
                             data, pw, ph, 32, 0);
  XPutImage(dpy, bg, gc, img, 0, 0, sw - pw - 20, sh - ph - 20, pw, ph);
  /* Text windows: white panes with title bars and lines of core-font text. */
  XFontStruct *font = XLoadQueryFont(dpy, "fixed");
  if (font) XSetFont(dpy, gc, font->fid);
  const char *words[] = {"opendesk", "capture", "window", "return", "function", "const",
                         "display", "pointer", "keyboard", "buffer", "stream", "frame",
                         "server", "client", "delta", "encode", "=", "{", "}", "();"};
  int wins[3][4] = {{30, 30, 760, 640}, {820, 60, 1060, 330}, {60, 700, 520, 340}};
  for (int k = 0; k < 3; k++) {
    int x = wins[k][0], y = wins[k][1], w = wins[k][2], h = wins[k][3];
    XSetForeground(dpy, gc, rgb(250, 250, 250));
    XFillRectangle(dpy, bg, gc, x, y, w, h);
    XSetForeground(dpy, gc, rgb(60, 60, 70));
    XFillRectangle(dpy, bg, gc, x, y, w, 24);
    XSetForeground(dpy, gc, rgb(20, 20, 20));
    for (int line = 0; 40 + line * 14 < h; line++) {
      char text[200];
      int n = 0;
      int indent = (int)(rng() % 4) * 2;
      for (int i = 0; i < indent; i++) text[n++] = ' ';
      while (n < 110 && n < (w - 16) / 6 - 10) {
        const char *wd = words[rng() % 20];
        int l = (int)strlen(wd);
        memcpy(text + n, wd, (size_t)l);
        n += l;
        text[n++] = ' ';
      }
      XSetForeground(dpy, gc, line % 7 == 0 ? rgb(0, 90, 170) : rgb(20, 20, 20));
      XDrawString(dpy, bg, gc, x + 8, y + 40 + line * 14, text, n);
    }
  }
  XFlush(dpy);
  ready();
  while (!stdin_closed(100)) {
    while (XPending(dpy)) {
      XEvent ev;
      XNextEvent(dpy, &ev);
    }
  }
  return 0;
}

static int run_noise(unsigned seed) {
  int sw = DisplayWidth(dpy, scr), sh = DisplayHeight(dpy, scr);
  Window win = make_window(0, 0, sw, sh, 0);
  GC gc = XCreateGC(dpy, win, 0, NULL);
  char *data = malloc((size_t)sw * sh * 4);
  rng_state = seed;
  for (int y = 0; y < sh; y++) {
    unsigned *row = (unsigned *)(data + (size_t)y * sw * 4);
    int band = (y / 37) % 4;
    for (int x = 0; x < sw; x++) {
      if (band == 0) row[x] = (rng() << 17) ^ (rng() << 2) ^ rng(); /* noise */
      else if (band == 1) row[x] = (unsigned)rgb(y & 255, 40, 200);    /* flat */
      else if (band == 2) row[x] = (unsigned)rgb((x % 7) * 30, (x % 3) * 80, y & 255);
      else row[x] = (x / 5) % 2 ? (unsigned)rng() * 77u : 0x00ffffffu;
    }
  }
  XImage *img = XCreateImage(dpy, DefaultVisual(dpy, scr), DefaultDepth(dpy, scr), ZPixmap, 0,
                             data, sw, sh, 32, 0);
  XPutImage(dpy, win, gc, img, 0, 0, 0, 0, sw, sh);
  ready();
  while (!stdin_closed(100)) {
    while (XPending(dpy)) {
      XEvent ev;
      XNextEvent(dpy, &ev);
      if (ev.type == Expose) XPutImage(dpy, win, gc, img, 0, 0, 0, 0, sw, sh);
    }
  }
  return 0;
}

static int run_animate(int x, int y, int w, int h, int fps) {
  Window win = make_window(x, y, w, h, 0);
  GC gc = XCreateGC(dpy, win, 0, NULL);
  ready();
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  const long period = 1000000000L / fps;
  for (unsigned frame = 0;; frame++) {
    XSetForeground(dpy, gc, rgb((frame * 37) & 255, (frame * 91) & 255, (frame * 13) & 255));
    XFillRectangle(dpy, win, gc, 0, 0, w, h);
    XSetForeground(dpy, gc, rgb(255, 255, 255));
    XFillRectangle(dpy, win, gc, (int)(frame * 7 % (unsigned)w), 0, 10, h);
    XSync(dpy, False);
    while (XPending(dpy)) {
      XEvent ev;
      XNextEvent(dpy, &ev);
    }
    /* Paced on absolute deadlines so the rate is exactly `fps`. */
    next.tv_nsec += period;
    while (next.tv_nsec >= 1000000000L) {
      next.tv_nsec -= 1000000000L;
      next.tv_sec++;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long wait_ms = (next.tv_sec - now.tv_sec) * 1000 + (next.tv_nsec - now.tv_nsec) / 1000000;
    if (stdin_closed(wait_ms > 0 ? (int)wait_ms : 0)) return 0;
  }
}

int main(int argc, char **argv) {
  dpy = XOpenDisplay(NULL);
  if (!dpy || argc < 2) {
    fprintf(stderr, "usage: x_client MODE ... (with DISPLAY set)\n");
    return 2;
  }
  scr = DefaultScreen(dpy);
  if (!strcmp(argv[1], "scene") && argc == 6)
    return run_scene(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
  if (!strcmp(argv[1], "events")) return run_events();
  if (!strcmp(argv[1], "desktop")) return run_desktop();
  if (!strcmp(argv[1], "fill") && argc == 3) return run_fill(argv[2]);
  if (!strcmp(argv[1], "noise") && argc == 3) return run_noise((unsigned)atoi(argv[2]));
  if (!strcmp(argv[1], "animate") && argc == 7)
    return run_animate(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
  fprintf(stderr, "unknown mode\n");
  return 2;
}
