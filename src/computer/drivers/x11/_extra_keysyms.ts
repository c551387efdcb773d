/**
 * X keysyms of the keys beyond the catalogue's core names: the keypad, the
 * editing and IME keys and the media/browser keys (the XF86 keysyms), named
 * as in `pyautogui_key_names.ts`'s aliases.
 *
 * @module
 */

/** Key name → X keysym. */
export const EXTRA_KEYSYMS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`kp_${i}`, 0xffb0 + i])),
  kp_multiply: 0xffaa,
  kp_add: 0xffab,
  kp_separator: 0xffac,
  kp_subtract: 0xffad,
  kp_decimal: 0xffae,
  kp_divide: 0xffaf,
  clear: 0xff0b,
  select: 0xff60,
  execute: 0xff62,
  help: 0xff6a,
  mode_change: 0xff7e, // Mode_switch
  kanji: 0xff21,
  nonconvert: 0xff22, // Muhenkan
  convert: 0xff23, // Henkan
  kana: 0xff27, // Hiragana_Katakana
  hangul: 0xff31,
  hanja: 0xff34, // Hangul_Hanja
  junja: 0xff38, // Hangul_Jeonja
  yen: 0xa5,
  volume_down: 0x1008ff11,
  volume_mute: 0x1008ff12,
  volume_up: 0x1008ff13,
  play_pause: 0x1008ff14, // XF86AudioPlay
  media_stop: 0x1008ff15,
  media_previous: 0x1008ff16,
  media_next: 0x1008ff17,
  browser_home: 0x1008ff18, // XF86HomePage
  launch_mail: 0x1008ff19,
  browser_search: 0x1008ff1b,
  launch_app2: 0x1008ff1d, // XF86Calculator, as Windows' LaunchApp2
  browser_back: 0x1008ff26,
  browser_forward: 0x1008ff27,
  browser_stop: 0x1008ff28,
  browser_refresh: 0x1008ff29,
  sleep: 0x1008ff2f,
  browser_favorites: 0x1008ff30,
  launch_media: 0x1008ff32, // XF86AudioMedia
  launch_app1: 0x1008ff33, // XF86MyComputer, as Windows' LaunchApp1
};

/**
 * Names accepted and ignored on X11, as the original does there: `fn` (the
 * keyboard handles it in hardware) and the IME keys `accept` and `final`,
 * which have no X keysym.
 */
export const IGNORED_KEYS: ReadonlySet<string> = new Set(["fn", "accept", "final"]);
