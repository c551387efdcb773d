/* The shim called from threads other than the one that opened the handles, as Deno's FFI makes
 * its `nonblocking` calls from a pool of worker threads: clipboard written on one thread and read
 * on another (after the writer thread ended), text typed from a worker thread, the window list
 * read from one. */
#include <windows.h>

#include <string.h>

#include "_tap.h"
#include "_tests.h"
#include "_ui.h"

typedef struct {
  od_display *d;
  od_clipboard *cb;
  od_windows *w;
  int status;
  uint8_t data[4096];
  uint32_t len;
} thread_job;

static DWORD WINAPI write_clipboard(LPVOID arg) {
  thread_job *j = arg;
  const char *mime = "text/plain;charset=utf-8", *text = "from a worker \xe2\x9c\x93";
  uint32_t ml = (uint32_t)strlen(mime), tl = (uint32_t)strlen(text);
  uint8_t packed[128];
  memcpy(packed, &ml, 4);
  memcpy(packed + 4, mime, ml);
  memcpy(packed + 4 + ml, &tl, 4);
  memcpy(packed + 8 + ml, text, tl);
  j->status = od_clipboard_write(j->cb, packed, 8 + ml + tl, 2000);
  return 0;
}

static DWORD WINAPI read_clipboard(LPVOID arg) {
  thread_job *j = arg;
  uint32_t n = 0;
  j->status = od_clipboard_read(j->cb, "text/plain", 2000, &n);
  if (j->status == OD_OK) j->status = od_clipboard_fetch(j->cb, j->data, sizeof j->data - 1, &j->len);
  if (j->status == OD_OK) j->data[j->len] = 0;
  return 0;
}

static DWORD WINAPI type_from_worker(LPVOID arg) {
  thread_job *j = arg;
  const uint32_t cps[] = {'t', 'h', 'r', 0x1F600};
  uint32_t typed = 0;
  j->status = od_input_text(j->d, cps, 4, 0, &typed);
  return 0;
}

static DWORD WINAPI list_windows(LPVOID arg) {
  thread_job *j = arg;
  j->status = od_windows_list(j->w, j->data, sizeof j->data - 1, &j->len);
  if (j->status == OD_OK) j->data[j->len] = 0;
  return 0;
}

static void run_on_thread(LPTHREAD_START_ROUTINE fn, thread_job *j) {
  HANDLE t = CreateThread(NULL, 0, fn, j, 0, NULL);
  if (t) {
    WaitForSingleObject(t, 30000);
    CloseHandle(t);
  } else {
    j->status = OD_ERR_SYSTEM;
  }
}

static int edit_is(const char *want) { return strcmp(ui_edit_text(), want) == 0; }

void test_threads(od_display *d) {
  thread_job j = {.d = d};
  int s = od_clipboard_open(NULL, &j.cb);
  if (s == OD_OK) run_on_thread(write_clipboard, &j);
  int written = j.status;
  if (s == OD_OK) run_on_thread(read_clipboard, &j);
  tap_check(s == OD_OK && written == OD_OK && j.status == OD_OK &&
                strcmp((char *)j.data, "from a worker \xe2\x9c\x93") == 0,
            "clipboard written on one thread (which then ended) reads back on another (%s/%s "
            "'%s')",
            tap_status(written), tap_status(j.status), (char *)j.data);
  if (j.cb) od_clipboard_close(j.cb);

  SetForegroundWindow(ui_main);
  ui_edit_reset();
  run_on_thread(type_from_worker, &j);
  int ok = TAP_WAIT(edit_is("thr\xf0\x9f\x98\x80"), 5000);
  tap_check(j.status == OD_OK && ok, "text typed from a worker thread arrives ('%s', %s)",
            ui_edit_text(), tap_status(j.status));

  s = od_windows_open(NULL, &j.w);
  if (s == OD_OK) run_on_thread(list_windows, &j);
  tap_check(s == OD_OK && j.status == OD_OK && strstr((char *)j.data, "opendesk test window"),
            "the window list read from a worker thread has the test window (%s)",
            tap_status(j.status));
  if (j.w) od_windows_close(j.w);
}
