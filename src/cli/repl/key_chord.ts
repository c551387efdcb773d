/**
 * Parses key chords as people write them (`ctrl+s`, `Cmd-Shift-P`,
 * `Return`, `alt+f4`) into a canonical keysym and Modifier values
 * (computer-v1 §6.2).
 *
 * @module
 */

import { canonicalKeysym, MODIFIERS as KEY_MODIFIERS } from "../../computer/keys.ts";

/** A parsed chord. */
export interface KeyChord {
  /** Canonical keysym of the main key. */
  readonly keysym: string;
  /** Modifier enum values, in the order written. */
  readonly modifiers: readonly string[];
}

/** The Modifier enum values. */
export const MODIFIERS: readonly string[] = KEY_MODIFIERS;

const NAMED_KEYS = new Set([
  "return",
  "escape",
  "backspace",
  "tab",
  "space",
  "delete",
  "insert",
  "up",
  "down",
  "left",
  "right",
  "home",
  "end",
  "pageup",
  "pagedown",
  "menu",
  "print",
  "pause",
  "scroll_lock",
  "num_lock",
  ...MODIFIERS,
]);

/** Returns the canonical keysym of a key name (lower-cased, aliases resolved). */
export function canonicalKey(name: string): string {
  return canonicalKeysym(name);
}

/** Key names offered by completion. */
export function knownKeyNames(): string[] {
  const fkeys = Array.from({ length: 12 }, (_, i) => `f${i + 1}`);
  return [...NAMED_KEYS, ...fkeys].sort();
}

/**
 * Parses a chord. Parts are separated by `+` (or `-` when no part is
 * empty); the last part is the key, the others must be modifiers.
 *
 * @param text The chord, e.g. `ctrl+shift+t`.
 * @returns The keysym and modifiers.
 * @throws {SyntaxError} for an empty chord, an unknown modifier or an unknown key name
 *
 * @example Usage
 * ```ts
 * import { parseKeyChord } from "./key_chord.ts";
 * parseKeyChord("Ctrl+S"); // { keysym: "s", modifiers: ["ctrl"] }
 * ```
 */
export function parseKeyChord(text: string): KeyChord {
  const trimmed = text.trim();
  if (trimmed.length === 0) {
    throw new SyntaxError("Missing key: write a key such as ctrl+s or return");
  }
  let parts = trimmed.length > 1 ? trimmed.split("+") : [trimmed];
  if (parts.some((p) => p.length === 0)) {
    // "ctrl++" means ctrl and the plus key.
    if (trimmed.endsWith("++")) parts = [...trimmed.slice(0, -2).split("+"), "+"];
    else throw new SyntaxError(`Cannot read key chord '${text}': empty part`);
  } else if (parts.length === 1 && trimmed.length > 1 && trimmed.includes("-")) {
    const dashed = trimmed.split("-");
    if (dashed.every((p) => p.length > 0)) parts = dashed;
  }
  const key = parts[parts.length - 1]!;
  const modifiers: string[] = [];
  for (const part of parts.slice(0, -1)) {
    const modifier = canonicalKey(part);
    if (!MODIFIERS.includes(modifier)) {
      throw new SyntaxError(
        `Cannot read key chord '${text}': '${part}' is not a modifier (use ${
          MODIFIERS.join(", ")
        })`,
      );
    }
    if (!modifiers.includes(modifier)) modifiers.push(modifier);
  }
  const keysym = canonicalKey(key);
  if ([...keysym].length > 1 && !NAMED_KEYS.has(keysym) && !/^f([1-9]|1\d|2[0-4])$/.test(keysym)) {
    throw new SyntaxError(
      `Unknown key '${key}': use a single character or a name such as return, tab, f5, pageup`,
    );
  }
  return { keysym, modifiers };
}
