/**
 * A pointer move with every optional field empty, as the tests send and
 * script it.
 *
 * @module
 */

import type { PointerEvent } from "../../src/computer/types/input.ts";

/** The pointer moving to (`x`, `y`) at `timestamp`, no button, no modifiers. */
export function pointerMove(x: number, y: number, timestamp = 0): PointerEvent {
  return {
    action: "move",
    point: { x, y },
    button: null,
    modifiers: [],
    dx: 0,
    dy: 0,
    pressure: null,
    tilt_x: null,
    tilt_y: null,
    timestamp,
  };
}
