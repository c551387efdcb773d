/* Clipboard round trips through the shim (text, HTML, PNG) and against what Windows itself
 * holds (CF_UNICODETEXT, the "HTML Format" header offsets, a CF_DIB placed by the test). */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "_tap.h"
#include "_tests.h"

static uint32_t pack(uint8_t *out, const char *mime, const void *data, uint32_t n) {
  uint32_t ml = (uint32_t)strlen(mime);
  memcpy(out, &ml, 4);
  memcpy(out + 4, mime, ml);
  memcpy(out + 4 + ml, &n, 4);
  memcpy(out + 8 + ml, data, n);
  return 8 + ml + n;
}

/* Reads `target` into a static buffer (NUL-terminated); returns its length or -status. */
static long read_as(od_clipboard *cb, const char *target, uint8_t **data) {
  static uint8_t buf[1 << 20];
  uint32_t n = 0, got = 0;
  int s = od_clipboard_read(cb, target, 2000, &n);
  if (s != OD_OK) return -s;
  if (n >= sizeof buf) return -OD_ERR_BUFFER_TOO_SMALL;
  s = od_clipboard_fetch(cb, buf, sizeof buf - 1, &got);
  if (s != OD_OK) return -s;
  buf[got] = 0;
  *data = buf;
  return (long)got;
}

static void own_dib(uint32_t w, uint32_t h) {
  size_t stride = w * 3 + ((4 - (w * 3) % 4) % 4);
  size_t n = sizeof(BITMAPINFOHEADER) + stride * h;
  HGLOBAL mem = GlobalAlloc(GMEM_MOVEABLE | GMEM_ZEROINIT, n);
  BITMAPINFOHEADER *bh = GlobalLock(mem);
  bh->biSize = sizeof *bh;
  bh->biWidth = (LONG)w;
  bh->biHeight = (LONG)h; /* bottom-up */
  bh->biPlanes = 1;
  bh->biBitCount = 24;
  bh->biCompression = BI_RGB;
  GlobalUnlock(mem);
  OpenClipboard(NULL);
  EmptyClipboard();
  SetClipboardData(CF_DIB, mem);
  CloseClipboard();
}

static HANDLE holder_opened, holder_release;

static DWORD WINAPI hold_clipboard(LPVOID arg) {
  BOOL ok = OpenClipboard(NULL);
  SetEvent(holder_opened);
  WaitForSingleObject(holder_release, 20000);
  if (ok) CloseClipboard();
  return 0;
}

