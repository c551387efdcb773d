/* Screen capture: XShmGetImage into shared memory owned by the frame (so
 * concurrent frames never overwrite each other), XGetImage when MIT-SHM is
 * unusable, conversion of unusual pixel formats to BGRX, and the optional
 * pointer overlay through XFIXES. */
#include "_x11.h"

#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xfixes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

struct od_frame_shm {
  od_frame_backing base; /* first: the frame only sees this */
  od_display *display;   /* NULL once the display detached it */
  od_frame *frame;
  XShmSegmentInfo info;
  size_t size;
  struct od_frame_shm *next;
};

static void od_shm_unlink(od_display *d, struct od_frame_shm *s) {
  for (struct od_frame_shm **p = &d->shm_frames; *p; p = &(*p)->next)
    if (*p == s) {
      *p = s->next;
      break;
    }
}

/* Detaches with the display lock held. */
static void od_shm_detach_locked(struct od_frame_shm *s) {
  if (!s->display) return;
  if (!s->display->lost) {
    XShmDetach(s->display->dpy, &s->info);
    XSync(s->display->dpy, False);
  }
  od_shm_unlink(s->display, s);
  s->display = NULL;
}

static void od_shm_release(od_frame_backing *b) {
  struct od_frame_shm *s = (struct od_frame_shm *)b;
  od_display *d = s->display;
  if (d) {
    pthread_mutex_lock(&d->lock);
    od_shm_detach_locked(s);
    pthread_mutex_unlock(&d->lock);
  }
  if (s->frame && s->frame->pixels == (uint8_t *)s->info.shmaddr) s->frame->pixels = NULL;
  shmdt(s->info.shmaddr);
  free(s);
}

void od_x11_release_shm_frames(od_display *d) {
  while (d->shm_frames) od_shm_detach_locked(d->shm_frames);
}

/* Makes sure `frame` has a segment of at least `size` bytes attached to `d`
 * (lock held). Returns the segment, or NULL when shared memory failed. */
static struct od_frame_shm *od_shm_for(od_display *d, od_frame *frame, size_t size) {
  struct od_frame_shm *s = (struct od_frame_shm *)frame->backing;
  if (s && s->display == d && s->size >= size) return s;
  if (s) {
    /* Wrong display or too small: drop it (d's lock is held, so detach here). */
    if (s->display == d) od_shm_detach_locked(s);
    frame->backing = NULL;
    od_shm_release(&s->base);
  }
  s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->base.release = od_shm_release;
  s->size = size;
  s->info.shmid = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
  if (s->info.shmid < 0) {
    free(s);
    return NULL;
  }
  s->info.shmaddr = shmat(s->info.shmid, NULL, 0);
  shmctl(s->info.shmid, IPC_RMID, NULL);
  if (s->info.shmaddr == (char *)-1) {
    free(s);
    return NULL;
  }
  s->info.readOnly = False;
  od_x11_trap_begin(d);
  XShmAttach(d->dpy, &s->info);
  if (od_x11_trap_end(d, "attach shared memory") != OD_OK) {
    shmdt(s->info.shmaddr);
    free(s);
    return NULL;
  }
  s->display = d;
  s->frame = frame;
  s->next = d->shm_frames;
  d->shm_frames = s;
  frame->backing = &s->base;
  return s;
}

static int od_is_bgrx(const od_display *d, const XImage *img) {
  return img->bits_per_pixel == 32 && img->byte_order == LSBFirst && d->red_mask == 0xff0000 &&
         d->green_mask == 0xff00 && d->blue_mask == 0xff;
}

static uint8_t od_channel(unsigned long pixel, unsigned long mask) {
  if (!mask) return 0;
  int shift = 0, bits = 0;
  while (!((mask >> shift) & 1)) shift++;
  while ((mask >> (shift + bits)) & 1) bits++;
  unsigned long v = (pixel & mask) >> shift;
  return (uint8_t)(bits >= 8 ? v >> (bits - 8) : (v * 255) / ((1ul << bits) - 1));
}

/* Converts any TrueColor image into the frame's own BGRX buffer. */
static int od_convert(od_display *d, od_frame *frame, XImage *img) {
  if (d->red_mask == 0 || d->green_mask == 0 || d->blue_mask == 0)
    return od_x11_fail(d, OD_ERR_X11_PIXEL_FORMAT,
                       "Cannot read the screen: depth %d without colour masks is unsupported",
                       d->depth);
  int status = od_frame_reserve_own(frame, (size_t)img->width * img->height * 4);
  if (status != OD_OK) return status;
  for (int y = 0; y < img->height; y++) {
    uint8_t *row = frame->own + (size_t)y * img->width * 4;
    for (int x = 0; x < img->width; x++) {
      unsigned long p = XGetPixel(img, x, y);
      row[4 * x] = od_channel(p, d->blue_mask);
      row[4 * x + 1] = od_channel(p, d->green_mask);
      row[4 * x + 2] = od_channel(p, d->red_mask);
      row[4 * x + 3] = 0xff;
    }
  }
  frame->pixels = frame->own;
  frame->stride = (uint32_t)img->width * 4;
  return OD_OK;
}

