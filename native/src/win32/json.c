/* The JSON text buffer of the Windows backend (see _json.h). */
#include "_win32.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_json.h"

static int od_json_reserve(od_json *j, size_t extra) {
  if (j->oom) return 0;
  if (j->len + extra <= j->cap) return 1;
  size_t cap = j->cap ? j->cap : 4096;
  while (cap < j->len + extra) cap *= 2;
  char *p = realloc(j->data, cap);
  if (!p) {
    j->oom = 1;
    return 0;
  }
  j->data = p;
  j->cap = cap;
  return 1;
}

void od_json_raw(od_json *j, const char *s, size_t n) {
  if (!od_json_reserve(j, n)) return;
  memcpy(j->data + j->len, s, n);
  j->len += n;
}

void od_json_lit(od_json *j, const char *s) { od_json_raw(j, s, strlen(s)); }

void od_json_str(od_json *j, const char *s) {
  if (!s) {
    od_json_lit(j, "null");
    return;
  }
  od_json_raw(j, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      char e[2] = {'\\', (char)*p};
      od_json_raw(j, e, 2);
    } else if (*p < 0x20) {
      char e[8];
      snprintf(e, sizeof e, "\\u%04x", *p);
      od_json_raw(j, e, 6);
    } else {
      od_json_raw(j, (const char *)p, 1);
    }
  }
  od_json_raw(j, "\"", 1);
}

void od_json_wstr(od_json *j, const wchar_t *w) {
  if (!w) {
    od_json_lit(j, "null");
    return;
  }
  char *s = od_win_utf8(w, -1, NULL);
  if (!s) {
    j->oom = 1;
    return;
  }
  od_json_str(j, s);
  free(s);
}

void od_json_int(od_json *j, int64_t v) {
  char n[24];
  int k = snprintf(n, sizeof n, "%lld", (long long)v);
  od_json_raw(j, n, (size_t)k);
}

void od_json_bool(od_json *j, int v) { od_json_lit(j, v ? "true" : "false"); }

void od_json_key(od_json *j, const char *key, int first) {
  if (!first) od_json_raw(j, ",", 1);
  od_json_str(j, key);
  od_json_raw(j, ":", 1);
}

int od_json_finish(od_json *j, uint8_t *buf, uint32_t cap, uint32_t *len, char *error) {
  int status = OD_OK;
  if (j->oom) {
    status = od_win_fail(error, OD_ERR_NO_MEMORY, "Out of memory while writing JSON");
  } else if (j->len > 0xffffffffu) {
    status = od_win_fail(error, OD_ERR_BUFFER_TOO_SMALL, "The JSON result exceeds 4 GiB");
  } else {
    *len = (uint32_t)j->len;
    if (j->len > cap || !buf)
      status = od_win_fail(error, OD_ERR_BUFFER_TOO_SMALL, "The result needs %u bytes, %u given",
                           (uint32_t)j->len, cap);
    else
      memcpy(buf, j->data, j->len);
  }
  free(j->data);
  memset(j, 0, sizeof *j);
  return status;
}
