/**
 * pyautogui's key names (its `KEYBOARD_KEYS` list, which the original
 * opendesk passed through unchanged) and the names of ours they stand for.
 * Clients written for the original send them (`shiftleft`, `num0`, `prtsc`,
 * `"\n"`), so each one is accepted as an alias.
 *
 * Left/right variants map onto our one name per modifier (`ctrlright` is
 * `ctrl`). `fn`, `accept` and `final` have no X11 key: they are accepted and
 * ignored, as the original does on X11.
 *
 * @module
 */

/** Every name in pyautogui's `KEYBOARD_KEYS`, as a fact to test against. */
export const PYAUTOGUI_KEY_NAMES: readonly string[] = [
  ..."\t\n\r !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
  ..."accept add alt altleft altright apps backspace browserback browserfavorites browserforward browserhome browserrefresh browsersearch browserstop capslock clear convert ctrl ctrlleft ctrlright decimal del delete divide down end enter esc escape execute"
    .split(" "),
  ...Array.from({ length: 24 }, (_, i) => `f${i + 1}`),
  ..."final fn hanguel hangul hanja help home insert junja kana kanji launchapp1 launchapp2 launchmail launchmediaselect left modechange multiply nexttrack nonconvert"
    .split(" "),
  ...Array.from({ length: 10 }, (_, i) => `num${i}`),
  ..."numlock pagedown pageup pause pgdn pgup playpause prevtrack print printscreen prntscrn prtsc prtscr return right scrolllock select separator shift shiftleft shiftright sleep space stop subtract tab up volumedown volumemute volumeup win winleft winright yen command option optionleft optionright"
    .split(" "),
];

/** pyautogui names whose name of ours differs (the others are ours already). */
export const PYAUTOGUI_KEY_ALIASES: Readonly<Record<string, string>> = {
  "\t": "tab",
  "\n": "return",
  "\r": "return",
  add: "kp_add",
  subtract: "kp_subtract",
  multiply: "kp_multiply",
  divide: "kp_divide",
  decimal: "kp_decimal",
  separator: "kp_separator",
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`num${i}`, `kp_${i}`])),
  altleft: "alt",
  altright: "alt",
  optionleft: "alt",
  optionright: "alt",
  ctrlleft: "ctrl",
  ctrlright: "ctrl",
  shiftleft: "shift",
  shiftright: "shift",
  apps: "menu",
  numlock: "num_lock",
  scrolllock: "scroll_lock",
  prntscrn: "print",
  prtsc: "print",
  prtscr: "print",
  browserback: "browser_back",
  browserfavorites: "browser_favorites",
  browserforward: "browser_forward",
  browserhome: "browser_home",
  browserrefresh: "browser_refresh",
  browsersearch: "browser_search",
  browserstop: "browser_stop",
  launchapp1: "launch_app1",
  launchapp2: "launch_app2",
  launchmail: "launch_mail",
  launchmediaselect: "launch_media",
  volumedown: "volume_down",
  volumemute: "volume_mute",
  volumeup: "volume_up",
  playpause: "play_pause",
  nexttrack: "media_next",
  prevtrack: "media_previous",
  stop: "media_stop",
  hanguel: "hangul",
  modechange: "mode_change",
};
