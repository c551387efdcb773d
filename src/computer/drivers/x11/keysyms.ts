/**
 * opendesk's key names (`keys.ts`) as X keysyms: canonical names, their aliases,
 * modifiers, and single characters (Latin-1 keysyms or Unicode keysyms).
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { canonicalKeysym } from "../../keys.ts";
import type { Modifier } from "../../types/enums.ts";
import { EXTRA_KEYSYMS } from "./_extra_keysyms.ts";

/** X keysyms of the modifier keys a `Modifier` stands for. */
export const MODIFIER_KEYSYMS: Readonly<Record<Exclude<Modifier, "fn">, number>> = {
  shift: 0xffe1, // Shift_L
  ctrl: 0xffe3, // Control_L
  alt: 0xffe9, // Alt_L
  meta: 0xffeb, // Super_L
  caps_lock: 0xffe5, // Caps_Lock
};

/** Canonical key names and a few extra X keys → X keysym (aliases go through `canonicalKeysym`). */
const NAMED: Readonly<Record<string, number>> = {
  return: 0xff0d,
  escape: 0xff1b,
  backspace: 0xff08,
  tab: 0xff09,
  space: 0x20,
  delete: 0xffff,
  insert: 0xff63,
  up: 0xff52,
  down: 0xff54,
  left: 0xff51,
  right: 0xff53,
  home: 0xff50,
  end: 0xff57,
  pageup: 0xff55,
  pagedown: 0xff56,
  shift: MODIFIER_KEYSYMS.shift,
  ctrl: MODIFIER_KEYSYMS.ctrl,
  alt: MODIFIER_KEYSYMS.alt,
  meta: MODIFIER_KEYSYMS.meta,
  caps_lock: MODIFIER_KEYSYMS.caps_lock,
  menu: 0xff67,
  print: 0xff61,
  printscreen: 0xff61,
  pause: 0xff13,
  scroll_lock: 0xff14,
  num_lock: 0xff7f,
  ...EXTRA_KEYSYMS,
};

/** The X keysym of one Unicode character (Latin-1 keysyms below 0x100, else 0x01000000 + code point). */
export function charKeysym(codepoint: number): number {
  if ((codepoint >= 0x20 && codepoint <= 0x7e) || (codepoint >= 0xa0 && codepoint <= 0xff)) {
    return codepoint;
  }
  return 0x01000000 + codepoint;
}

/**
 * The X keysym for a key name (case-insensitive; any alias; `f1`–`f35`;
 * a single character, letters taken lower-case as the reference does).
 *
 * @throws {RemoteError} `invalid_argument` for an unknown name.
 */
export function keysymFor(name: string): number {
  const chars = [...name];
  if (chars.length === 1) {
    const cp = (chars[0] ?? "").toLowerCase().codePointAt(0) ?? 0;
    if (cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0)) return charKeysym(cp);
  }
  const lower = canonicalKeysym(name);
  const named = Object.hasOwn(NAMED, lower) ? NAMED[lower] : undefined;
  if (named !== undefined) return named;
  const f = /^f([1-9]|[1-2][0-9]|3[0-5])$/.exec(lower);
  if (f) return 0xffbe + Number(f[1]) - 1;
  throw new RemoteError(
    "invalid_argument",
    `Unknown key name '${name}': use a name such as 'return', 'escape', 'f5', 'ctrl' or a ` +
      `single character`,
  );
}
