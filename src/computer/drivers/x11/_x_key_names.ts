/**
 * X keysym names → opendesk's canonical key names, and keysym → character.
 *
 * @module
 */

const NAMED: Record<string, string> = {
  Return: "return",
  KP_Enter: "return",
  Escape: "escape",
  BackSpace: "backspace",
  Tab: "tab",
  ISO_Left_Tab: "tab",
  space: "space",
  Delete: "delete",
  KP_Delete: "delete",
  Insert: "insert",
  Up: "up",
  Down: "down",
  Left: "left",
  Right: "right",
  Home: "home",
  End: "end",
  Prior: "pageup",
  Page_Up: "pageup",
  Next: "pagedown",
  Page_Down: "pagedown",
  Shift_L: "shift",
  Shift_R: "shift",
  Control_L: "ctrl",
  Control_R: "ctrl",
  Alt_L: "alt",
  Alt_R: "alt",
  ISO_Level3_Shift: "alt",
  Meta_L: "meta",
  Meta_R: "meta",
  Super_L: "meta",
  Super_R: "meta",
  Hyper_L: "meta",
  Hyper_R: "meta",
  Caps_Lock: "caps_lock",
};

/** The character a keysym types, or null for keys that type nothing printable. */
export function keysymChar(keysym: number): string | null {
  if ((keysym >= 0x20 && keysym <= 0x7e) || (keysym >= 0xa0 && keysym <= 0xff)) {
    return String.fromCodePoint(keysym);
  }
  if (keysym >= 0x01000020 && keysym <= 0x0110ffff) {
    return String.fromCodePoint(keysym - 0x01000000);
  }
  return null;
}

/**
 * The canonical name of a key from its X keysym name and value: named keys
 * per `keys.ts` (`Return` → `return`, `Prior` → `pageup`, `Super_L` → `meta`),
 * `F1` → `f1`, printable keys as their lower-cased character, anything else
 * as the lower-cased X name.
 */
export function keyNameOf(xName: string, keysym: number): string {
  const named = NAMED[xName];
  if (named !== undefined) return named;
  if (/^F\d{1,2}$/.test(xName)) return xName.toLowerCase();
  const char = keysymChar(keysym);
  if (char !== null && char.trim().length > 0) return char.toLowerCase();
  return xName.length > 0 ? xName.toLowerCase() : `keysym_0x${keysym.toString(16)}`;
}
