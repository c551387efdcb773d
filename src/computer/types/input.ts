/**
 * Input event types (computer-v1 §2.5).
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, floatSchema, intSchema, nowSeconds, strSchema } from "./_lax.ts";
import {
  KeyActionSchema,
  ModifierSchema,
  PointerActionSchema,
  PointerButtonSchema,
} from "./enums.ts";
import { PointSchema } from "./geometry.ts";

/** A pointer event; `point` is in logical pixels, `dy > 0` scrolls up. */
export const PointerEventSchema = z.object({
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
/** A pointer event. */
export type PointerEvent = z.infer<typeof PointerEventSchema>;
/** A pointer event before defaults are applied (what callers write). */
export type PointerEventInit = z.input<typeof PointerEventSchema>;

/** A key event; `keysym` is a normalised lower-case key name (§6). */
export const KeyEventSchema = z.object({
  action: KeyActionSchema,
  keysym: strSchema,
  char: strSchema.nullable().default(null),
  scancode: intSchema.nullable().default(null),
  modifiers: z.array(ModifierSchema).default([]),
  is_repeat: boolSchema.default(false),
  timestamp: floatSchema.default(nowSeconds),
});
/** A key event. */
export type KeyEvent = z.infer<typeof KeyEventSchema>;
/** A key event before defaults are applied. */
export type KeyEventInit = z.input<typeof KeyEventSchema>;

/** Text to type; a backend may paste instead of typing. */
export const TextInputSchema = z.object({
  text: strSchema,
  interval_ms: intSchema.default(20),
});
/** Text to type. */
export type TextInput = z.infer<typeof TextInputSchema>;
/** Text to type before defaults are applied. */
export type TextInputInit = z.input<typeof TextInputSchema>;

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
