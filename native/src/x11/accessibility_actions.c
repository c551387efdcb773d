/*
 * Actions on accessible elements by reference (opendesk.h: od_a11y_actions,
 * od_a11y_do_action, od_a11y_set_text, od_a11y_grab_focus).
 *
 * A reference is "<bus name>|<object path>" as od_a11y_tree writes it. Each operation is a
 * direct method call on the accessibility bus (org.a11y.atspi.Action / EditableText) with the
 * caller's timeout, so a hung application costs at most that timeout.
 */
#define _GNU_SOURCE
#include <atspi/atspi.h>
#include <dbus/dbus.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opendesk.h"
#include "_a11y.h"

static int split_ref(const char *ref, char *bus, size_t bus_cap, const char **path) {
  const char *bar = ref ? strchr(ref, '|') : NULL;
  if (!bar || bar == ref || (size_t)(bar - ref) >= bus_cap || bar[1] != '/') return 0;
  memcpy(bus, ref, (size_t)(bar - ref));
  bus[bar - ref] = '\0';
  *path = bar + 1;
  return dbus_validate_bus_name(bus, NULL) && dbus_validate_path(*path, NULL);
}

static int status_of(const DBusError *e) {
  if (dbus_error_has_name(e, DBUS_ERROR_NO_REPLY) || dbus_error_has_name(e, DBUS_ERROR_TIMEOUT)) {
    return OD_ERR_A11Y_TIMEOUT;
  }
  if (dbus_error_has_name(e, DBUS_ERROR_SERVICE_UNKNOWN) ||
      dbus_error_has_name(e, DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      dbus_error_has_name(e, DBUS_ERROR_UNKNOWN_OBJECT) ||
      dbus_error_has_name(e, DBUS_ERROR_UNKNOWN_METHOD) ||
      dbus_error_has_name(e, DBUS_ERROR_UNKNOWN_INTERFACE)) {
    return OD_ERR_NOT_FOUND;
  }
  return OD_ERR_A11Y;
}

/* Calls `method` of `iface` on the referenced object; on OD_OK *reply is a new reference. */
static int call(od_a11y *h, const char *ref, const char *iface, const char *method, int first_type,
                const void *first_arg, uint32_t timeout_ms, DBusMessage **reply) {
  char bus[256];
  const char *path;
  if (!split_ref(ref, bus, sizeof bus, &path)) return OD_ERR_INVALID_ARGUMENT;
  DBusConnection *conn = h->bus;
  if (!dbus_connection_get_is_connected(conn)) return OD_ERR_A11Y;
  DBusMessage *msg = dbus_message_new_method_call(bus, path, iface, method);
  if (!msg) return OD_ERR_NO_MEMORY;
  if (first_type != DBUS_TYPE_INVALID) {
    dbus_message_append_args(msg, first_type, first_arg, DBUS_TYPE_INVALID);
  }
  DBusError err;
  dbus_error_init(&err);
  *reply = dbus_connection_send_with_reply_and_block(conn, msg, (int)timeout_ms, &err);
  dbus_message_unref(msg);
  int status = *reply ? OD_OK : status_of(&err);
  dbus_error_free(&err);
  return status;
}

/* Appends the action names of the GetActions reply (a(sss)) to `b`, newline-terminated. */
static int action_names(DBusMessage *reply, OdjBuf *b) {
  DBusMessageIter it, arr, st;
  dbus_message_iter_init(reply, &it);
  if (dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY) return OD_ERR_A11Y;
  dbus_message_iter_recurse(&it, &arr);
  while (dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_STRUCT) {
    dbus_message_iter_recurse(&arr, &st);
    const char *name = "";
    if (dbus_message_iter_get_arg_type(&st) == DBUS_TYPE_STRING) {
      dbus_message_iter_get_basic(&st, &name);
    }
    odj_lit(b, name);
    odj_lit(b, "\n");
    dbus_message_iter_next(&arr);
  }
  return b->oom ? OD_ERR_NO_MEMORY : OD_OK;
}

static int get_actions(od_a11y *h, const char *ref, uint32_t timeout_ms) {
  DBusMessage *reply = NULL;
  pthread_mutex_lock(&od_a11y_mu);
  int status = call(h, ref, "org.a11y.atspi.Action", "GetActions", DBUS_TYPE_INVALID, NULL,
                    timeout_ms, &reply);
  pthread_mutex_unlock(&od_a11y_mu);
  h->out.len = 0;
  if (status == OD_OK) status = action_names(reply, &h->out);
  if (reply) dbus_message_unref(reply);
  return status;
}

OD_API int od_a11y_actions(od_a11y *h, const char *ref, uint32_t timeout_ms, uint8_t *buf,
                           uint32_t cap, uint32_t *len) {
  if (!h || !ref || !len) return OD_ERR_INVALID_ARGUMENT;
  int status = get_actions(h, ref, timeout_ms);
  if (status != OD_OK) return status;
  *len = (uint32_t)h->out.len;
  if (h->out.len > cap || (!buf && h->out.len)) return OD_ERR_BUFFER_TOO_SMALL;
  if (h->out.len) memcpy(buf, h->out.data, h->out.len);
  return OD_OK;
}

/* Index of the action to run for `wanted`: an exact (case-insensitive) name, or for "click"
 * the first of click/press/activate/toggle/jump, else the first action. -1 if none. */
static int pick_action(const char *names, size_t len, const char *wanted) {
  static const char *const click_like[] = {"click", "press", "activate", "toggle", "jump"};
  int is_click = strcasecmp(wanted, "click") == 0;
  int best = -1, best_rank = 99, index = 0;
  for (size_t off = 0; off < len; index++) {
    const char *nl = memchr(names + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (names + off)) : len - off;
    if (strlen(wanted) == n && strncasecmp(names + off, wanted, n) == 0) return index;
    for (int k = 0; is_click && k < 5; k++) {
      if (strlen(click_like[k]) == n && strncasecmp(names + off, click_like[k], n) == 0 &&
          k < best_rank) {
        best = index;
        best_rank = k;
      }
    }
    off += n + 1;
  }
  return best >= 0 ? best : is_click && index > 0 ? 0 : -1;
}

OD_API int od_a11y_do_action(od_a11y *h, const char *ref, const char *action,
                             uint32_t timeout_ms) {
  if (!h || !ref || !action || !*action) return OD_ERR_INVALID_ARGUMENT;
  int status = get_actions(h, ref, timeout_ms);
  if (status != OD_OK) return status;
  int32_t index = pick_action(h->out.data ? h->out.data : "", h->out.len, action);
  if (index < 0) return OD_ERR_NOT_FOUND;
  DBusMessage *reply = NULL;
  pthread_mutex_lock(&od_a11y_mu);
  status = call(h, ref, "org.a11y.atspi.Action", "DoAction", DBUS_TYPE_INT32, &index, timeout_ms,
                &reply);
  pthread_mutex_unlock(&od_a11y_mu);
  dbus_bool_t ok = FALSE;
  if (status == OD_OK && !dbus_message_get_args(reply, NULL, DBUS_TYPE_BOOLEAN, &ok,
                                                DBUS_TYPE_INVALID)) {
    ok = FALSE;
  }
  if (reply) dbus_message_unref(reply);
  return status != OD_OK ? status : ok ? OD_OK : OD_ERR_A11Y;
}

/* Calls a method that answers a boolean; false (the element refused) is OD_ERR_A11Y. */
static int call_bool(od_a11y *h, const char *ref, const char *iface, const char *method,
                     int first_type, const void *first_arg, uint32_t timeout_ms) {
  DBusMessage *reply = NULL;
  pthread_mutex_lock(&od_a11y_mu);
  int status = call(h, ref, iface, method, first_type, first_arg, timeout_ms, &reply);
  pthread_mutex_unlock(&od_a11y_mu);
  dbus_bool_t ok = FALSE;
  if (status == OD_OK && !dbus_message_get_args(reply, NULL, DBUS_TYPE_BOOLEAN, &ok,
                                                DBUS_TYPE_INVALID)) {
    ok = FALSE;
  }
  if (reply) dbus_message_unref(reply);
  return status != OD_OK ? status : ok ? OD_OK : OD_ERR_A11Y;
}

OD_API int od_a11y_set_text(od_a11y *h, const char *ref, const char *text, uint32_t timeout_ms) {
  if (!h || !ref || !text || !dbus_validate_utf8(text, NULL)) return OD_ERR_INVALID_ARGUMENT;
  return call_bool(h, ref, "org.a11y.atspi.EditableText", "SetTextContents", DBUS_TYPE_STRING,
                   &text, timeout_ms);
}

OD_API int od_a11y_grab_focus(od_a11y *h, const char *ref, uint32_t timeout_ms) {
  if (!h || !ref) return OD_ERR_INVALID_ARGUMENT;
  return call_bool(h, ref, "org.a11y.atspi.Component", "GrabFocus", DBUS_TYPE_INVALID, NULL,
                   timeout_ms);
}
