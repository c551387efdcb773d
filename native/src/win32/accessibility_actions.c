/* Acting on an element found by its ref: its actions, running one (through the control pattern
 * behind it), and replacing the text of an editable element (ValuePattern.SetValue). */
#include "_uia.h"

#include <string.h>

/* od_uia_actions lives in accessibility_walk.c. */
void od_uia_actions(void *el, const char **names, int *count);

static const IID od_iid_invoke = {0xfb377fbe, 0x8ea6, 0x46d5,
                                  {0x9c, 0x73, 0x64, 0x99, 0x64, 0x2d, 0x30, 0x59}};
static const IID od_iid_value = {0xa94cd8b1, 0x0844, 0x4cd6,
                                 {0x9d, 0x2d, 0x64, 0x05, 0x37, 0xab, 0x39, 0xe9}};
static const IID od_iid_toggle = {0x94cf8058, 0x9b8d, 0x4ab9,
                                  {0x8b, 0xfd, 0x4c, 0xd0, 0xa3, 0x3c, 0x8c, 0x70}};
static const IID od_iid_selection_item = {0xa8efa66a, 0x0fda, 0x421a,
                                          {0x91, 0x94, 0x38, 0x02, 0x1f, 0x35, 0x78, 0xea}};
static const IID od_iid_expand_collapse = {0x619be086, 0x1f4e, 0x4ee4,
                                           {0xba, 0xfa, 0x21, 0x01, 0x28, 0x73, 0x87, 0x30}};

static HRESULT od_pattern(void *el, PATTERNID id, const IID *iid, void **out) {
  *out = NULL;
  HRESULT hr = OD_VT(el, OD_EL_GET_PATTERN_AS,
                     HRESULT(STDMETHODCALLTYPE *)(void *, PATTERNID, const IID *, void **))(
      el, id, iid, out);
  if (SUCCEEDED(hr) && !*out) hr = E_NOINTERFACE;
  return hr;
}

/* Runs one pattern method that takes no argument. */
static HRESULT od_call_pattern(void *el, PATTERNID id, const IID *iid, int slot) {
  void *p = NULL;
  HRESULT hr = od_pattern(el, id, iid, &p);
  if (FAILED(hr)) return hr;
  hr = OD_VT(p, slot, od_com_0)(p);
  OD_RELEASE(p);
  return hr;
}

static HRESULT od_run(void *el, const char *action) {
  if (_stricmp(action, "click") == 0)
    return od_call_pattern(el, UIA_InvokePatternId, &od_iid_invoke, OD_PATTERN_FIRST);
  if (_stricmp(action, "toggle") == 0)
    return od_call_pattern(el, UIA_TogglePatternId, &od_iid_toggle, OD_PATTERN_FIRST);
  if (_stricmp(action, "select") == 0)
    return od_call_pattern(el, UIA_SelectionItemPatternId, &od_iid_selection_item,
                           OD_PATTERN_FIRST);
  if (_stricmp(action, "expand") == 0)
    return od_call_pattern(el, UIA_ExpandCollapsePatternId, &od_iid_expand_collapse,
                           OD_PATTERN_FIRST);
  if (_stricmp(action, "collapse") == 0)
    return od_call_pattern(el, UIA_ExpandCollapsePatternId, &od_iid_expand_collapse,
                           OD_PATTERN_SECOND);
  if (_stricmp(action, "focus") == 0) return OD_VT(el, OD_EL_SET_FOCUS, od_com_0)(el);
  return E_INVALIDARG;
}

OD_API int od_a11y_actions(od_a11y *h, const char *ref, uint32_t timeout_ms, uint8_t *buf,
                           uint32_t cap, uint32_t *len) {
  if (!h || !ref || !len)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_a11y_actions: NULL argument");
  od_uia_enter();
  void *el = od_uia_resolve(h, ref, timeout_ms);
  if (!el) {
    od_uia_leave();
    return OD_ERR_NOT_FOUND;
  }
  const char *names[8];
  int n = 0;
  od_uia_actions(el, names, &n);
  OD_RELEASE(el);
  od_uia_leave();
  size_t used = 0;
  for (int i = 0; i < n; i++) used += strlen(names[i]) + 1;
  *len = (uint32_t)used;
  if (used > cap || (used && !buf))
    return od_win_fail(h->error, OD_ERR_BUFFER_TOO_SMALL, "The actions need %u bytes",
                       (uint32_t)used);
  size_t at = 0;
  for (int i = 0; i < n; i++) {
    size_t k = strlen(names[i]);
    memcpy(buf + at, names[i], k);
    buf[at + k] = '\n';
    at += k + 1;
  }
  return OD_OK;
}

OD_API int od_a11y_do_action(od_a11y *h, const char *ref, const char *action,
                             uint32_t timeout_ms) {
  if (!h || !ref || !action)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_a11y_do_action: NULL argument");
  od_uia_enter();
  void *el = od_uia_resolve(h, ref, timeout_ms);
  if (!el) {
    od_uia_leave();
    return OD_ERR_NOT_FOUND;
  }
  const char *names[8];
  int n = 0;
  od_uia_actions(el, names, &n);
  const char *chosen = NULL;
  for (int i = 0; i < n && !chosen; i++)
    if (_stricmp(names[i], action) == 0) chosen = names[i];
  /* "click" falls back to the nearest thing an element offers, then to its first action. */
  static const char *const click_like[] = {"click", "toggle", "select", "expand"};
  if (!chosen && _stricmp(action, "click") == 0) {
    for (size_t k = 0; k < 4 && !chosen; k++)
      for (int i = 0; i < n && !chosen; i++)
        if (strcmp(names[i], click_like[k]) == 0) chosen = names[i];
    if (!chosen && n > 0) chosen = names[0];
  }
  int status = OD_OK;
  if (!chosen) {
    status = od_win_fail(h->error, OD_ERR_NOT_FOUND, "The element has no action '%s'", action);
  } else {
    HRESULT hr = od_run(el, chosen);
    if (FAILED(hr))
      status = od_win_fail_hr(h->error, OD_ERR_WIN_COM, hr, "The action '%s' failed", chosen);
  }
  OD_RELEASE(el);
  od_uia_leave();
  return status;
}

OD_API int od_a11y_set_text(od_a11y *h, const char *ref, const char *text, uint32_t timeout_ms) {
  if (!h || !ref || !text)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_a11y_set_text: NULL argument");
  wchar_t *wide = od_win_wide(text, -1, NULL);
  if (!wide) return od_win_fail(h->error, OD_ERR_INVALID_ARGUMENT, "The text is not valid UTF-8");
  BSTR value = SysAllocString(wide);
  free(wide);
  od_uia_enter();
  void *el = od_uia_resolve(h, ref, timeout_ms);
  int status = OD_OK;
  if (!el) {
    status = OD_ERR_NOT_FOUND;
  } else {
    void *p = NULL;
    HRESULT hr = od_pattern(el, UIA_ValuePatternId, &od_iid_value, &p);
    if (SUCCEEDED(hr)) {
      hr = OD_VT(p, OD_PATTERN_FIRST, HRESULT(STDMETHODCALLTYPE *)(void *, BSTR))(p, value);
      OD_RELEASE(p);
    }
    if (FAILED(hr))
      status = od_win_fail_hr(h->error, hr == E_NOINTERFACE ? OD_ERR_STATE : OD_ERR_WIN_COM, hr,
                              "Cannot set the text of '%s' (no writable value)", ref);
    OD_RELEASE(el);
  }
  od_uia_leave();
  SysFreeString(value);
  return status;
}
