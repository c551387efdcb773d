/*
 * The user's pointer and key events (opendesk.h: od_input_events_*).
 *
 * A reader thread with its own XCB connection selects XInput 2 raw events on the root window
 * for all master devices (raw events reach every client, whatever grabs are active). The two
 * XI2 requests are encoded by hand through xcbext, so no libXi/Xlib state or process-wide
 * error handler is involved. Raw motion carries no position: after each batch of events the
 * thread asks for the pointer position once (motion is coalesced to one `move` per batch).
 * Events go into a bounded ring; when it is full the oldest event is dropped and counted, so a
 * slow consumer never stalls the X connection. Consumers block in od_input_events_wait.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <X11/Xlib.h>
#include <xcb/xcb.h>
#include <xcb/xcbext.h>

#include "opendesk.h"

#define XI_OPCODE_SELECT_EVENTS 46
#define XI_OPCODE_QUERY_VERSION 47
#define XI_RAW_KEY_PRESS 13
#define XI_RAW_KEY_RELEASE 14
#define XI_RAW_BUTTON_PRESS 15
#define XI_RAW_BUTTON_RELEASE 16
#define XI_RAW_MOTION 17
#define XI_ALL_MASTER_DEVICES 1
#define XI_POINTER_EMULATED (1u << 16)

static xcb_extension_t xinput_ext = {"XInputExtension", 0};

struct od_input_events {
  xcb_connection_t *c;
  xcb_window_t root;
  uint8_t xi_opcode;
  pthread_t thread;
  int wake[2];
  pthread_mutex_t mu;
  pthread_cond_t cv;
  /* guarded by mu */
  od_input_event *ring;
  uint32_t cap, head, count;
  uint64_t dropped;
  int stop, broken, waiters;
  /* reader thread only */
  xcb_keycode_t min_keycode;
  uint8_t per_keycode;
  int keysym_count;
  xcb_keysym_t *keysyms;
  uint32_t mods;
  uint8_t keys_down[32];
  int motion_pending;
};

