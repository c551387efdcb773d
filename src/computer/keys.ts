/**
 * Key names: canonical keysyms, their accepted aliases,
 * modifier names and chord parsing (`ctrl+shift+p`).
 *
 * @module
 */

import type { Modifier } from "./types/enums.ts";
import { PYAUTOGUI_KEY_ALIASES } from "./pyautogui_key_names.ts";

const KEY_ALIASES: Record<string, string> = {
  enter: "return",
  esc: "escape",
  spacebar: "space",
  del: "delete",
  ins: "insert",
  arrowup: "up",
  arrowdown: "down",
  arrowleft: "left",
  arrowright: "right",
  pgup: "pageup",
  pgdn: "pagedown",
  control: "ctrl",
  option: "alt",
  cmd: "meta",
  command: "meta",
  win: "meta",
  windows: "meta",
  winleft: "meta",
  winright: "meta",
  super: "meta",
  capslock: "caps_lock",
};

/**
 * The Modifier enum values, in the catalogue's order. `fn` has no X11 equivalent (the keyboard
 * handles it in hardware): it is accepted and ignored there.
 */
export const MODIFIERS: readonly Modifier[] = ["shift", "ctrl", "alt", "meta", "fn", "caps_lock"];

/**
 * The canonical keysym for a key name or alias (case-insensitive), pyautogui's
 * names included. A single character is lower-cased; unknown names pass
 * through lower-cased.
 *
 * @example Usage
 * ```ts
 * import { canonicalKeysym } from "./keys.ts";
 * canonicalKeysym("Enter"); // "return"
 * canonicalKeysym("cmd"); // "meta"
 * ```
 */
export function canonicalKeysym(name: string): string {
  const lower = name.toLowerCase();
  if (Object.hasOwn(KEY_ALIASES, lower)) return KEY_ALIASES[lower]!;
  if (Object.hasOwn(PYAUTOGUI_KEY_ALIASES, lower)) return PYAUTOGUI_KEY_ALIASES[lower]!;
  return lower;
}

/** The Modifier for a key name or alias, or null when it is not a modifier. */
export function modifierOf(name: string): Modifier | null {
  const key = canonicalKeysym(name);
  return (MODIFIERS as readonly string[]).includes(key) ? key as Modifier : null;
}

/** A parsed chord: the key and the modifiers held with it. */
export interface Chord {
  key: string;
  modifiers: Modifier[];
}

/**
 * Parses `ctrl+shift+p` (or `ctrl-shift-p`): the last part is the key, the
 * others must be modifiers. A lone `+` or `-` is a key.
 *
 * @throws {TypeError} when a non-final part is not a modifier
 */
export function parseChord(text: string): Chord {
  if (text === "+" || text === "-") return { key: text, modifiers: [] };
  let head: string[];
  let last: string | undefined;
  const separatorKey = /^(.*?)[+-]([+-])$/.exec(text); // "ctrl++": the key is the last "+"
  if (separatorKey) {
    head = separatorKey[1]!.split(/[+-]/);
    last = separatorKey[2];
  } else {
    head = text.split(/[+-]/);
    last = head.pop();
  }
  const parts = head.map((p) => p.trim()).filter((p) => p !== "");
  if (last === undefined || last.trim() === "") {
    throw new TypeError(`Invalid key chord '${text}': it names no key`);
  }
  const modifiers: Modifier[] = [];
  for (const part of parts) {
    const modifier = modifierOf(part);
    if (modifier === null) {
      throw new TypeError(
        `Invalid key chord '${text}': '${part}' is not a modifier (shift, ctrl, alt, meta, fn, caps_lock)`,
      );
    }
    modifiers.push(modifier);
  }
  return { key: canonicalKeysym(last.trim()), modifiers };
}
