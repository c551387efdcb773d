/*
 * A growable JSON text buffer for results handed to TypeScript in one caller-owned buffer
 * (windows list, accessibility tree). Strings are UTF-8, escaped for quotes, backslashes and
 * control characters. Running out of memory is sticky: later writes are dropped and `oom` set,
 * so callers check once at the end.
 */
#ifndef OD_WIN32_JSON_H
#define OD_WIN32_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  char *data;
  size_t len, cap;
  int oom;
} od_json;

void od_json_raw(od_json *j, const char *s, size_t n);
void od_json_lit(od_json *j, const char *s);
/* A JSON string from UTF-8 bytes (NULL writes null). */
void od_json_str(od_json *j, const char *utf8);
/* A JSON string from UTF-16 (NULL writes null). */
void od_json_wstr(od_json *j, const wchar_t *wide);
void od_json_int(od_json *j, int64_t v);
void od_json_bool(od_json *j, int v);
/* `"key":` (with a leading comma unless `first`). */
void od_json_key(od_json *j, const char *key, int first);
/* Copies the text into a caller buffer per the header's rules and frees it. */
int od_json_finish(od_json *j, uint8_t *buf, uint32_t cap, uint32_t *len, char *error);

#endif
