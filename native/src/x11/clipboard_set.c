/*
 * Entry sets of the clipboard owner: parsing the packed entries of od_clipboard_write into a
 * reference-counted set, and the Latin-1 conversion the STRING target needs.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "opendesk.h"
#include "_big_buffer.h"
#include "_clipboard_set.h"

void odc_set_unref(Set *s) {
  if (!s || --s->refs > 0) return;
  for (int i = 0; i < s->n; i++) {
    free(s->e[i].mime);
    od_big_free(s->e[i].data);
  }
  free(s->e);
  free(s);
}

/* Parses the packed entry list; NULL on malformed input or allocation failure. */
Set *odc_set_parse(const uint8_t *p, uint32_t len) {
  Set *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->refs = 1;
  uint32_t off = 0;
  while (off < len) {
    uint32_t ml, dl;
    if (len - off < 4) goto bad;
    memcpy(&ml, p + off, 4);
    off += 4;
    if (ml == 0 || ml > 255 || len - off < ml + 4) goto bad;
    const uint8_t *mime = p + off;
    off += ml;
    memcpy(&dl, p + off, 4);
    off += 4;
    if (len - off < dl) goto bad;
    Entry *grown = realloc(s->e, sizeof(Entry) * (size_t)(s->n + 1));
    if (!grown) goto bad;
    s->e = grown;
    Entry *e = &s->e[s->n];
    memset(e, 0, sizeof *e);
    s->n++;
    e->mime = strndup((const char *)mime, ml);
    e->data = od_big_alloc(dl ? dl : 1);
    if (!e->mime || !e->data) goto bad;
    memcpy(e->data, p + off, dl);
    e->len = dl;
    e->is_text = strncmp(e->mime, "text/plain", 10) == 0;
    off += dl;
  }
  return s;
bad:
  odc_set_unref(s);
  return NULL;
}

/* UTF-8 → ISO 8859-1 for the STRING target; unrepresentable characters become '?'. */
uint8_t *odc_to_latin1(const uint8_t *s, uint32_t n, uint32_t *out_len) {
  uint8_t *out = malloc(n ? n : 1);
  if (!out) return NULL;
  uint32_t j = 0;
  for (uint32_t i = 0; i < n;) {
    uint8_t c = s[i];
    uint32_t cp;
    int k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + (uint32_t)k > n) k = 1;
    cp = k == 1 ? c : k == 2 ? ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu) : 0x100;
    out[j++] = cp < 0x100 ? (uint8_t)cp : '?';
    i += (uint32_t)k;
  }
  *out_len = j;
  return out;
}

