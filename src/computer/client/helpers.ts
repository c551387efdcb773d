/**
 * Convenience operations over any `Computer`: clicks,
 * drags, scrolls, key presses, hotkeys, typing and clipboard text. They send
 * only the primitive events, so they work the same locally and remotely.
 *
 * @module
 */

import type { CallOptions, Computer } from "../computer.ts";
import { canonicalKeysym } from "../keys.ts";
import { clipboardTextOf, textClipboard } from "../types/clipboard.ts";
import type { Modifier, PointerAction, PointerButton } from "../types/enums.ts";
import type { Point } from "../types/geometry.ts";
import { type KeyEvent, KeyEventSchema, PointerEventSchema } from "../types/input.ts";

/** Options of {@linkcode click}. */
export interface ClickOptions extends CallOptions {
  /** @default "left" */
  button?: PointerButton;
  /** Number of clicks. @default 1 */
  count?: number;
  /** Modifiers held (reported on the events). @default [] */
  modifiers?: Modifier[];
}

function pointerEvent(
  action: PointerAction,
  point: Point,
  extra: { button?: PointerButton | null; modifiers?: Modifier[]; dx?: number; dy?: number },
) {
  return PointerEventSchema.parse({ action, point, ...extra });
}

function callOptions(options: CallOptions): CallOptions {
  const out: CallOptions = {};
  if (options.signal !== undefined) out.signal = options.signal;
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  return out;
}

/**
 * Clicks at a logical point: one `move`, then `count` × (`down`, `up`).
 *
 * @example Usage
 * ```ts
 * import { click } from "./helpers.ts";
 * import { FakeComputer } from "../drivers/fake/fake_computer.ts";
 * await click(new FakeComputer(), { x: 10, y: 20 });
 * ```
 */
export async function click(
  computer: Computer,
  point: Point,
  options: ClickOptions = {},
): Promise<void> {
  const button = options.button ?? "left";
  const modifiers = options.modifiers ?? [];
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Invalid click count ${count}: expected a positive integer`);
  }
  const call = callOptions(options);
  await computer.pointer(pointerEvent("move", point, { modifiers }), call);
  for (let i = 0; i < count; i++) {
    await computer.pointer(pointerEvent("down", point, { button, modifiers }), call);
    await computer.pointer(pointerEvent("up", point, { button, modifiers }), call);
  }
}

/** Double-clicks at a logical point. */
export function doubleClick(
  computer: Computer,
  point: Point,
  options: Omit<ClickOptions, "count"> = {},
): Promise<void> {
  return click(computer, point, { ...options, count: 2 });
}

/** Options of {@linkcode drag}. */
export interface DragOptions extends CallOptions {
  /** @default "left" */
  button?: PointerButton;
  /** @default [] */
  modifiers?: Modifier[];
}

/** Drags from `start` to `end`: `move` + `down` at start, `move` + `up` at end. */
export async function drag(
  computer: Computer,
  start: Point,
  end: Point,
  options: DragOptions = {},
): Promise<void> {
  const button = options.button ?? "left";
  const modifiers = options.modifiers ?? [];
  const call = callOptions(options);
  await computer.pointer(pointerEvent("move", start, { modifiers }), call);
  await computer.pointer(pointerEvent("down", start, { button, modifiers }), call);
  await computer.pointer(pointerEvent("move", end, { button, modifiers }), call);
  await computer.pointer(pointerEvent("up", end, { button, modifiers }), call);
}

/** Options of {@linkcode scroll}. */
export interface ScrollOptions extends CallOptions {
  /** Horizontal wheel clicks. @default 0 */
  dx?: number;
  /** Vertical wheel clicks, positive = up. @default 0 */
  dy?: number;
  /** @default [] */
  modifiers?: Modifier[];
}

/** Scrolls at a logical point with a single `scroll` event. */
export async function scroll(
  computer: Computer,
  point: Point,
  options: ScrollOptions = {},
): Promise<void> {
  await computer.pointer(
    pointerEvent("scroll", point, {
      dx: options.dx ?? 0,
      dy: options.dy ?? 0,
      modifiers: options.modifiers ?? [],
    }),
    callOptions(options),
  );
}

function keyEvent(action: "down" | "up", keysym: string, modifiers: Modifier[]): KeyEvent {
  return KeyEventSchema.parse({ action, keysym, modifiers });
}

/** Options of {@linkcode press}. */
export interface PressOptions extends CallOptions {
  /** Modifiers held around the key. @default [] */
  modifiers?: Modifier[];
}

/**
 * Presses a key with modifiers: `down` for each modifier (its keysym is the
 * modifier name), `down`/`up` of the key, `up` of the modifiers in reverse.
 */
export async function press(
  computer: Computer,
  keysym: string,
  options: PressOptions = {},
): Promise<void> {
  const modifiers = options.modifiers ?? [];
  const key = canonicalKeysym(keysym);
  const call = callOptions(options);
  const held: Modifier[] = [];
  for (const modifier of modifiers) {
    await computer.key(keyEvent("down", modifier, [...held]), call);
    held.push(modifier);
  }
  await computer.key(keyEvent("down", key, modifiers), call);
  await computer.key(keyEvent("up", key, modifiers), call);
  for (const modifier of [...modifiers].reverse()) {
    held.pop();
    await computer.key(keyEvent("up", modifier, [...held]), call);
  }
}

/** Presses keys together: all `down` in order, then all `up` in reverse order. */
export async function hotkey(
  computer: Computer,
  keysyms: string[],
  options: CallOptions = {},
): Promise<void> {
  if (keysyms.length === 0) throw new RangeError("Invalid hotkey: no keys given");
  const keys = keysyms.map(canonicalKeysym);
  const call = callOptions(options);
  for (const key of keys) await computer.key(keyEvent("down", key, []), call);
  for (const key of [...keys].reverse()) await computer.key(keyEvent("up", key, []), call);
}

/** Options of {@linkcode typeText}. */
export interface TypeTextOptions extends CallOptions {
  /** Delay per character. @default 20 */
  intervalMs?: number;
}

/** Types text with one `input.text`. */
export function typeText(
  computer: Computer,
  text: string,
  options: TypeTextOptions = {},
): Promise<void> {
  return computer.text({ text, interval_ms: options.intervalMs ?? 20 }, callOptions(options));
}

/** The clipboard's first textual entry, or null. */
export async function clipboardText(
  computer: Computer,
  options: CallOptions = {},
): Promise<string | null> {
  return clipboardTextOf(await computer.clipboardRead(callOptions(options)));
}

/** Replaces the clipboard with one `text/plain;charset=utf-8` entry. */
export function setClipboardText(
  computer: Computer,
  text: string,
  options: CallOptions = {},
): Promise<void> {
  return computer.clipboardWrite(textClipboard(text), callOptions(options));
}
