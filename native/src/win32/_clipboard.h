/* Internal parts of the clipboard (clipboard.c, clipboard_formats.c). */
#ifndef OD_WIN32_CLIPBOARD_H
#define OD_WIN32_CLIPBOARD_H

#include "_win32.h"

struct od_clipboard {
  CRITICAL_SECTION lock; /* one read or write at a time */
  HANDLE thread;         /* owns `owner` and answers its messages */
  DWORD thread_id;
  HWND owner;            /* message-only window named as clipboard owner on writes */
  DWORD written_seq;     /* clipboard sequence number right after our last write */
  uint8_t *data;         /* result of the last read */
  size_t len;
  char error[OD_ERROR_TEXT];
};

/* Opens the clipboard for `cb`'s owner window, retrying until `timeout_ms` (clipboard.c). */
int od_clip_open_for(od_clipboard *cb, uint32_t timeout_ms);

/* Clipboard formats for MIME names (clipboard_formats.c). */
#define OD_KIND_TEXT 1
#define OD_KIND_HTML 2
#define OD_KIND_PNG 3
#define OD_KIND_OTHER 4
int od_clip_kind(const char *mime);
UINT od_clip_html_format(void);
UINT od_clip_png_format(void);
/* "HTML Format" data for an HTML fragment (malloc'd, NUL-terminated, `*len` without NUL). */
char *od_clip_html_wrap(const char *fragment, size_t n, size_t *len);
/* The fragment of "HTML Format" data (points into `data`), or the whole HTML part. */
int od_clip_html_unwrap(const char *data, size_t n, size_t *start, size_t *end);
/* A PNG of a CF_DIB / CF_DIBV5 block (malloc'd). */
int od_clip_dib_to_png(const uint8_t *dib, size_t n, uint8_t **png, size_t *png_len,
                       char *error);
/* CF_DIB memory (GlobalAlloc'd) of a PNG, NULL when it does not decode (clipboard_dib.c). */
HGLOBAL od_clip_png_to_dib(const uint8_t *png, size_t n, char *error);
/* The MIME or Windows name of a format, for od_clipboard_targets. */
void od_clip_format_name(UINT format, char *out, size_t cap);

#endif