void test_clipboard(od_display *d) {
  od_clipboard *cb = NULL;
  int s = od_clipboard_open(NULL, &cb);
  tap_check(s == OD_OK && cb, "od_clipboard_open succeeds (%s)", tap_status(s));
  if (!cb) return;
  static uint8_t packed[1 << 16];
  const char *text = "caf\xc3\xa9 \xf0\x9f\x98\x80 line\nend";
  const char *html = "<b>bold</b> &amp; <i>\xc3\xa9</i>";
  uint32_t n = pack(packed, "text/plain;charset=utf-8", text, (uint32_t)strlen(text));
  n += pack(packed + n, "text/html", html, (uint32_t)strlen(html));
  s = od_clipboard_write(cb, packed, n, 2000);
  int32_t owned = 0;
  od_clipboard_owned(cb, &owned);
  tap_check(s == OD_OK && owned == 1, "od_clipboard_write of text and HTML; owned (%s)",
            tap_status(s));
  uint8_t *got = NULL;
  long len = read_as(cb, "text/plain", &got);
  tap_check(len == (long)strlen(text) && memcmp(got, text, (size_t)len) == 0,
            "text/plain reads back byte for byte ('%s')", len > 0 ? (char *)got : "");
  /* What other programs see: CF_UNICODETEXT. */
  wchar_t want[64];
  MultiByteToWideChar(CP_UTF8, 0, text, -1, want, 64);
  int same = 0;
  if (OpenClipboard(NULL)) {
    HGLOBAL mem = GetClipboardData(CF_UNICODETEXT);
    const wchar_t *w = mem ? GlobalLock(mem) : NULL;
    same = w && wcscmp(w, want) == 0;
    if (w) GlobalUnlock(mem);
    CloseClipboard();
  }
  tap_check(same, "other programs find it as CF_UNICODETEXT");
  len = read_as(cb, "text/html", &got);
  tap_check(len == (long)strlen(html) && memcmp(got, html, (size_t)len) == 0,
            "text/html reads back the fragment ('%s')", len > 0 ? (char *)got : "");
  /* The raw "HTML Format": StartFragment/EndFragment are byte offsets of the fragment. */
  int offsets_ok = 0;
  if (OpenClipboard(NULL)) {
    HGLOBAL mem = GetClipboardData(RegisterClipboardFormatW(L"HTML Format"));
    const char *raw = mem ? GlobalLock(mem) : NULL;
    if (raw) {
      const char *sf = strstr(raw, "StartFragment:"), *ef = strstr(raw, "EndFragment:");
      const char *sh = strstr(raw, "StartHTML:");
      long a = sf ? atol(sf + 14) : -1, b = ef ? atol(ef + 12) : -1, h = sh ? atol(sh + 10) : -1;
      offsets_ok = strncmp(raw, "Version:", 8) == 0 && a > 0 && b - a == (long)strlen(html) &&
                   memcmp(raw + a, html, strlen(html)) == 0 && h > 0 &&
                   strncmp(raw + h, "<html>", 6) == 0;
      GlobalUnlock(mem);
    }
    CloseClipboard();
  }
  tap_check(offsets_ok, "\"HTML Format\" has the Version header and exact fragment offsets");
  uint8_t targets[4096];
  uint32_t tl = 0;
  s = od_clipboard_targets(cb, 2000, targets, sizeof targets - 1, &tl);
  targets[s == OD_OK ? tl : 0] = 0;
  tap_check(s == OD_OK && strstr((char *)targets, "text/plain;charset=utf-8\n") &&
                strstr((char *)targets, "text/html\n"),
            "od_clipboard_targets lists text/plain and text/html");

  /* PNG: a real capture encoded by the shim. */
  od_frame *f = NULL;
  od_frame_create(&f);
  od_capture_grab(d, f, 0, 0, 64, 48, 0);
  static uint8_t png[1 << 16];
  uint64_t png_len = 0;
  od_frame_encode(f, OD_FORMAT_PNG, 0, 0, 0, 0, 0, png, sizeof png, &png_len);
  od_frame_destroy(f);
  n = pack(packed, "image/png", png, (uint32_t)png_len);
  s = od_clipboard_write(cb, packed, n, 2000);
  len = read_as(cb, "image/png", &got);
  tap_check(s == OD_OK && len == (long)png_len && memcmp(got, png, png_len) == 0,
            "image/png round trip is byte-identical (%llu bytes)", (unsigned long long)png_len);
  /* Other programs paste it as CF_DIB: a 64x48 bitmap whose first row is the capture's. */
  int dib_ok = 0;
  if (OpenClipboard(NULL)) {
    HGLOBAL mem = GetClipboardData(CF_DIB);
    const BITMAPINFOHEADER *bh = mem ? GlobalLock(mem) : NULL;
    dib_ok = bh && bh->biWidth == 64 && bh->biHeight == 48 && bh->biBitCount == 32;
    if (bh) GlobalUnlock(mem);
    CloseClipboard();
  }
  tap_check(dib_ok, "the PNG is also on the clipboard as a 64x48 32-bit CF_DIB");
  /* A bitmap copied by another program (CF_DIB only) reads as PNG. */
  own_dib(37, 21);
  od_clipboard_owned(cb, &owned);
  tap_check(owned == 0, "after another program wrote, od_clipboard_owned is 0");
  len = read_as(cb, "image/png", &got);
  tap_check(len > 33 && memcmp(got, "\x89PNG", 4) == 0 && got[19] == 37 && got[23] == 21,
            "a CF_DIB on the clipboard reads as a 37x21 PNG (%ld bytes)", len);
  len = read_as(cb, "text/plain", &got);
  tap_check(len == -OD_ERR_WIN_NO_DATA, "text from a bitmap-only clipboard is WIN_NO_DATA (%s)",
            tap_status((int)-len));
  uint8_t bad[6] = {200, 0, 0, 0, 'x', 'y'};
  s = od_clipboard_write(cb, bad, sizeof bad, 2000);
  len = read_as(cb, "image/png", &got);
  tap_check(s == OD_ERR_INVALID_ARGUMENT && len > 0,
            "malformed packed entries are refused and the clipboard is untouched (%s)",
            tap_status(s));
  /* Busy clipboard: held open by another thread past the timeout. */
  holder_opened = CreateEventW(NULL, TRUE, FALSE, NULL);
  holder_release = CreateEventW(NULL, TRUE, FALSE, NULL);
  HANDLE holder = CreateThread(NULL, 0, hold_clipboard, NULL, 0, NULL);
  WaitForSingleObject(holder_opened, 20000);
  s = od_clipboard_read(cb, "text/plain", 100, (uint32_t *)&n);
  SetEvent(holder_release);
  WaitForSingleObject(holder, 20000);
  CloseHandle(holder);
  tap_check(s == OD_ERR_WIN_CLIPBOARD_BUSY,
            "a clipboard kept open elsewhere gives WIN_CLIPBOARD_BUSY after the retries (%s: %s)",
            tap_status(s), tap_shim_error());
  od_clipboard_close(cb);
}
