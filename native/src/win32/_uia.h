/*
 * UI Automation from C. mingw-w64's headers carry UIA's constants (uiautomationclient.h) but
 * not its client interfaces, so the few methods used are called by their vtable slot, as laid
 * out by the Windows SDK's UIAutomationClient.idl (IUnknown's three methods come first).
 */
#ifndef OD_WIN32_UIA_H
#define OD_WIN32_UIA_H

#include "_win32.h"

#include <oleauto.h>
#include <uiautomationclient.h>

/* The function at `slot` of a COM object's vtable, called as `type`. */
#define OD_VT(obj, slot, type) ((type)((*(void ***)(obj))[slot]))

typedef HRESULT(STDMETHODCALLTYPE *od_com_0)(void *self);
typedef HRESULT(STDMETHODCALLTYPE *od_com_p)(void *self, void **out);
typedef HRESULT(STDMETHODCALLTYPE *od_com_ep)(void *self, void *in, void **out);

/* IUnknown */
#define OD_RELEASE(obj) ((ULONG(STDMETHODCALLTYPE *)(void *))((*(void ***)(obj))[2]))(obj)
/* IUIAutomation */
#define OD_UIA_ELEMENT_FROM_HANDLE 6 /* (HWND, IUIAutomationElement **) */
#define OD_UIA_CONTROL_VIEW_WALKER 14 /* (IUIAutomationTreeWalker **) */
/* IUIAutomationElement */
#define OD_EL_SET_FOCUS 3
#define OD_EL_GET_RUNTIME_ID 4          /* (SAFEARRAY **) */
#define OD_EL_GET_PROPERTY 10           /* (PROPERTYID, VARIANT *) */
#define OD_EL_GET_PATTERN_AS 14         /* (PATTERNID, REFIID, void **) */
/* IUIAutomationTreeWalker */
#define OD_TW_FIRST_CHILD 4
#define OD_TW_NEXT_SIBLING 6
/* Pattern methods: the first method of each pattern interface is slot 3. */
#define OD_PATTERN_FIRST 3 /* Invoke, SetValue(BSTR), Toggle, Expand, Select */
#define OD_PATTERN_SECOND 4 /* ExpandCollapse: Collapse */

struct od_a11y {
  void *uia;    /* IUIAutomation */
  void *walker; /* IUIAutomationTreeWalker (control view) */
  char error[OD_ERROR_TEXT];
};

/* Property helpers (accessibility.c). */
int od_uia_bool(void *el, PROPERTYID id);
/* UTF-8 copy of a string property (malloc'd; "" when absent). */
char *od_uia_string(void *el, PROPERTYID id);
/* "hwnd|id.id.id" into `out`. */
int od_uia_ref(void *el, HWND root, char *out, size_t cap);
/* Finds the element a ref names; NULL with the error recorded when gone. */
void *od_uia_resolve(od_a11y *h, const char *ref, uint32_t timeout_ms);
/* Enters a call: COM for this thread and the process-wide lock. */
void od_uia_enter(void);
void od_uia_leave(void);

#endif
