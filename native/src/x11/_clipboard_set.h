/* Entry sets served by the clipboard owner (internal to clipboard_owner.c). */
#ifndef OPENDESK_X11_CLIPBOARD_SET_H
#define OPENDESK_X11_CLIPBOARD_SET_H

#include <stdint.h>
#include <xcb/xcb.h>

typedef struct Entry {
  char *mime;
  xcb_atom_t atom;
  uint8_t *data;
  uint32_t len;
  int is_text;
} Entry;

typedef struct Set {
  int refs;
  int n;
  Entry *e;
} Set;

/* Drops one reference; frees the set with the last one. NULL is accepted. */
void odc_set_unref(Set *s);
/* Parses the packed entry list of od_clipboard_write (one reference); NULL when malformed. */
Set *odc_set_parse(const uint8_t *p, uint32_t len);
/* UTF-8 → ISO 8859-1 for the STRING target ('?' for the rest); caller frees. */
uint8_t *odc_to_latin1(const uint8_t *s, uint32_t n, uint32_t *out_len);

#endif
