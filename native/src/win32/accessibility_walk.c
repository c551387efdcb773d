/* The accessible tree of one window through UI Automation's control view, as the same JSON the
 * AT-SPI walker writes, with the same budgets (depth, nodes, deadline). Control types are named
 * with the AT-SPI role names where one matches, so clients see one vocabulary. */
#include "_uia.h"

#include <stdlib.h>
#include <string.h>

#include "_json.h"
#include "_windows.h"

/* Control type ids (UIA_<Name>ControlTypeId, 50000 upwards in this order; mingw-w64's headers
 * lack these constants). */
static const struct {
  CONTROLTYPEID type;
  const char *role;
} od_roles[] = {
    {50000 /* Button */, "push button"},   {50001 /* Calendar */, "calendar"},
    {50002 /* CheckBox */, "check box"},    {50003 /* ComboBox */, "combo box"},
    {50004 /* Edit */, "text"},             {50005 /* Hyperlink */, "link"},
    {50006 /* Image */, "image"},           {50007 /* ListItem */, "list item"},
    {50008 /* List */, "list"},             {50009 /* Menu */, "menu"},
    {50010 /* MenuBar */, "menu bar"},      {50011 /* MenuItem */, "menu item"},
    {50012 /* ProgressBar */, "progress bar"}, {50013 /* RadioButton */, "radio button"},
    {50014 /* ScrollBar */, "scroll bar"},  {50015 /* Slider */, "slider"},
    {50016 /* Spinner */, "spin button"},   {50017 /* StatusBar */, "status bar"},
    {50018 /* Tab */, "page tab list"},     {50019 /* TabItem */, "page tab"},
    {50020 /* Text */, "label"},            {50021 /* ToolBar */, "tool bar"},
    {50022 /* ToolTip */, "tool tip"},      {50023 /* Tree */, "tree"},
    {50024 /* TreeItem */, "tree item"},    {50025 /* Custom */, "unknown"},
    {50026 /* Group */, "grouping"},        {50027 /* Thumb */, "unknown"},
    {50028 /* DataGrid */, "table"},        {50029 /* DataItem */, "table cell"},
    {50030 /* Document */, "document frame"}, {50031 /* SplitButton */, "push button"},
    {50032 /* Window */, "frame"},          {50033 /* Pane */, "panel"},
    {50034 /* Header */, "header"},         {50035 /* HeaderItem */, "column header"},
    {50036 /* Table */, "table"},           {50037 /* TitleBar */, "title bar"},
    {50038 /* Separator */, "separator"},
};

static const char *od_role(void *el) {
  VARIANT v;
  VariantInit(&v);
  HRESULT hr = OD_VT(el, OD_EL_GET_PROPERTY,
                     HRESULT(STDMETHODCALLTYPE *)(void *, PROPERTYID, VARIANT *))(
      el, UIA_ControlTypePropertyId, &v);
  CONTROLTYPEID type = SUCCEEDED(hr) && v.vt == VT_I4 ? v.lVal : 0;
  VariantClear(&v);
  for (size_t i = 0; i < sizeof od_roles / sizeof od_roles[0]; i++)
    if (od_roles[i].type == type) return od_roles[i].role;
  return "unknown";
}

static void od_bounds(od_json *j, void *el) {
  VARIANT v;
  VariantInit(&v);
  HRESULT hr = OD_VT(el, OD_EL_GET_PROPERTY,
                     HRESULT(STDMETHODCALLTYPE *)(void *, PROPERTYID, VARIANT *))(
      el, UIA_BoundingRectanglePropertyId, &v);
  double *r = NULL;
  if (SUCCEEDED(hr) && v.vt == (VT_ARRAY | VT_R8) && v.parray &&
      v.parray->rgsabound[0].cElements >= 4 && SUCCEEDED(SafeArrayAccessData(v.parray, (void **)&r))) {
    od_json_raw(j, "[", 1);
    for (int i = 0; i < 4; i++) {
      if (i) od_json_raw(j, ",", 1);
      od_json_int(j, (int64_t)r[i]);
    }
    od_json_raw(j, "]", 1);
    SafeArrayUnaccessData(v.parray);
  } else {
    od_json_lit(j, "null");
  }
  VariantClear(&v);
}

