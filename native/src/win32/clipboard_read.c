/* Reading the clipboard by MIME name: text from CF_UNICODETEXT, HTML from "HTML Format" (the
 * fragment its header points at), PNG from the "PNG" format or converted from CF_DIBV5 /
 * CF_DIB, anything else from the registered format of that name; and the list of formats. */
#include "_win32.h"

#include <stdlib.h>
#include <string.h>

#include "_clipboard.h"

/* The bytes of `format` on the open clipboard (pointer valid until GlobalUnlock of `*mem`). */
static const uint8_t *od_clip_get(UINT format, HGLOBAL *mem, size_t *n) {
  *mem = IsClipboardFormatAvailable(format) ? GetClipboardData(format) : NULL;
  if (!*mem) return NULL;
  *n = GlobalSize(*mem);
  return GlobalLock(*mem);
}

/* The PNG's real length: the "PNG" block may be rounded up by the allocator. */
static size_t od_png_length(const uint8_t *p, size_t n) {
  if (n < 8 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0) return n;
  for (size_t at = 8; at + 12 <= n;) {
    size_t len = ((size_t)p[at] << 24) | ((size_t)p[at + 1] << 16) | ((size_t)p[at + 2] << 8) |
                 p[at + 3];
    if (memcmp(p + at + 4, "IEND", 4) == 0) return at + 12;
    if (len > n - at - 12) break;
    at += 12 + len;
  }
  return n;
}

static int od_clip_keep(od_clipboard *cb, const void *data, size_t n) {
  uint8_t *copy = malloc(n ? n : 1);
  if (!copy) return od_win_fail(cb->error, OD_ERR_NO_MEMORY, "Out of memory");
  memcpy(copy, data, n);
  free(cb->data);
  cb->data = copy;
  cb->len = n;
  return OD_OK;
}

static int od_clip_read_open(od_clipboard *cb, const char *target) {
  HGLOBAL mem = NULL;
  size_t n = 0;
  const uint8_t *p;
  int s;
  switch (od_clip_kind(target)) {
  case OD_KIND_TEXT: {
    if (!(p = od_clip_get(CF_UNICODETEXT, &mem, &n))) break;
    size_t units = 0;
    while (units * 2 + 1 < n && ((const wchar_t *)p)[units]) units++;
    int bytes = 0;
    char *utf8 = od_win_utf8((const wchar_t *)p, (int)units, &bytes);
    GlobalUnlock(mem);
    if (!utf8) return od_win_fail(cb->error, OD_ERR_NO_MEMORY, "Out of memory");
    s = od_clip_keep(cb, utf8, (size_t)bytes);
    free(utf8);
    return s;
  }
  case OD_KIND_HTML: {
    if (!(p = od_clip_get(od_clip_html_format(), &mem, &n))) break;
    size_t start = 0, end = 0;
    size_t real = strnlen((const char *)p, n);
    if (!od_clip_html_unwrap((const char *)p, real, &start, &end)) {
      start = 0;
      end = real;
    }
    s = od_clip_keep(cb, p + start, end - start);
    GlobalUnlock(mem);
    return s;
  }
  case OD_KIND_PNG: {
    if ((p = od_clip_get(od_clip_png_format(), &mem, &n))) {
      s = od_clip_keep(cb, p, od_png_length(p, n));
      GlobalUnlock(mem);
      return s;
    }
    if (!(p = od_clip_get(CF_DIBV5, &mem, &n)) && !(p = od_clip_get(CF_DIB, &mem, &n))) break;
    uint8_t *png = NULL;
    size_t png_len = 0;
    s = od_clip_dib_to_png(p, n, &png, &png_len, cb->error);
    GlobalUnlock(mem);
    if (s == OD_OK) {
      free(cb->data);
      cb->data = png;
      cb->len = png_len;
    }
    return s;
  }
  default: {
    wchar_t *name = od_win_wide(target, -1, NULL);
    UINT format = name ? RegisterClipboardFormatW(name) : 0;
    free(name);
    if (!format || !(p = od_clip_get(format, &mem, &n))) break;
    s = od_clip_keep(cb, p, n);
    GlobalUnlock(mem);
    return s;
  }
  }
  return od_win_fail(cb->error, OD_ERR_WIN_NO_DATA, "The clipboard holds no '%s'", target);
}

OD_API int od_clipboard_read(od_clipboard *cb, const char *target, uint32_t timeout_ms,
                             uint32_t *out_len) {
  if (!cb || !target || !out_len)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_clipboard_read: NULL argument");
  EnterCriticalSection(&cb->lock);
  int s = od_clip_open_for(cb, timeout_ms);
  if (s == OD_OK) {
    s = od_clip_read_open(cb, target);
    CloseClipboard();
  }
  *out_len = s == OD_OK ? (uint32_t)cb->len : 0;
  LeaveCriticalSection(&cb->lock);
  return s;
}

OD_API int od_clipboard_fetch(od_clipboard *cb, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!cb || !len) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_clipboard_fetch: NULL");
  EnterCriticalSection(&cb->lock);
  *len = (uint32_t)cb->len;
  int s = OD_OK;
  if (cb->len > cap || (cb->len > 0 && !buf))
    s = od_win_fail(cb->error, OD_ERR_BUFFER_TOO_SMALL, "The data needs %u bytes, %u given",
                    (uint32_t)cb->len, cap);
  else if (cb->len > 0)
    memcpy(buf, cb->data, cb->len);
  LeaveCriticalSection(&cb->lock);
  return s;
}

OD_API int od_clipboard_targets(od_clipboard *cb, uint32_t timeout_ms, uint8_t *buf,
                                uint32_t cap, uint32_t *len) {
  if (!cb || !len) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_clipboard_targets: NULL");
  EnterCriticalSection(&cb->lock);
  int s = od_clip_open_for(cb, timeout_ms);
  if (s != OD_OK) {
    LeaveCriticalSection(&cb->lock);
    return s;
  }
  char *text = NULL;
  size_t used = 0, room = 0;
  for (UINT f = EnumClipboardFormats(0); f; f = EnumClipboardFormats(f)) {
    char name[160];
    od_clip_format_name(f, name, sizeof name);
    size_t k = strlen(name);
    /* Several formats map to image/png or text: list each name once. */
    int seen = 0;
    for (size_t at = 0; at < used && !seen;) {
      size_t e = at;
      while (text[e] != '\n') e++;
      seen = e - at == k && memcmp(text + at, name, k) == 0;
      at = e + 1;
    }
    if (seen) continue;
    if (used + k + 1 > room) {
      room = (used + k + 1) * 2;
      char *grown = realloc(text, room);
      if (!grown) {
        s = od_win_fail(cb->error, OD_ERR_NO_MEMORY, "Out of memory");
        break;
      }
      text = grown;
    }
    memcpy(text + used, name, k);
    text[used + k] = '\n';
    used += k + 1;
  }
  CloseClipboard();
  if (s == OD_OK) {
    *len = (uint32_t)used;
    if (used > cap || (used > 0 && !buf))
      s = od_win_fail(cb->error, OD_ERR_BUFFER_TOO_SMALL, "The list needs %u bytes, %u given",
                      (uint32_t)used, cap);
    else if (used > 0)
      memcpy(buf, text, used);
  }
  free(text);
  LeaveCriticalSection(&cb->lock);
  return s;
}
