/* UI Automation: the handle, element properties, refs (window + runtime id) and finding an
 * element again by its ref. All calls are serialised by one lock; each calling thread joins the
 * multithreaded COM apartment (CUIAutomation is free-threaded). */
#include "_uia.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const CLSID od_clsid_cuiautomation = {
    0xff48dba4, 0x60ef, 0x4201, {0xaa, 0x87, 0x54, 0x10, 0x3e, 0xef, 0x59, 0x4e}};
static const IID od_iid_iuiautomation = {
    0x30cbe57d, 0xd9d0, 0x452a, {0xab, 0x13, 0x7a, 0xc5, 0xac, 0x48, 0x25, 0xee}};

static INIT_ONCE od_uia_once = INIT_ONCE_STATIC_INIT;
static CRITICAL_SECTION od_uia_lock;

static BOOL CALLBACK od_uia_init(PINIT_ONCE once, PVOID p, PVOID *ctx) {
  InitializeCriticalSection(&od_uia_lock);
  return TRUE;
}

void od_uia_enter(void) {
  InitOnceExecuteOnce(&od_uia_once, od_uia_init, NULL, NULL);
  /* Kept for the thread's life: FFI calls come from a small pool of threads. */
  CoInitializeEx(NULL, COINIT_MULTITHREADED);
  EnterCriticalSection(&od_uia_lock);
}

void od_uia_leave(void) { LeaveCriticalSection(&od_uia_lock); }

OD_API int od_a11y_open(const char *session_bus_address, od_a11y **out) {
  if (!out) return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_a11y_open: out is NULL");
  *out = NULL;
  od_a11y *h = calloc(1, sizeof *h);
  if (!h) return od_win_fail(NULL, OD_ERR_NO_MEMORY, "Cannot allocate the accessibility handle");
  od_uia_enter();
  HRESULT hr = CoCreateInstance(&od_clsid_cuiautomation, NULL, CLSCTX_INPROC_SERVER,
                                &od_iid_iuiautomation, &h->uia);
  if (SUCCEEDED(hr))
    hr = OD_VT(h->uia, OD_UIA_CONTROL_VIEW_WALKER, od_com_p)(h->uia, &h->walker);
  od_uia_leave();
  if (FAILED(hr)) {
    if (h->uia) OD_RELEASE(h->uia);
    free(h);
    return od_win_fail_hr(NULL, OD_ERR_WIN_COM, hr, "UI Automation is unavailable");
  }
  *out = h;
  return OD_OK;
}

OD_API int od_a11y_close(od_a11y *h) {
  if (!h) return OD_OK;
  od_uia_enter();
  if (h->walker) OD_RELEASE(h->walker);
  if (h->uia) OD_RELEASE(h->uia);
  od_uia_leave();
  free(h);
  return OD_OK;
}

static HRESULT od_uia_property(void *el, PROPERTYID id, VARIANT *v) {
  VariantInit(v);
  return OD_VT(el, OD_EL_GET_PROPERTY, HRESULT(STDMETHODCALLTYPE *)(void *, PROPERTYID, VARIANT *))(
      el, id, v);
}

int od_uia_bool(void *el, PROPERTYID id) {
  VARIANT v;
  if (FAILED(od_uia_property(el, id, &v))) return 0;
  int r = v.vt == VT_BOOL ? v.boolVal != VARIANT_FALSE : (v.vt == VT_I4 ? v.lVal != 0 : 0);
  VariantClear(&v);
  return r;
}

char *od_uia_string(void *el, PROPERTYID id) {
  VARIANT v;
  char *s = NULL;
  if (SUCCEEDED(od_uia_property(el, id, &v)) && v.vt == VT_BSTR && v.bstrVal)
    s = od_win_utf8(v.bstrVal, (int)SysStringLen(v.bstrVal), NULL);
  VariantClear(&v);
  if (!s) s = calloc(1, 1);
  return s;
}

int od_uia_ref(void *el, HWND root, char *out, size_t cap) {
  SAFEARRAY *ids = NULL;
  HRESULT hr = OD_VT(el, OD_EL_GET_RUNTIME_ID, od_com_p)(el, (void **)&ids);
  int n = snprintf(out, cap, "%x|", (uint32_t)(uintptr_t)root);
  if (FAILED(hr) || !ids) return 0;
  LONG lo = 0, hi = -1;
  SafeArrayGetLBound(ids, 1, &lo);
  SafeArrayGetUBound(ids, 1, &hi);
  for (LONG i = lo; i <= hi && n > 0 && (size_t)n < cap; i++) {
    int value = 0;
    SafeArrayGetElement(ids, &i, &value);
    n += snprintf(out + n, cap - (size_t)n, i == lo ? "%x" : ".%x", (uint32_t)value);
  }
  SafeArrayDestroy(ids);
  return n > 0 && (size_t)n < cap;
}

/* Depth-first search below `el` for the element whose ref is `ref`. */
static void *od_uia_find(od_a11y *h, void *el, HWND root, const char *ref, uint32_t depth,
                         uint64_t deadline, uint32_t *budget) {
  char mine[256];
  if (od_uia_ref(el, root, mine, sizeof mine) && strcmp(mine, ref) == 0) {
    OD_VT(el, 1, ULONG(STDMETHODCALLTYPE *)(void *))(el); /* AddRef: the caller keeps it */
    return el;
  }
  if (depth > 64 || (*budget)-- == 0 || od_win_now_ms() > deadline) return NULL;
  void *child = NULL;
  OD_VT(h->walker, OD_TW_FIRST_CHILD, od_com_ep)(h->walker, el, &child);
  while (child) {
    void *found = od_uia_find(h, child, root, ref, depth + 1, deadline, budget);
    void *next = NULL;
    if (!found) OD_VT(h->walker, OD_TW_NEXT_SIBLING, od_com_ep)(h->walker, child, &next);
    OD_RELEASE(child);
    if (found) return found;
    child = next;
  }
  return NULL;
}

void *od_uia_resolve(od_a11y *h, const char *ref, uint32_t timeout_ms) {
  char *end = NULL;
  unsigned long id = strtoul(ref, &end, 16);
  HWND root = (HWND)(uintptr_t)id;
  if (!end || *end != '|' || !IsWindow(root)) {
    od_win_fail(h->error, OD_ERR_NOT_FOUND, "No element '%s' (its window is gone)", ref);
    return NULL;
  }
  void *top = NULL;
  HRESULT hr = OD_VT(h->uia, OD_UIA_ELEMENT_FROM_HANDLE,
                     HRESULT(STDMETHODCALLTYPE *)(void *, HWND, void **))(h->uia, root, &top);
  if (FAILED(hr) || !top) {
    od_win_fail_hr(h->error, OD_ERR_WIN_COM, hr, "UI Automation has no element for window %lx",
                   id);
    return NULL;
  }
  uint32_t budget = 20000;
  void *found = od_uia_find(h, top, root, ref, 0, od_win_now_ms() + timeout_ms, &budget);
  OD_RELEASE(top);
  if (!found) od_win_fail(h->error, OD_ERR_NOT_FOUND, "No element '%s' (it was removed?)", ref);
  return found;
}