/* The actions of an element, from the control patterns it supports. */
void od_uia_actions(void *el, const char **names, int *count) {
  *count = 0;
  if (od_uia_bool(el, UIA_IsInvokePatternAvailablePropertyId)) names[(*count)++] = "click";
  if (od_uia_bool(el, UIA_IsTogglePatternAvailablePropertyId)) names[(*count)++] = "toggle";
  if (od_uia_bool(el, UIA_IsSelectionItemPatternAvailablePropertyId)) names[(*count)++] = "select";
  if (od_uia_bool(el, UIA_IsExpandCollapsePatternAvailablePropertyId)) {
    names[(*count)++] = "expand";
    names[(*count)++] = "collapse";
  }
  if (od_uia_bool(el, UIA_IsKeyboardFocusablePropertyId)) names[(*count)++] = "focus";
}

typedef struct {
  od_a11y *h;
  od_json *j;
  HWND root;
  uint32_t max_depth, max_nodes, nodes;
  uint64_t deadline;
  const char *truncated;
} od_walk;

static void od_node(od_walk *w, void *el, uint32_t depth) {
  od_json *j = w->j;
  w->nodes++;
  char *name = od_uia_string(el, UIA_NamePropertyId);
  int has_value = od_uia_bool(el, UIA_IsValuePatternAvailablePropertyId);
  char *value = has_value ? od_uia_string(el, UIA_ValueValuePropertyId) : NULL;
  char ref[256];
  od_uia_ref(el, w->root, ref, sizeof ref);
  const char *actions[8];
  int n_actions = 0;
  od_uia_actions(el, actions, &n_actions);
  od_json_raw(j, "{", 1);
  od_json_key(j, "role", 1);
  od_json_str(j, od_role(el));
  od_json_key(j, "name", 0);
  od_json_str(j, name);
  od_json_key(j, "value", 0);
  od_json_str(j, value);
  od_json_key(j, "bounds", 0);
  od_bounds(j, el);
  od_json_key(j, "focused", 0);
  od_json_bool(j, od_uia_bool(el, UIA_HasKeyboardFocusPropertyId));
  od_json_key(j, "enabled", 0);
  od_json_bool(j, od_uia_bool(el, UIA_IsEnabledPropertyId));
  od_json_key(j, "editable", 0);
  od_json_bool(j, has_value && !od_uia_bool(el, UIA_ValueIsReadOnlyPropertyId));
  od_json_key(j, "actions", 0);
  od_json_raw(j, "[", 1);
  for (int i = 0; i < n_actions; i++) {
    if (i) od_json_raw(j, ",", 1);
    od_json_str(j, actions[i]);
  }
  od_json_raw(j, "]", 1);
  od_json_key(j, "ref", 0);
  od_json_str(j, ref);
  od_json_key(j, "children", 0);
  od_json_raw(j, "[", 1);
  free(name);
  free(value);
  void *child = NULL;
  OD_VT(w->h->walker, OD_TW_FIRST_CHILD, od_com_ep)(w->h->walker, el, &child);
  if (child && depth >= w->max_depth && !w->truncated) w->truncated = "depth";
  int first = 1;
  while (child && depth < w->max_depth) {
    if (w->nodes >= w->max_nodes) {
      if (!w->truncated) w->truncated = "nodes";
      break;
    }
    if (od_win_now_ms() > w->deadline) {
      if (!w->truncated) w->truncated = "deadline";
      break;
    }
    if (!first) od_json_raw(j, ",", 1);
    first = 0;
    od_node(w, child, depth + 1);
    void *next = NULL;
    OD_VT(w->h->walker, OD_TW_NEXT_SIBLING, od_com_ep)(w->h->walker, child, &next);
    OD_RELEASE(child);
    child = next;
  }
  if (child) OD_RELEASE(child);
  od_json_raw(j, "]}", 2);
}