static int od_grab_shm(od_display *d, od_frame *frame, int x, int y, unsigned w, unsigned h) {
  struct od_frame_shm *s = od_shm_for(d, frame, (size_t)w * h * 4);
  if (!s) return OD_ERR_X11_CAPTURE;
  Visual *visual = DefaultVisual(d->dpy, d->screen);
  XImage *img = XShmCreateImage(d->dpy, visual, (unsigned)d->depth, ZPixmap, s->info.shmaddr,
                                &s->info, w, h);
  if (!img) return OD_ERR_X11_CAPTURE;
  od_x11_trap_begin(d);
  Bool ok = XShmGetImage(d->dpy, d->root, img, x, y, AllPlanes);
  int status = od_x11_trap_end(d, "read the screen through shared memory");
  if (status == OD_OK && !ok) status = OD_ERR_X11_CAPTURE;
  if (status == OD_OK) {
    if (od_is_bgrx(d, img)) {
      frame->pixels = (uint8_t *)s->info.shmaddr;
      frame->stride = (uint32_t)img->bytes_per_line;
    } else {
      status = od_convert(d, frame, img);
    }
  }
  XDestroyImage(img);
  return status;
}

static int od_grab_plain(od_display *d, od_frame *frame, int x, int y, unsigned w, unsigned h) {
  od_x11_trap_begin(d);
  XImage *img = XGetImage(d->dpy, d->root, x, y, w, h, AllPlanes, ZPixmap);
  int status = od_x11_trap_end(d, "read the screen");
  if (status != OD_OK || !img) {
    if (img) XDestroyImage(img);
    return status != OD_OK ? status
                           : od_x11_fail(d, OD_ERR_X11_CAPTURE, "Cannot read the screen");
  }
  if (od_is_bgrx(d, img)) {
    status = od_frame_reserve_own(frame, (size_t)w * h * 4);
    if (status == OD_OK) {
      for (unsigned r = 0; r < h; r++)
        memcpy(frame->own + (size_t)r * w * 4, img->data + (size_t)r * img->bytes_per_line,
               (size_t)w * 4);
      frame->pixels = frame->own;
      frame->stride = w * 4;
    }
  } else {
    status = od_convert(d, frame, img);
  }
  XDestroyImage(img);
  return status;
}

/* Alpha-blends the pointer image (premultiplied ARGB) over the frame. */
static void od_draw_cursor(od_display *d, od_frame *frame, int ox, int oy) {
  XFixesCursorImage *c = XFixesGetCursorImage(d->dpy);
  if (!c) return;
  int left = c->x - c->xhot - ox, top = c->y - c->yhot - oy;
  for (int cy = 0; cy < c->height; cy++) {
    int fy = top + cy;
    if (fy < 0 || fy >= (int)frame->height) continue;
    for (int cx = 0; cx < c->width; cx++) {
      int fx = left + cx;
      if (fx < 0 || fx >= (int)frame->width) continue;
      unsigned long argb = c->pixels[cy * c->width + cx];
      uint32_t a = (argb >> 24) & 0xff;
      if (a == 0) continue;
      uint8_t *p = frame->pixels + (size_t)fy * frame->stride + (size_t)fx * 4;
      p[0] = (uint8_t)((argb & 0xff) + p[0] * (255 - a) / 255);
      p[1] = (uint8_t)(((argb >> 8) & 0xff) + p[1] * (255 - a) / 255);
      p[2] = (uint8_t)(((argb >> 16) & 0xff) + p[2] * (255 - a) / 255);
    }
  }
  XFree(c);
}

OD_API int od_capture_grab(od_display *d, od_frame *frame, int32_t x, int32_t y, uint32_t width,
                           uint32_t height, uint32_t flags) {
  if (!d || !frame || width == 0 || height == 0) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  Window root;
  int rx, ry;
  unsigned int rw = 0, rh = 0, border, depth;
  XGetGeometry(d->dpy, d->root, &root, &rx, &ry, &rw, &rh, &border, &depth);
  if (x < 0 || y < 0 || (uint64_t)x + width > rw || (uint64_t)y + height > rh) {
    status = od_x11_fail(d, OD_ERR_INVALID_ARGUMENT,
                         "Cannot capture %ux%u at %d,%d: the screen is %ux%u", width, height, x,
                         y, rw, rh);
    return od_x11_end(d, status);
  }
  frame->pixels = NULL;
  status = OD_ERR_X11_CAPTURE;
  if ((d->features & OD_FEATURE_SHM) && !d->lost) status = od_grab_shm(d, frame, x, y, width, height);
  if (status != OD_OK && !d->lost) status = od_grab_plain(d, frame, x, y, width, height);
  if (status == OD_OK) {
    frame->width = width;
    frame->height = height;
    if ((flags & OD_CAPTURE_CURSOR) && (d->features & OD_FEATURE_XFIXES))
      od_draw_cursor(d, frame, x, y);
  } else {
    frame->pixels = NULL;
    frame->width = frame->height = frame->stride = 0;
    snprintf(frame->error, sizeof frame->error, "%s", d->error);
  }
  return od_x11_end(d, status);
}

OD_API int od_cursor_position(od_display *d, int32_t *x, int32_t *y) {
  if (!d || !x || !y) return OD_ERR_INVALID_ARGUMENT;
  int status = od_x11_begin(d);
  if (status != OD_OK) return status;
  Window root, child;
  int rx = 0, ry = 0, wx, wy;
  unsigned int mask;
  if (!XQueryPointer(d->dpy, d->root, &root, &child, &rx, &ry, &wx, &wy, &mask))
    status = od_x11_fail(d, OD_ERR_NOT_FOUND, "The pointer is on another screen");
  *x = rx;
  *y = ry;
  return od_x11_end(d, status);
}
