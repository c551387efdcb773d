/**
 * The text of `:help keys`: the key names `key` and `input.key` accept.
 *
 * @module
 */

/** `:help keys`. */
export const KEY_HELP: string = [
  "key names (case-insensitive; used by key, input.key and chords like ctrl+shift+p):",
  "  modifiers   shift ctrl alt meta caps_lock fn",
  "  named       return escape backspace tab space delete insert up down left right home end",
  "              pageup pagedown menu print pause scroll_lock num_lock help clear select",
  "  function    f1 … f35",
  "  keypad      kp_0 … kp_9 kp_add kp_subtract kp_multiply kp_divide kp_decimal kp_separator",
  "  media       volume_up volume_down volume_mute play_pause media_next media_previous",
  "              media_stop browser_back browser_forward browser_refresh … launch_mail sleep",
  "  characters  any single character: a, 7, é, €",
  "aliases: enter esc del pgup pgdn arrowup cmd win super option control capslock, and every",
  "  pyautogui key name the original opendesk accepted (shiftleft ctrlright altright num0…num9",
  "  add subtract volumeup prtsc apps \\n \\t …); left/right variants press the left key",
  "fn: accepted and ignored on X11, which has no fn key (the keyboard handles it in hardware);",
  "  so are pyautogui's IME keys accept and final",
  "",
].join("\n");
