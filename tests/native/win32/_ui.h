/* The test's own windows, owned by a UI thread that pumps their messages while the test thread
 * drives them through the shim. What the windows receive is recorded in `ui_seen`. */
#ifndef OD_TEST_UI_H
#define OD_TEST_UI_H

#include <windows.h>

/* Client-area layout of the main window: three solid squares, a button and an edit control. */
#define UI_CLIENT_W 420
#define UI_CLIENT_H 320
#define UI_RED_X 20
#define UI_GREEN_X 100
#define UI_BLUE_X 180
#define UI_SQUARE_Y 20
#define UI_SQUARE 60
#define UI_MAIN_TITLE L"opendesk test window"
#define UI_SECOND_TITLE L"opendesk second window"

typedef struct {
  volatile LONG mouse_moves, lbutton_downs, lbutton_ups, rbutton_downs, button_clicks, closes;
  volatile LONG wheel, hwheel; /* summed deltas */
  volatile LONG last_x, last_y; /* client coordinates of the last mouse message */
  volatile LONG second_closes;
} ui_record;

extern ui_record ui_seen;
extern HWND ui_main, ui_edit, ui_button, ui_second;

/* Starts the UI thread and waits until its windows exist. Returns 0 on failure. */
int ui_start(void);
/* Text of the edit control as UTF-8 (static buffer), read with WM_GETTEXT. */
const char *ui_edit_text(void);
/* Empties the edit control and gives it the keyboard focus (from the UI thread). */
void ui_edit_reset(void);
/* Client-area top-left of `hwnd` in desktop pixels. */
POINT ui_client_origin(HWND hwnd);
/* Creates a further top-level window on the UI thread (for close tests). */
HWND ui_create_window(const wchar_t *title, int x, int y);

#endif
