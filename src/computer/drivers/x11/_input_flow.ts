/**
 * Input for `NativeComputer`: pointer events, key events and text, in
 * logical coordinates, through XTEST. Modifiers named on an event are held
 * for that event only and always released (in a `finally`), so an error
 * never leaves a modifier stuck.
 *
 * @module
 */

import { AbortError } from "../../../protocol/errors.ts";
import type { Modifier, PointerButton } from "../../types/enums.ts";
import type { KeyEvent, PointerEvent, TextInput } from "../../types/input.ts";
import { typeableText } from "../typeable_text.ts";
import { logicalToDevice } from "./coordinates.ts";
import { keysymFor, MODIFIER_KEYSYMS } from "./keysyms.ts";
import { IGNORED_KEYS } from "./_extra_keysyms.ts";
import { canonicalKeysym } from "../../keys.ts";
import type { NativeDisplay } from "./native_display.ts";

/** X pointer buttons of the wire's button names. */
const BUTTONS: Readonly<Record<PointerButton, number>> = {
  left: 1,
  middle: 2,
  right: 3,
  x1: 8,
  x2: 9,
};
/** Wheel buttons: up, down, left, right. */
const WHEEL = { up: 4, down: 5, left: 6, right: 7 } as const;
/** X LockMask (Caps Lock locked). */
const LOCK_MASK = 1 << 1;
/** Characters per native typing call (the signal is checked between calls). */
const TEXT_CHUNK = 64;
/** How long clients get to read a temporary key mapping before it is undone (µs). */
export const KEYMAP_SETTLE_US = 60_000;

/** Fractional scroll left over from previous events, per axis. */
export interface ScrollRemainder {
  /** Horizontal clicks not yet sent. */
  dx: number;
  /** Vertical clicks not yet sent. */
  dy: number;
}

/** What holding modifiers needs of a native keyboard (an X display, a Wayland virtual keyboard). */
export interface ModifierKeyboard {
  key(keysym: number, down: boolean): Promise<void>;
  modifierState(): { locked: number };
}

async function tapKey(display: ModifierKeyboard, keysym: number): Promise<void> {
  await display.key(keysym, true);
  await display.key(keysym, false);
}

/**
 * Runs `action` with `modifiers` held, releasing them afterwards whatever
 * happens. Caps Lock is a lock: it is toggled on (when off) and back. Shared
 * by the native drivers (the X11 and Wayland keyboards).
 */
export async function withModifiers(
  display: ModifierKeyboard,
  modifiers: readonly Modifier[],
  action: () => Promise<void> | void,
): Promise<void> {
  const pressed: number[] = [];
  let unlockCaps = false;
  try {
    for (const modifier of new Set(modifiers)) {
      // `fn` has no key code anywhere (the keyboard handles it in hardware): ignored, as the
      // original does.
      if (modifier === "fn") continue;
      if (modifier === "caps_lock") {
        if ((display.modifierState().locked & LOCK_MASK) === 0) {
          await tapKey(display, MODIFIER_KEYSYMS.caps_lock);
          unlockCaps = true;
        }
        continue;
      }
      const keysym = MODIFIER_KEYSYMS[modifier];
      await display.key(keysym, true);
      pressed.push(keysym);
    }
    await action();
  } finally {
    for (const keysym of pressed.reverse()) await display.key(keysym, false);
    if (unlockCaps) await tapKey(display, MODIFIER_KEYSYMS.caps_lock);
  }
}

/** Injects one pointer event (`input.pointer`). */
export async function injectPointer(
  display: NativeDisplay,
  event: PointerEvent,
  remainder: ScrollRemainder,
): Promise<void> {
  const at = logicalToDevice(event.point);
  await withModifiers(display, event.modifiers ?? [], () => {
    display.pointerMove(at.x, at.y);
    switch (event.action) {
      case "move":
        return;
      case "down":
      case "up": {
        const button = BUTTONS[event.button ?? "left"];
        display.pointerButton(button, event.action === "down");
        return;
      }
      case "scroll": {
        const dy = (event.dy ?? 0) + remainder.dy;
        const dx = (event.dx ?? 0) + remainder.dx;
        const ny = Math.trunc(dy);
        const nx = Math.trunc(dx);
        remainder.dy = dy - ny;
        remainder.dx = dx - nx;
        for (let i = 0; i < Math.abs(ny); i++) {
          const b = ny > 0 ? WHEEL.up : WHEEL.down;
          display.pointerButton(b, true);
          display.pointerButton(b, false);
        }
        for (let i = 0; i < Math.abs(nx); i++) {
          const b = nx > 0 ? WHEEL.right : WHEEL.left;
          display.pointerButton(b, true);
          display.pointerButton(b, false);
        }
        return;
      }
    }
  });
}

/**
 * Injects one key event (`input.key`); modifier names press the real modifier
 * keys. After a release, a spare keycode the key needed (a keysym the layout
 * lacks) is unmapped again once clients have had time to read it; spares of
 * keys still held stay mapped.
 */
export async function injectKey(display: NativeDisplay, event: KeyEvent): Promise<void> {
  if (IGNORED_KEYS.has(canonicalKeysym(event.keysym))) return; // no X11 key
  const keysym = keysymFor(event.keysym);
  await withModifiers(display, event.modifiers ?? [], async () => {
    await display.key(keysym, event.action === "down");
  });
  if (event.action === "up" && !display.closed) await display.restoreKeymap(KEYMAP_SETTLE_US);
}

/**
 * Types text through XTEST (never the clipboard); characters the layout lacks
 * are mapped onto spare keycodes, and the mapping is restored afterwards.
 */
export async function typeText(
  display: NativeDisplay,
  input: TextInput,
  signal?: AbortSignal,
): Promise<void> {
  const { codepoints, intervalMs } = typeableText(input);
  try {
    for (let i = 0; i < codepoints.length; i += TEXT_CHUNK) {
      if (signal?.aborted) {
        throw new AbortError(`Typing was aborted after ${i} of ${codepoints.length} characters`);
      }
      const chunk = new Uint32Array(codepoints.slice(i, i + TEXT_CHUNK));
      await display.text(chunk, Math.round(intervalMs * 1000));
    }
  } finally {
    if (!display.closed) await display.restoreKeymap(KEYMAP_SETTLE_US);
  }
}
