/* The clipboard: written from a packed list of MIME entries, read by MIME name. The owner is a
 * message-only window on the handle's own thread, which keeps answering the clipboard messages
 * Windows sends to owners (another program emptying the clipboard must never wait on us).
 * OpenClipboard fails while another program has the clipboard open, so it is retried every
 * 10 ms until the caller's timeout. Text stays as given (no LF / CRLF conversion). */
#include "_win32.h"

#include <stdlib.h>
#include <string.h>

#include "_clipboard.h"

#define OD_CLIP_READY (WM_APP + 1)

static LRESULT CALLBACK od_clip_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp) {
  return DefWindowProcW(hwnd, msg, wp, lp);
}

static DWORD WINAPI od_clip_thread(LPVOID arg) {
  od_clipboard *cb = arg;
  WNDCLASSW wc;
  memset(&wc, 0, sizeof wc);
  wc.lpfnWndProc = od_clip_proc;
  wc.hInstance = GetModuleHandleW(NULL);
  wc.lpszClassName = L"OpendeskClipboardOwner";
  RegisterClassW(&wc); /* a second handle finds the class registered: fine */
  cb->owner = CreateWindowExW(0, wc.lpszClassName, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                              wc.hInstance, NULL);
  MSG msg;
  PeekMessageW(&msg, NULL, 0, 0, PM_NOREMOVE);
  PostThreadMessageW(cb->thread_id, OD_CLIP_READY, 0, 0);
  if (!cb->owner) return 1;
  while (GetMessageW(&msg, NULL, 0, 0) > 0) DispatchMessageW(&msg);
  DestroyWindow(cb->owner);
  return 0;
}

OD_API int od_clipboard_open(const char *display_name, od_clipboard **out) {
  if (!out) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_clipboard_open: out is NULL");
  *out = NULL;
  od_clipboard *cb = calloc(1, sizeof *cb);
  if (!cb) return od_win_fail(NULL, OD_ERR_NO_MEMORY, "Cannot allocate the clipboard handle");
  InitializeCriticalSection(&cb->lock);
  cb->thread = CreateThread(NULL, 0, od_clip_thread, cb, CREATE_SUSPENDED, &cb->thread_id);
  if (!cb->thread) {
    DeleteCriticalSection(&cb->lock);
    free(cb);
    return od_win_fail_sys(NULL, OD_ERR_SYSTEM, "Cannot start the clipboard thread");
  }
  ResumeThread(cb->thread);
  /* The thread posts to itself once its window exists; wait for the window handle instead. */
  for (int i = 0; i < 500 && !cb->owner; i++) {
    if (WaitForSingleObject(cb->thread, 10) == WAIT_OBJECT_0) break;
  }
  if (!cb->owner) {
    PostThreadMessageW(cb->thread_id, WM_QUIT, 0, 0);
    WaitForSingleObject(cb->thread, 5000);
    CloseHandle(cb->thread);
    DeleteCriticalSection(&cb->lock);
    free(cb);
    return od_win_fail(NULL, OD_ERR_SYSTEM, "The clipboard owner window could not be created");
  }
  *out = cb;
  return OD_OK;
}

OD_API int od_clipboard_close(od_clipboard *cb) {
  if (!cb) return OD_OK;
  PostThreadMessageW(cb->thread_id, WM_QUIT, 0, 0);
  WaitForSingleObject(cb->thread, 5000);
  CloseHandle(cb->thread);
  DeleteCriticalSection(&cb->lock);
  free(cb->data);
  free(cb);
  return OD_OK;
}

int od_clip_open_for(od_clipboard *cb, uint32_t timeout_ms) {
  uint64_t deadline = od_win_now_ms() + timeout_ms;
  while (!OpenClipboard(cb->owner)) {
    if (od_win_now_ms() >= deadline) {
      HWND holder = GetOpenClipboardWindow();
      DWORD pid = 0;
      if (holder) GetWindowThreadProcessId(holder, &pid);
      if (pid)
        return od_win_fail(cb->error, OD_ERR_WIN_CLIPBOARD_BUSY,
                           "Process %lu kept the clipboard open for %u ms", (unsigned long)pid,
                           timeout_ms);
      return od_win_fail(cb->error, OD_ERR_WIN_CLIPBOARD_BUSY,
                         "Another program kept the clipboard open for %u ms", timeout_ms);
    }
    Sleep(10);
  }
  return OD_OK;
}

