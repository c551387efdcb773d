/* UI Automation on the test's own window: the tree (roles, names, refs, budgets), invoking the
 * button by its ref, replacing the edit control's text. Wine 8.0 has no CUIAutomation class
 * (CoCreateInstance answers REGDB_E_CLASSNOTREG): there, what is checked is that
 * od_a11y_open fails cleanly with WIN_COM and says why; the rest runs where UIA exists. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_tap.h"
#include "_tests.h"
#include "_ui.h"

static char tree[1 << 18];

/* The "ref" of the first node after `marker` in the tree JSON (static buffer). */
static const char *ref_after(const char *marker) {
  static char ref[256];
  const char *at = strstr(tree, marker);
  const char *r = at ? strstr(at, "\"ref\":\"") : NULL;
  if (!r) return NULL;
  r += 7;
  size_t n = strcspn(r, "\"");
  if (n >= sizeof ref) return NULL;
  memcpy(ref, r, n);
  ref[n] = 0;
  return ref;
}

void test_uia(void) {
  od_a11y *h = NULL;
  int s = od_a11y_open(NULL, &h);
  if (s == OD_ERR_WIN_COM && strstr(tap_shim_error(), "0x80040154")) {
    tap_check(h == NULL && strstr(tap_shim_error(), "UI Automation is unavailable"),
              "without a CUIAutomation class od_a11y_open fails with WIN_COM and the reason (%s)",
              tap_shim_error());
    tap_diag("UI Automation: CUIAutomation is not registered here (Wine 8.0); the tree, "
             "actions and set_text checks did not run");
    return;
  }
  tap_check(s == OD_OK && h, "od_a11y_open creates CUIAutomation (%s %s)", tap_status(s),
            tap_shim_error());
  if (!h) return;
  uint32_t len = 0;
  s = od_a11y_tree(h, (int32_t)GetCurrentProcessId(), NULL, "opendesk test window", 8, 500, 10000,
                   0, (uint8_t *)tree, sizeof tree - 1, &len);
  tree[s == OD_OK ? len : 0] = 0;
  tap_diag("tree: %.900s", tree);
  tap_check(s == OD_OK && strstr(tree, "\"role\":\"frame\"") &&
                strstr(tree, "\"name\":\"opendesk test window\"") && strstr(tree, "\"truncated\":null"),
            "od_a11y_tree walks the test window: a frame named after it, not truncated (%s %s)",
            tap_status(s), tap_shim_error());
  tap_check(strstr(tree, "\"role\":\"push button\",\"name\":\"Press me\"") != NULL,
            "the button is a push button named 'Press me'");
  tap_check(strstr(tree, "\"role\":\"text\"") != NULL, "the edit control is a text element");
  s = od_a11y_tree(h, (int32_t)GetCurrentProcessId(), NULL, "opendesk test window", 8, 1, 10000, 0,
                   (uint8_t *)tree + 1, sizeof tree - 2, &len);
  tree[1 + (s == OD_OK ? len : 0)] = 0;
  tap_check(s == OD_OK && strstr(tree + 1, "\"truncated\":\"nodes\"") &&
                strstr(tree + 1, "\"nodes\":1"),
            "a budget of one node truncates with \"nodes\"");
  s = od_a11y_tree(h, 0, "no-such-app-xyz", NULL, 8, 10, 1000, 0, (uint8_t *)tree, 10, &len);
  tap_check(s == OD_ERR_NOT_FOUND, "an unknown app is NOT_FOUND (%s)", tap_status(s));

  od_a11y_tree(h, (int32_t)GetCurrentProcessId(), NULL, "opendesk test window", 8, 500, 10000, 0,
               (uint8_t *)tree, sizeof tree - 1, &len);
  tree[len] = 0;
  const char *button = ref_after("\"name\":\"Press me\"");
  char button_ref[256] = "";
  if (button) snprintf(button_ref, sizeof button_ref, "%s", button);
  uint8_t actions[256];
  uint32_t alen = 0;
  s = od_a11y_actions(h, button_ref, 5000, actions, sizeof actions - 1, &alen);
  actions[s == OD_OK ? alen : 0] = 0;
  tap_check(s == OD_OK && strstr((char *)actions, "click\n"),
            "od_a11y_actions of the button's ref (%s) lists click (%s %s)", button_ref,
            tap_status(s), (char *)actions);
  LONG clicks = ui_seen.button_clicks;
  s = od_a11y_do_action(h, button_ref, "click", 5000);
  int clicked = TAP_WAIT(ui_seen.button_clicks == clicks + 1, 5000);
  tap_check(s == OD_OK && clicked, "od_a11y_do_action click invokes the button (BN_CLICKED) (%s %s)",
            tap_status(s), tap_shim_error());
  const char *edit = ref_after("\"role\":\"text\"");
  char edit_ref[256] = "";
  if (edit) snprintf(edit_ref, sizeof edit_ref, "%s", edit);
  s = od_a11y_set_text(h, edit_ref, "set by UIA \xc3\xa9", 5000);
  int set = TAP_WAIT(strcmp(ui_edit_text(), "set by UIA \xc3\xa9") == 0, 5000);
  tap_check(s == OD_OK && set, "od_a11y_set_text replaces the edit control's text (%s %s; '%s')",
            tap_status(s), tap_shim_error(), ui_edit_text());
  s = od_a11y_do_action(h, "1|0.0", "click", 1000);
  tap_check(s == OD_ERR_NOT_FOUND, "a ref whose window is gone is NOT_FOUND (%s)", tap_status(s));
  od_a11y_close(h);
}