typedef struct {
  int32_t pid;
  const char *app, *title;
  HWND found;
} od_root_query;

static int od_contains(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (_strnicmp(hay, needle, n) == 0) return 1;
  return n == 0;
}

static int od_root_each(HWND hwnd, void *arg) {
  od_root_query *q = arg;
  DWORD pid = 0;
  GetWindowThreadProcessId(hwnd, &pid);
  if (q->pid > 0 && (DWORD)q->pid != pid) return 1;
  wchar_t wtitle[512], exe[MAX_PATH];
  GetWindowTextW(hwnd, wtitle, 512);
  char *title = od_win_utf8(wtitle, -1, NULL);
  int match = title != NULL;
  if (match && q->title && *q->title) match = od_contains(title, q->title);
  if (match && q->app && *q->app) {
    od_win_process_name(pid, exe, MAX_PATH);
    char *name = od_win_utf8(exe, -1, NULL);
    match = (name && od_contains(name, q->app)) || od_contains(title, q->app);
    free(name);
  }
  free(title);
  if (!match) return 1;
  q->found = hwnd;
  return 0;
}

OD_API int od_a11y_tree(od_a11y *h, int32_t pid, const char *app, const char *title,
                        uint32_t max_depth, uint32_t max_nodes, uint32_t deadline_ms,
                        uint32_t flags, uint8_t *buf, uint32_t cap, uint32_t *len) {
  if (!h || !len || max_nodes == 0)
    return od_win_fail(NULL, OD_ERR_INVALID_ARGUMENT, "od_a11y_tree: NULL handle or no nodes");
  uint64_t start = od_win_now_ms();
  od_root_query q = {pid, app, title, NULL};
  if (pid > 0 || (app && *app) || (title && *title)) od_win_each_window(od_root_each, &q);
  else q.found = GetForegroundWindow();
  if (!q.found)
    return od_win_fail(h->error, OD_ERR_NOT_FOUND, "No window matches (pid %d, app '%s', title "
                       "'%s')", pid, app ? app : "", title ? title : "");
  od_uia_enter();
  void *root = NULL;
  HRESULT hr = OD_VT(h->uia, OD_UIA_ELEMENT_FROM_HANDLE,
                     HRESULT(STDMETHODCALLTYPE *)(void *, HWND, void **))(h->uia, q.found, &root);
  if (FAILED(hr) || !root) {
    od_uia_leave();
    return od_win_fail_hr(h->error, OD_ERR_WIN_COM, hr, "UI Automation has no element for the "
                          "window");
  }
  od_json j = {0};
  od_walk w = {h, &j, q.found, max_depth, max_nodes, 0, start + deadline_ms, NULL};
  DWORD owner = 0;
  GetWindowThreadProcessId(q.found, &owner);
  wchar_t exe[MAX_PATH];
  od_win_process_name(owner, exe, MAX_PATH);
  od_json_lit(&j, "{\"app\":");
  od_json_wstr(&j, exe);
  od_json_lit(&j, ",\"tree\":");
  od_node(&w, root, 0);
  OD_RELEASE(root);
  od_uia_leave();
  od_json_lit(&j, ",\"truncated\":");
  od_json_str(&j, w.truncated);
  od_json_lit(&j, ",\"nodes\":");
  od_json_int(&j, w.nodes);
  od_json_lit(&j, ",\"elapsed_ms\":");
  od_json_int(&j, (int64_t)(od_win_now_ms() - start));
  od_json_raw(&j, "}", 1);
  return od_json_finish(&j, buf, cap, len, h->error);
}
