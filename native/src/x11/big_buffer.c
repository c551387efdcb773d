/*
 * Large buffers on transparent huge pages (see _big_buffer.h).
 *
 * A fresh 10 MiB buffer from malloc takes ~2,500 page faults on first touch; on virtual machines
 * each fault is expensive (a copy into such a buffer measured ~40 ms, against ~3 ms on huge
 * pages). Buffers of 1 MiB and more are therefore mapped on their own, aligned to 2 MiB and
 * advised as huge pages; the kernel falls back to small pages where it offers none. Smaller
 * buffers come from malloc. Every buffer carries its size in a header in front of it.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "_big_buffer.h"

#define HUGE_MIN (1u << 20)
#define HUGE_ALIGN ((size_t)2 << 20)
#define HEADER 64 /* keeps the data 64-byte aligned */

typedef struct Header {
  size_t size;   /* usable bytes */
  size_t mapped; /* bytes mapped, 0 for malloc */
} Header;

static void *map_huge(size_t total) {
  size_t span = total + HUGE_ALIGN;
  uint8_t *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return NULL;
  uint8_t *start = (uint8_t *)(((uintptr_t)raw + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1));
  if (start > raw) munmap(raw, (size_t)(start - raw));
  size_t tail = (size_t)(raw + span - (start + total));
  if (tail) munmap(start + total, tail);
  madvise(start, total, MADV_HUGEPAGE);
  return start;
}

void *od_big_alloc(size_t n) {
  if (n > SIZE_MAX - HEADER - HUGE_ALIGN) return NULL;
  size_t total = n + HEADER;
  Header *h;
  if (n >= HUGE_MIN) {
    total = (total + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1);
    h = map_huge(total);
    if (!h) return NULL;
    h->mapped = total;
  } else {
    h = malloc(total);
    if (!h) return NULL;
    h->mapped = 0;
  }
  h->size = n;
  return (uint8_t *)h + HEADER;
}

void od_big_free(void *p) {
  if (!p) return;
  Header *h = (Header *)((uint8_t *)p - HEADER);
  if (h->mapped) {
    munmap(h, h->mapped);
  } else {
    free(h);
  }
}

void *od_big_realloc(void *p, size_t n) {
  if (!p) return od_big_alloc(n);
  Header *h = (Header *)((uint8_t *)p - HEADER);
  if (h->mapped && n + HEADER <= h->mapped) {
    h->size = n;
    return p;
  }
  void *q = od_big_alloc(n);
  if (!q) return NULL;
  memcpy(q, p, h->size < n ? h->size : n);
  od_big_free(p);
  return q;
}
