/*
 * Growable JSON text buffer used by the part-2 X11 objects (windows, accessibility) to hand
 * structured results to TypeScript in one caller-owned buffer. Internal: not part of the ABI.
 *
 * Strings are written byte for byte with JSON escapes for quotes, backslashes and control
 * characters; invalid UTF-8 is passed through and replaced by the TypeScript decoder.
 * Allocation failure is sticky: `oom` is set and later writes are ignored, so callers check
 * once at the end.
 */
#ifndef OPENDESK_X11_JSON_WRITER_H
#define OPENDESK_X11_JSON_WRITER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct OdjBuf {
  char *data;
  size_t len;
  size_t cap;
  int oom;
} OdjBuf;

static inline int odj_reserve(OdjBuf *b, size_t extra) {
  if (b->oom) return 0;
  if (b->len + extra <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + extra) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) {
    b->oom = 1;
    return 0;
  }
  b->data = p;
  b->cap = cap;
  return 1;
}

static inline void odj_raw(OdjBuf *b, const char *s, size_t n) {
  if (!odj_reserve(b, n)) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

static inline void odj_lit(OdjBuf *b, const char *s) { odj_raw(b, s, strlen(s)); }

static inline void odj_strn(OdjBuf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  if (!odj_reserve(b, n + 2)) return;
  b->data[b->len++] = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      odj_raw(b, e, 2);
    } else if (c < 0x20) {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      odj_raw(b, e, 6);
    } else {
      if (!odj_reserve(b, 1)) return;
      b->data[b->len++] = (char)c;
    }
  }
  odj_raw(b, "\"", 1);
}

static inline void odj_str(OdjBuf *b, const char *s) {
  if (!s) {
    odj_lit(b, "null");
    return;
  }
  odj_strn(b, s, strlen(s));
}

static inline void odj_int(OdjBuf *b, long long v) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%lld", v);
  odj_raw(b, tmp, (size_t)n);
}

static inline void odj_bool(OdjBuf *b, int v) { odj_lit(b, v ? "true" : "false"); }

/* Writes `"key":` (the key must not need escaping). */
static inline void odj_key(OdjBuf *b, const char *key) {
  odj_raw(b, "\"", 1);
  odj_lit(b, key);
  odj_raw(b, "\":", 2);
}

static inline void odj_free(OdjBuf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}

#endif
