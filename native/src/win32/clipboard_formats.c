/* Clipboard data formats: MIME names to Windows formats, the "HTML Format" header with its byte
 * offsets, and device-independent bitmaps (CF_DIB / CF_DIBV5) converted to PNG with the shim's
 * own encoder. */
#include "_win32.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_clipboard.h"

int od_clip_kind(const char *mime) {
  if (strncmp(mime, "text/plain", 10) == 0 || strcmp(mime, "UTF8_STRING") == 0 ||
      strcmp(mime, "STRING") == 0 || strcmp(mime, "TEXT") == 0)
    return OD_KIND_TEXT;
  if (strncmp(mime, "text/html", 9) == 0) return OD_KIND_HTML;
  if (strcmp(mime, "image/png") == 0) return OD_KIND_PNG;
  return OD_KIND_OTHER;
}

UINT od_clip_html_format(void) { return RegisterClipboardFormatW(L"HTML Format"); }
UINT od_clip_png_format(void) { return RegisterClipboardFormatW(L"PNG"); }

/* The header has fixed-width numbers, so its length is known before the offsets are. */
static const char od_html_header[] = "Version:0.9\r\nStartHTML:%010zu\r\nEndHTML:%010zu\r\n"
                                     "StartFragment:%010zu\r\nEndFragment:%010zu\r\n";
static const char od_html_prefix[] = "<html><body>\r\n<!--StartFragment-->";
static const char od_html_suffix[] = "<!--EndFragment-->\r\n</body></html>";

char *od_clip_html_wrap(const char *fragment, size_t n, size_t *len) {
  char probe[160];
  size_t header = (size_t)snprintf(probe, sizeof probe, od_html_header, (size_t)0, (size_t)0,
                                   (size_t)0, (size_t)0);
  size_t start_frag = header + sizeof od_html_prefix - 1;
  size_t end_frag = start_frag + n;
  size_t total = end_frag + sizeof od_html_suffix - 1;
  char *out = malloc(total + 1);
  if (!out) return NULL;
  snprintf(out, header + 1, od_html_header, header, total, start_frag, end_frag);
  memcpy(out + header, od_html_prefix, sizeof od_html_prefix - 1);
  memcpy(out + start_frag, fragment, n);
  memcpy(out + end_frag, od_html_suffix, sizeof od_html_suffix);
  *len = total;
  return out;
}

static int od_html_offset(const char *data, size_t n, const char *key, size_t *out) {
  size_t k = strlen(key);
  for (size_t i = 0; i + k < n && i < 1024; i++)
    if (memcmp(data + i, key, k) == 0) {
      long long v = atoll(data + i + k);
      if (v < 0 || (size_t)v > n) return 0;
      *out = (size_t)v;
      return 1;
    }
  return 0;
}

int od_clip_html_unwrap(const char *data, size_t n, size_t *start, size_t *end) {
  if (od_html_offset(data, n, "StartFragment:", start) &&
      od_html_offset(data, n, "EndFragment:", end) && *start <= *end)
    return 1;
  if (od_html_offset(data, n, "StartHTML:", start) && od_html_offset(data, n, "EndHTML:", end) &&
      *start <= *end)
    return 1;
  return 0;
}

int od_clip_dib_to_png(const uint8_t *dib, size_t n, uint8_t **png, size_t *png_len,
                       char *error) {
  if (n < sizeof(BITMAPINFOHEADER))
    return od_win_fail(error, OD_ERR_WIN_NO_DATA, "The clipboard bitmap is truncated");
  BITMAPINFOHEADER h;
  memcpy(&h, dib, sizeof h);
  int bottom_up = h.biHeight > 0;
  uint32_t w = (uint32_t)h.biWidth, ht = (uint32_t)(bottom_up ? h.biHeight : -h.biHeight);
  if (h.biWidth <= 0 || ht == 0 || w > 65535 || ht > 65535 ||
      (h.biBitCount != 24 && h.biBitCount != 32) ||
      (h.biCompression != BI_RGB && h.biCompression != BI_BITFIELDS))
    return od_win_fail(error, OD_ERR_UNSUPPORTED,
                       "Clipboard bitmap %ldx%ld at %u bits (compression %lu) is not supported: "
                       "24- and 32-bit uncompressed only",
                       (long)h.biWidth, (long)h.biHeight, h.biBitCount,
                       (unsigned long)h.biCompression);
  size_t offset = h.biSize;
  if (h.biCompression == BI_BITFIELDS && h.biSize == sizeof(BITMAPINFOHEADER)) offset += 12;
  offset += (size_t)h.biClrUsed * 4;
  size_t src_stride = (((size_t)w * h.biBitCount + 31) / 32) * 4;
  if (offset + src_stride * ht > n)
    return od_win_fail(error, OD_ERR_WIN_NO_DATA, "The clipboard bitmap is truncated");
  uint8_t *bgrx = malloc((size_t)w * 4 * ht);
  uint64_t cap = od_png_bound(w, ht);
  uint8_t *out = malloc((size_t)cap);
  if (!bgrx || !out) {
    free(bgrx);
    free(out);
    return od_win_fail(error, OD_ERR_NO_MEMORY, "Out of memory converting the bitmap");
  }
  uint32_t step = h.biBitCount / 8;
  for (uint32_t y = 0; y < ht; y++) {
    const uint8_t *s = dib + offset + src_stride * (bottom_up ? ht - 1 - y : y);
    uint8_t *d = bgrx + (size_t)y * w * 4;
    for (uint32_t x = 0; x < w; x++, s += step, d += 4) {
      d[0] = s[0];
      d[1] = s[1];
      d[2] = s[2];
      d[3] = 0xff;
    }
  }
  uint64_t len = 0;
  char text[OD_ERROR_TEXT] = "";
  int s = od_png_encode(bgrx, w * 4, w, ht, NULL, out, cap, &len, text);
  free(bgrx);
  if (s != OD_OK) {
    free(out);
    return od_win_fail(error, s, "%s", text);
  }
  *png = out;
  *png_len = (size_t)len;
  return OD_OK;
}

void od_clip_format_name(UINT format, char *out, size_t cap) {
  static const struct {
    UINT format;
    const char *name;
  } predefined[] = {
      {CF_TEXT, "CF_TEXT"},         {CF_BITMAP, "CF_BITMAP"},
      {CF_METAFILEPICT, "CF_METAFILEPICT"}, {CF_OEMTEXT, "CF_OEMTEXT"},
      {CF_DIB, "image/png"},        {CF_DIBV5, "image/png"},
      {CF_UNICODETEXT, "text/plain;charset=utf-8"}, {CF_ENHMETAFILE, "CF_ENHMETAFILE"},
      {CF_HDROP, "CF_HDROP"},       {CF_LOCALE, "CF_LOCALE"},
  };
  for (size_t i = 0; i < sizeof predefined / sizeof predefined[0]; i++)
    if (predefined[i].format == format) {
      snprintf(out, cap, "%s", predefined[i].name);
      return;
    }
  if (format == od_clip_html_format()) {
    snprintf(out, cap, "text/html");
    return;
  }
  if (format == od_clip_png_format()) {
    snprintf(out, cap, "image/png");
    return;
  }
  wchar_t wide[128];
  int k = GetClipboardFormatNameW(format, wide, 128);
  char *utf8 = k > 0 ? od_win_utf8(wide, k, NULL) : NULL;
  if (utf8) snprintf(out, cap, "%s", utf8);
  else snprintf(out, cap, "CF_%u", format);
  free(utf8);
}