/* Puts a copy of `n` bytes (plus `pad` zero bytes) on the open clipboard as `format`. */
static int od_clip_put(od_clipboard *cb, UINT format, const void *data, size_t n, size_t pad) {
  HGLOBAL mem = GlobalAlloc(GMEM_MOVEABLE, n + pad);
  if (!mem) return od_win_fail_sys(cb->error, OD_ERR_NO_MEMORY, "GlobalAlloc failed");
  uint8_t *p = GlobalLock(mem);
  memcpy(p, data, n);
  memset(p + n, 0, pad);
  GlobalUnlock(mem);
  if (!SetClipboardData(format, mem)) {
    GlobalFree(mem);
    return od_win_fail_sys(cb->error, OD_ERR_WIN_CALL, "SetClipboardData(%u) failed", format);
  }
  return OD_OK; /* the clipboard owns `mem` now */
}

static int od_clip_put_entry(od_clipboard *cb, const char *mime, const uint8_t *data, uint32_t n,
                             int *text_done) {
  int kind = od_clip_kind(mime);
  if (kind == OD_KIND_TEXT) {
    if (*text_done) return OD_OK; /* the first text entry wins: one CF_UNICODETEXT */
    *text_done = 1;
    int units = 0;
    wchar_t *wide = od_win_wide((const char *)data, (int)n, &units);
    if (!wide)
      return od_win_fail(cb->error, OD_ERR_INVALID_ARGUMENT, "The text is not valid UTF-8");
    int s = od_clip_put(cb, CF_UNICODETEXT, wide, (size_t)units * 2, 2);
    free(wide);
    return s;
  }
  if (kind == OD_KIND_HTML) {
    size_t len = 0;
    char *html = od_clip_html_wrap((const char *)data, n, &len);
    if (!html) return od_win_fail(cb->error, OD_ERR_NO_MEMORY, "Out of memory");
    int s = od_clip_put(cb, od_clip_html_format(), html, len, 1);
    free(html);
    return s;
  }
  if (kind == OD_KIND_PNG) {
    /* Most programs paste CF_DIB; the PNG stays as given for those that read "PNG". A PNG that
     * does not decode is still stored as "PNG" (as on X11), just without the bitmap. */
    HGLOBAL dib = od_clip_png_to_dib(data, n, NULL);
    if (dib && !SetClipboardData(CF_DIB, dib)) GlobalFree(dib);
  }
  wchar_t *name = od_win_wide(kind == OD_KIND_PNG ? "PNG" : mime, -1, NULL);
  UINT format = name ? RegisterClipboardFormatW(name) : 0;
  free(name);
  if (!format)
    return od_win_fail_sys(cb->error, OD_ERR_INVALID_ARGUMENT,
                           "Cannot register the clipboard format '%s'", mime);
  return od_clip_put(cb, format, data, n, 0);
}

OD_API int od_clipboard_write(od_clipboard *cb, const uint8_t *packed, uint32_t len,
                              uint32_t timeout_ms) {
  if (!cb || (len > 0 && !packed))
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_clipboard_write: NULL argument");
  /* Check the whole list before touching the clipboard: bad input loses nothing. */
  for (uint32_t at = 0; at < len;) {
    uint32_t ml, dl;
    if (len - at < 4 || (memcpy(&ml, packed + at, 4), ml == 0 || ml > 255 || len - at - 4 < ml) ||
        len - at - 4 - ml < 4 || (memcpy(&dl, packed + at + 4 + ml, 4), len - at - 8 - ml < dl))
      return od_win_fail(cb->error, OD_ERR_INVALID_ARGUMENT,
                         "The packed clipboard entries are malformed at byte %u", at);
    at += 8 + ml + dl;
  }
  EnterCriticalSection(&cb->lock);
  int s = od_clip_open_for(cb, timeout_ms);
  if (s == OD_OK) {
    EmptyClipboard();
    int text_done = 0;
    for (uint32_t at = 0; at < len && s == OD_OK;) {
      uint32_t ml, dl;
      memcpy(&ml, packed + at, 4);
      memcpy(&dl, packed + at + 4 + ml, 4);
      char mime[256];
      memcpy(mime, packed + at + 4, ml);
      mime[ml] = 0;
      s = od_clip_put_entry(cb, mime, packed + at + 8 + ml, dl, &text_done);
      at += 8 + ml + dl;
    }
    CloseClipboard();
    cb->written_seq = GetClipboardSequenceNumber();
  }
  LeaveCriticalSection(&cb->lock);
  return s;
}

OD_API int od_clipboard_owned(od_clipboard *cb, int32_t *out_owned) {
  if (!cb || !out_owned)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_clipboard_owned: NULL argument");
  *out_owned = cb->written_seq != 0 && GetClipboardOwner() == cb->owner &&
               GetClipboardSequenceNumber() == cb->written_seq;
  return OD_OK;
}
