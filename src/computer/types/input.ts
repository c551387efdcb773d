/**
 * Input event types.
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, floatSchema, intSchema, nowSeconds, strSchema } from "./_lax.ts";
import {
  type KeyAction,
  KeyActionSchema,
  type Modifier,
  ModifierSchema,
  type PointerAction,
  PointerActionSchema,
  type PointerButton,
  PointerButtonSchema,
} from "./enums.ts";
import { type Point, PointSchema } from "./geometry.ts";

/** A pointer event; `point` is in logical pixels, `dy > 0` scrolls up. */
export interface PointerEvent {
  action: PointerAction;
  point: Point;
  /** Needed for `down`/`up`. */
  button: PointerButton | null;
  modifiers: Modifier[];
  /** Scroll delta in wheel clicks. */
  dx: number;
  dy: number;
  pressure: number | null;
  tilt_x: number | null;
  tilt_y: number | null;
  /** Epoch seconds. */
  timestamp: number;
}

/** A pointer event before defaults are applied (what callers write). */
export type PointerEventInit = Pick<PointerEvent, "action" | "point"> & {
  button?: PointerButton | null | undefined;
  modifiers?: Modifier[] | undefined;
  dx?: number | undefined;
  dy?: number | undefined;
  pressure?: number | null | undefined;
  tilt_x?: number | null | undefined;
  tilt_y?: number | null | undefined;
  timestamp?: number | undefined;
};

/** A pointer event. */
export const PointerEventSchema: z.ZodType<PointerEvent, z.ZodTypeDef, PointerEventInit> = z
  .object({
    action: PointerActionSchema,
    point: PointSchema,
    button: PointerButtonSchema.nullable().default(null),
    modifiers: z.array(ModifierSchema).default([]),
    dx: floatSchema.default(0),
    dy: floatSchema.default(0),
    pressure: floatSchema.nullable().default(null),
    tilt_x: floatSchema.nullable().default(null),
    tilt_y: floatSchema.nullable().default(null),
    timestamp: floatSchema.default(nowSeconds),
  });

/** A key event; `keysym` is a normalised lower-case key name (`keys.ts`). */
export interface KeyEvent {
  action: KeyAction;
  keysym: string;
  char: string | null;
  scancode: number | null;
  modifiers: Modifier[];
  is_repeat: boolean;
  /** Epoch seconds. */
  timestamp: number;
}

/** A key event before defaults are applied. */
export type KeyEventInit = Pick<KeyEvent, "action" | "keysym"> & {
  char?: string | null | undefined;
  scancode?: number | null | undefined;
  modifiers?: Modifier[] | undefined;
  is_repeat?: boolean | undefined;
  timestamp?: number | undefined;
};

/** A key event. */
export const KeyEventSchema: z.ZodType<KeyEvent, z.ZodTypeDef, KeyEventInit> = z.object({
  action: KeyActionSchema,
  keysym: strSchema,
  char: strSchema.nullable().default(null),
  scancode: intSchema.nullable().default(null),
  modifiers: z.array(ModifierSchema).default([]),
  is_repeat: boolSchema.default(false),
  timestamp: floatSchema.default(nowSeconds),
});

/** Text to type; a backend may paste instead of typing. */
export interface TextInput {
  text: string;
  /** Per-character delay. */
  interval_ms: number;
}

/** Text to type before defaults are applied. */
export interface TextInputInit {
  text: string;
  interval_ms?: number | undefined;
}

/** Text to type. */
export const TextInputSchema: z.ZodType<TextInput, z.ZodTypeDef, TextInputInit> = z.object({
  text: strSchema,
  interval_ms: intSchema.default(20),
});

/** A pointer or key event; on the wire a key event is the one with `keysym`. */
export type InputEvent = PointerEvent | KeyEvent;

/** A pointer or key event, told apart by the presence of `keysym`. */
export const InputEventSchema: z.ZodType<InputEvent, z.ZodTypeDef, unknown> = z.custom<unknown>()
  .transform((value, ctx): InputEvent => {
    const schema = isKeyEventLike(value) ? KeyEventSchema : PointerEventSchema;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue(issue);
    return z.NEVER;
  });

/** True when a decoded map is a key event (it has `keysym`). */
export function isKeyEventLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && "keysym" in value;
}

/** True when the event is a key event. */
export function isKeyEvent(event: InputEvent): event is KeyEvent {
  return "keysym" in event;
}
