/**
 * Input for the Wayland driver: pointer events through the virtual pointer
 * (absolute motion over the layout), key events and text through the
 * virtual keyboard with the shim's uploaded keymap. Modifiers named on an
 * event are held for that event only and always released (in a `finally`).
 * Text validation and chunking follow the X11 driver, so both answer the
 * same inputs the same way.
 *
 * @module
 */

import { AbortError } from "../../../protocol/errors.ts";
import type { PointerButton } from "../../types/enums.ts";
import type { KeyEvent, PointerEvent, TextInput } from "../../types/input.ts";
import { typeableText } from "../typeable_text.ts";
import { logicalToDevice } from "../x11/coordinates.ts";
import { withModifiers } from "../x11/_input_flow.ts";
import { keysymFor } from "../x11/keysyms.ts";
import type { WaylandConnection } from "./wayland_connection.ts";

/** X-numbered buttons of the wire's button names (the shim maps them to Linux codes). */
const BUTTONS: Readonly<Record<PointerButton, number>> = {
  left: 1,
  middle: 2,
  right: 3,
  x1: 8,
  x2: 9,
};
/** Wheel buttons: up, down, left, right. */
const WHEEL = { up: 4, down: 5, left: 6, right: 7 } as const;
/** Characters per native typing call (the signal is checked between calls). */
const TEXT_CHUNK = 64;

/** Fractional scroll left over from previous events, per axis. */
export interface ScrollRemainder {
  /** Horizontal clicks not yet sent. */
  dx: number;
  /** Vertical clicks not yet sent. */
  dy: number;
}

function click(conn: WaylandConnection, button: number): void {
  conn.pointerButton(button, true);
  conn.pointerButton(button, false);
}

/** Injects one pointer event (`input.pointer`) at a logical point. */
export async function injectPointer(
  conn: WaylandConnection,
  event: PointerEvent,
  remainder: ScrollRemainder,
): Promise<void> {
  const at = logicalToDevice(event.point);
  await withModifiers(conn, event.modifiers ?? [], () => {
    conn.pointerMove(at.x, at.y);
    if (event.action === "down" || event.action === "up") {
      conn.pointerButton(BUTTONS[event.button ?? "left"], event.action === "down");
    } else if (event.action === "scroll") {
      const dy = (event.dy ?? 0) + remainder.dy;
      const dx = (event.dx ?? 0) + remainder.dx;
      const ny = Math.trunc(dy), nx = Math.trunc(dx);
      remainder.dy = dy - ny;
      remainder.dx = dx - nx;
      for (let i = 0; i < Math.abs(ny); i++) click(conn, ny > 0 ? WHEEL.up : WHEEL.down);
      for (let i = 0; i < Math.abs(nx); i++) click(conn, nx > 0 ? WHEEL.right : WHEEL.left);
    }
  });
}

/** Injects one key event (`input.key`); modifier names press the real modifier keys. */
export async function injectKey(conn: WaylandConnection, event: KeyEvent): Promise<void> {
  const keysym = keysymFor(event.keysym);
  await withModifiers(conn, event.modifiers ?? [], () => conn.key(keysym, event.action === "down"));
}

/**
 * Types text with the virtual keyboard (never the clipboard); characters the
 * layout lacks go to spare keycodes, and the plain keymap is uploaded again
 * afterwards.
 */
export async function typeText(
  conn: WaylandConnection,
  input: TextInput,
  signal?: AbortSignal,
): Promise<void> {
  const { codepoints, intervalMs } = typeableText(input);
  try {
    for (let i = 0; i < codepoints.length; i += TEXT_CHUNK) {
      if (signal?.aborted) {
        throw new AbortError(`Typing was aborted after ${i} of ${codepoints.length} characters`);
      }
      await conn.text(
        new Uint32Array(codepoints.slice(i, i + TEXT_CHUNK)),
        Math.round(intervalMs * 1000),
      );
    }
  } finally {
    await conn.restoreKeymap().catch(() => {});
  }
}