static double epoch_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void push(od_input_events *h, od_input_event *ev) {
  ev->timestamp = epoch_now();
  pthread_mutex_lock(&h->mu);
  if (h->count == h->cap) { /* full: drop the oldest */
    h->head = (h->head + 1) % h->cap;
    h->count--;
    h->dropped++;
  }
  h->ring[(h->head + h->count) % h->cap] = *ev;
  h->count++;
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

static void load_keymap(od_input_events *h) {
  const xcb_setup_t *setup = xcb_get_setup(h->c);
  h->min_keycode = setup->min_keycode;
  xcb_get_keyboard_mapping_reply_t *r = xcb_get_keyboard_mapping_reply(
      h->c,
      xcb_get_keyboard_mapping(h->c, setup->min_keycode,
                               (uint8_t)(setup->max_keycode - setup->min_keycode + 1)),
      NULL);
  if (!r) return;
  int n = xcb_get_keyboard_mapping_keysyms_length(r);
  xcb_keysym_t *copy = malloc(sizeof(xcb_keysym_t) * (size_t)(n ? n : 1));
  if (copy) {
    memcpy(copy, xcb_get_keyboard_mapping_keysyms(r), sizeof(xcb_keysym_t) * (size_t)n);
    free(h->keysyms);
    h->keysyms = copy;
    h->keysym_count = n;
    h->per_keycode = r->keysyms_per_keycode;
  }
  free(r);
}

static xcb_keysym_t keysym_of(od_input_events *h, uint32_t keycode, int shifted) {
  if (!h->keysyms || keycode < h->min_keycode || !h->per_keycode) return 0;
  int base = (int)(keycode - h->min_keycode) * h->per_keycode;
  if (base + 1 >= h->keysym_count) return 0;
  xcb_keysym_t ks = shifted && h->keysyms[base + 1] ? h->keysyms[base + 1] : h->keysyms[base];
  return ks;
}

/* Modifier bit (X state mask) a keysym holds down, 0 for ordinary keys. */
static uint32_t modifier_bit(xcb_keysym_t ks) {
  switch (ks) {
    case 0xffe1: case 0xffe2: return XCB_MOD_MASK_SHIFT;   /* Shift_L/R */
    case 0xffe3: case 0xffe4: return XCB_MOD_MASK_CONTROL; /* Control_L/R */
    case 0xffe9: case 0xffea: case 0xfe03: return XCB_MOD_MASK_1; /* Alt_L/R, ISO_Level3 */
    case 0xffe7: case 0xffe8: case 0xffeb: case 0xffec: return XCB_MOD_MASK_4; /* Meta, Super */
    default: return 0;
  }
}

static int query_pointer(od_input_events *h, int32_t *x, int32_t *y) {
  xcb_query_pointer_reply_t *r =
      xcb_query_pointer_reply(h->c, xcb_query_pointer(h->c, h->root), NULL);
  if (!r) return 0;
  *x = r->root_x;
  *y = r->root_y;
  free(r);
  return 1;
}

static void flush_motion(od_input_events *h, int32_t x, int32_t y) {
  if (!h->motion_pending) return;
  h->motion_pending = 0;
  od_input_event ev;
  memset(&ev, 0, sizeof ev);
  ev.kind = OD_INPUT_EVENT_POINTER;
  ev.action = OD_INPUT_ACTION_MOVE;
  ev.modifiers = h->mods;
  ev.x = x;
  ev.y = y;
  push(h, &ev);
}

static void handle_raw(od_input_events *h, const uint8_t *head32, uint16_t evtype) {
  uint32_t detail, flags;
  memcpy(&detail, head32 + 16, 4); /* xXIRawEvent: evtype@8 deviceid@10 time@12 detail@16 */
  memcpy(&flags, head32 + 24, 4);
  od_input_event ev;
  memset(&ev, 0, sizeof ev);
  if (evtype == XI_RAW_MOTION) {
    h->motion_pending = 1;
    return;
  }
  if (evtype == XI_RAW_KEY_PRESS || evtype == XI_RAW_KEY_RELEASE) {
    int down = evtype == XI_RAW_KEY_PRESS;
    uint8_t bit = (uint8_t)(1u << (detail & 7));
    xcb_keysym_t ks = keysym_of(h, detail, (h->mods & XCB_MOD_MASK_SHIFT) != 0);
    ev.kind = OD_INPUT_EVENT_KEY;
    ev.action = down ? OD_INPUT_ACTION_DOWN : OD_INPUT_ACTION_UP;
    ev.is_repeat = down && detail < 256 && (h->keys_down[detail >> 3] & bit);
    if (detail < 256) {
      h->keys_down[detail >> 3] =
          (uint8_t)(down ? h->keys_down[detail >> 3] | bit : h->keys_down[detail >> 3] & ~bit);
    }
    ev.modifiers = h->mods;
    uint32_t mod = modifier_bit(keysym_of(h, detail, 0));
    h->mods = down ? h->mods | mod : h->mods & ~mod;
    if (keysym_of(h, detail, 0) == 0xffe5 && down && !ev.is_repeat) {
      h->mods ^= XCB_MOD_MASK_LOCK; /* Caps_Lock toggles */
    }
    ev.keysym = ks;
    ev.keycode = detail;
    const char *name = ks ? XKeysymToString(ks) : NULL;
    if (name) strncpy(ev.name, name, sizeof ev.name - 1);
    push(h, &ev);
    return;
  }
  if (evtype == XI_RAW_BUTTON_PRESS || evtype == XI_RAW_BUTTON_RELEASE) {
    int32_t x = 0, y = 0;
    query_pointer(h, &x, &y);
    flush_motion(h, x, y);
    ev.kind = OD_INPUT_EVENT_POINTER;
    ev.modifiers = h->mods;
    ev.x = x;
    ev.y = y;
    if (detail >= 4 && detail <= 7) {
      if (evtype == XI_RAW_BUTTON_RELEASE) return; /* one scroll event per wheel click */
      ev.action = OD_INPUT_ACTION_SCROLL;
      ev.dy = detail == 4 ? 1 : detail == 5 ? -1 : 0;
      ev.dx = detail == 7 ? 1 : detail == 6 ? -1 : 0;
    } else {
      ev.action = evtype == XI_RAW_BUTTON_PRESS ? OD_INPUT_ACTION_DOWN : OD_INPUT_ACTION_UP;
      ev.button = (uint8_t)detail;
    }
    push(h, &ev);
  }
}

static void handle_event(od_input_events *h, xcb_generic_event_t *e) {
  uint8_t type = e->response_type & 0x7f;
  if (type == XCB_MAPPING_NOTIFY) {
    load_keymap(h);
    return;
  }
  if (type != XCB_GE_GENERIC) return;
  const uint8_t *raw = (const uint8_t *)e;
  if (raw[1] != h->xi_opcode) return;
  uint16_t evtype;
  memcpy(&evtype, raw + 8, 2);
  handle_raw(h, raw, evtype);
}

static void *reader_main(void *arg) {
  od_input_events *h = arg;
  int fd = xcb_get_file_descriptor(h->c);
  for (;;) {
    struct pollfd p[2] = {{fd, POLLIN, 0}, {h->wake[0], POLLIN, 0}};
    poll(p, 2, -1);
    pthread_mutex_lock(&h->mu);
    int stop = h->stop;
    pthread_mutex_unlock(&h->mu);
    if (stop) break;
    xcb_generic_event_t *e;
    while ((e = xcb_poll_for_event(h->c))) {
      handle_event(h, e);
      free(e);
    }
    if (h->motion_pending) {
      int32_t x, y;
      if (query_pointer(h, &x, &y)) flush_motion(h, x, y);
    }
    if (xcb_connection_has_error(h->c)) {
      pthread_mutex_lock(&h->mu);
      h->broken = 1;
      pthread_cond_broadcast(&h->cv);
      pthread_mutex_unlock(&h->mu);
      break;
    }
  }
  return NULL;
}

/* Sends one XInput request built from `body` (its first 4 bytes are filled in by XCB). */
static int xi_request(xcb_connection_t *c, uint8_t minor, void *body, size_t len, int has_reply) {
  struct iovec parts[3];
  parts[2].iov_base = body;
  parts[2].iov_len = len;
  xcb_protocol_request_t req = {1, &xinput_ext, minor, (uint8_t)!has_reply};
  unsigned int seq = xcb_send_request(c, XCB_REQUEST_CHECKED,
                                      &parts[2], &req);
  if (!seq) return OD_ERR_X11_CONNECTION_LOST;
  xcb_generic_error_t *err = NULL;
  if (has_reply) {
    void *reply = xcb_wait_for_reply(c, seq, &err);
    free(reply);
    if (!reply && !err) return OD_ERR_X11_CONNECTION_LOST;
  } else {
    err = xcb_request_check(c, (xcb_void_cookie_t){seq});
  }
  free(err);
  return err ? OD_ERR_X11_NO_EXTENSION : OD_OK;
}

static int select_raw_events(od_input_events *h) {
  const xcb_query_extension_reply_t *ext = xcb_get_extension_data(h->c, &xinput_ext);
  if (!ext || !ext->present) return OD_ERR_X11_NO_EXTENSION;
  h->xi_opcode = ext->major_opcode;
  uint16_t version[4] = {0, 0, 2, 2}; /* header, major 2, minor 2 */
  int status = xi_request(h->c, XI_OPCODE_QUERY_VERSION, version, sizeof version, 1);
  if (status != OD_OK) return status;
  uint32_t mask = (1u << XI_RAW_KEY_PRESS) | (1u << XI_RAW_KEY_RELEASE) |
                  (1u << XI_RAW_BUTTON_PRESS) | (1u << XI_RAW_BUTTON_RELEASE) |
                  (1u << XI_RAW_MOTION);
  uint8_t body[20];
  memset(body, 0, sizeof body);
  uint16_t num_masks = 1, deviceid = XI_ALL_MASTER_DEVICES, mask_len = 1;
  memcpy(body + 4, &h->root, 4);
  memcpy(body + 8, &num_masks, 2);
  memcpy(body + 12, &deviceid, 2);
  memcpy(body + 14, &mask_len, 2);
  memcpy(body + 16, &mask, 4);
  return xi_request(h->c, XI_OPCODE_SELECT_EVENTS, body, sizeof body, 0);
}

OD_API int od_input_events_open(const char *display_name, uint32_t capacity,
                                od_input_events **out) {
  if (!out || capacity == 0 || capacity > (1u << 20)) return OD_ERR_INVALID_ARGUMENT;
  *out = NULL;
  od_input_events *h = calloc(1, sizeof *h);
  if (!h || !(h->ring = calloc(capacity, sizeof(od_input_event)))) {
    free(h);
    return OD_ERR_NO_MEMORY;
  }
  h->cap = capacity;
  int screen = 0;
  h->c = xcb_connect(display_name && *display_name ? display_name : NULL, &screen);
  if (xcb_connection_has_error(h->c) || pipe2(h->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
    xcb_disconnect(h->c);
    free(h->ring);
    free(h);
    return OD_ERR_X11_OPEN;
  }
  xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(h->c));
  for (int i = 0; i < screen && it.rem; i++) xcb_screen_next(&it);
  h->root = it.data->root;
  load_keymap(h);
  xcb_query_pointer_reply_t *qp =
      xcb_query_pointer_reply(h->c, xcb_query_pointer(h->c, h->root), NULL);
  h->mods = qp ? qp->mask & 0xff : 0;
  free(qp);
  int status = select_raw_events(h);
  pthread_mutex_init(&h->mu, NULL);
  pthread_cond_init(&h->cv, NULL);
  if (status == OD_OK && pthread_create(&h->thread, NULL, reader_main, h) != 0) {
    status = OD_ERR_SYSTEM;
  }
  if (status != OD_OK) {
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    close(h->wake[0]);
    close(h->wake[1]);
    xcb_disconnect(h->c);
    free(h->keysyms);
    free(h->ring);
    free(h);
    return status;
  }
  *out = h;
  return OD_OK;
}

OD_API int od_input_events_wait(od_input_events *h, uint32_t timeout_ms, od_input_event *out,
                                uint32_t cap, uint32_t *count, uint64_t *dropped) {
  if (!h || !out || !count || cap == 0) return OD_ERR_INVALID_ARGUMENT;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += timeout_ms / 1000;
  deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&h->mu);
  h->waiters++;
  int rc = 0;
  while (!h->count && !h->stop && !h->broken && rc == 0) {
    rc = pthread_cond_timedwait(&h->cv, &h->mu, &deadline);
  }
  uint32_t n = h->count < cap ? h->count : cap;
  for (uint32_t i = 0; i < n; i++) out[i] = h->ring[(h->head + i) % h->cap];
  h->head = (h->head + n) % h->cap;
  h->count -= n;
  *count = n;
  if (dropped) *dropped = h->dropped;
  int status = n ? OD_OK : h->stop ? OD_ERR_STATE : h->broken ? OD_ERR_X11_CONNECTION_LOST : OD_OK;
  h->waiters--;
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
  return status;
}

OD_API int od_input_events_close(od_input_events *h) {
  if (!h) return OD_OK;
  pthread_mutex_lock(&h->mu);
  h->stop = 1;
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
  (void)!write(h->wake[1], "x", 1);
  pthread_join(h->thread, NULL);
  pthread_mutex_lock(&h->mu);
  while (h->waiters) pthread_cond_wait(&h->cv, &h->mu);
  pthread_mutex_unlock(&h->mu);
  pthread_mutex_destroy(&h->mu);
  pthread_cond_destroy(&h->cv);
  close(h->wake[0]);
  close(h->wake[1]);
  xcb_disconnect(h->c);
  free(h->keysyms);
  free(h->ring);
  free(h);
  return OD_OK;
}
