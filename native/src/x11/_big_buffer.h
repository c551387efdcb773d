/* Large buffers of the clipboard files, on transparent huge pages where the kernel offers them
 * (big_buffer.c; internal, not part of the ABI). */
#ifndef OPENDESK_X11_BIG_BUFFER_H
#define OPENDESK_X11_BIG_BUFFER_H

#include <stddef.h>

/* `n` bytes (uninitialised), or NULL. Free with od_big_free. */
void *od_big_alloc(size_t n);
/* Grows (or shrinks) a buffer of od_big_alloc, keeping its contents; NULL (and the old buffer
 * intact) when it cannot. */
void *od_big_realloc(void *p, size_t n);
/* Frees a buffer of od_big_alloc or od_big_realloc; NULL is accepted. */
void od_big_free(void *p);

#endif
