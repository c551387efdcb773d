/* Scratch memory of the encoders' pieces, kept between calls.
 *
 * Each PNG piece needs about a megabyte of buffers per 1080p capture (its
 * filtered rows, its compressed output, the deflate tables). Allocating them
 * per call made glibc map and unmap fresh pages every time (allocations
 * above 128 KiB), and the page faults cost about 2.5 ms of CPU per 1080p
 * PNG. Pieces now borrow a workspace from this pool and give it back; at
 * most OD_WORK_IDLE idle ones are kept (the most pieces one encode runs at
 * once), so the memory kept is bounded by one encode's worth. */
#include "_common.h"

#include <pthread.h>
#include <stdlib.h>

#define OD_WORK_IDLE 8

struct od_work {
  struct od_work *next;
  uint8_t *buf[OD_WORK_SLOTS];
  size_t cap[OD_WORK_SLOTS];
  od_deflate_work *deflate;
};

static pthread_mutex_t od_work_lock = PTHREAD_MUTEX_INITIALIZER;
static od_work *od_work_idle;
static uint32_t od_work_idle_count;

static void od_work_free(od_work *w) {
  for (uint32_t i = 0; i < OD_WORK_SLOTS; i++) free(w->buf[i]);
  od_deflate_work_destroy(w->deflate);
  free(w);
}

od_work *od_work_take(void) {
  pthread_mutex_lock(&od_work_lock);
  od_work *w = od_work_idle;
  if (w) {
    od_work_idle = w->next;
    od_work_idle_count--;
  }
  pthread_mutex_unlock(&od_work_lock);
  if (!w) w = calloc(1, sizeof *w);
  if (w) w->next = NULL;
  return w;
}

void od_work_give(od_work *w) {
  if (!w) return;
  pthread_mutex_lock(&od_work_lock);
  if (od_work_idle_count < OD_WORK_IDLE) {
    w->next = od_work_idle;
    od_work_idle = w;
    od_work_idle_count++;
    w = NULL;
  }
  pthread_mutex_unlock(&od_work_lock);
  if (w) od_work_free(w);
}

uint8_t *od_work_buffer(od_work *w, uint32_t slot, size_t bytes) {
  if (slot >= OD_WORK_SLOTS) return NULL;
  if (w->cap[slot] < bytes) {
    /* Free first: the old contents are not needed, and realloc would copy them. */
    free(w->buf[slot]);
    w->buf[slot] = malloc(bytes);
    w->cap[slot] = w->buf[slot] ? bytes : 0;
  }
  return w->buf[slot];
}

od_deflate_work *od_work_deflate(od_work *w) {
  if (!w->deflate) w->deflate = od_deflate_work_create();
  return w->deflate;
}

/* Frees the idle workspaces when the library is unloaded. */
__attribute__((destructor)) static void od_work_release_all(void) {
  pthread_mutex_lock(&od_work_lock);
  od_work *w = od_work_idle;
  od_work_idle = NULL;
  od_work_idle_count = 0;
  pthread_mutex_unlock(&od_work_lock);
  while (w) {
    od_work *next = w->next;
    od_work_free(w);
    w = next;
  }
}
