/**
 * String enums of the computer layer.
 *
 * @module
 */

import { z } from "zod";

/** Image encodings a Pixmap may carry. */
export const PixmapFormatSchema: z.ZodEnum<["png", "jpeg", "raw_rgba", "raw_rgb"]> = z.enum([
  "png",
  "jpeg",
  "raw_rgba",
  "raw_rgb",
]);
/** One Pixmap encoding. */
export type PixmapFormat = z.infer<typeof PixmapFormatSchema>;

/** Pointer buttons. */
export const PointerButtonSchema: z.ZodEnum<["left", "right", "middle", "x1", "x2"]> = z.enum([
  "left",
  "right",
  "middle",
  "x1",
  "x2",
]);
/** One pointer button. */
export type PointerButton = z.infer<typeof PointerButtonSchema>;

/** Modifier keys (`meta` = Cmd on macOS, Win on Windows, Super on Linux). */
export const ModifierSchema: z.ZodEnum<["shift", "ctrl", "alt", "meta", "fn", "caps_lock"]> = z
  .enum(["shift", "ctrl", "alt", "meta", "fn", "caps_lock"]);
/** One modifier. */
export type Modifier = z.infer<typeof ModifierSchema>;

/** Pointer actions; a click is `move` + `down` + `up`. */
export const PointerActionSchema: z.ZodEnum<["move", "down", "up", "scroll"]> = z.enum([
  "move",
  "down",
  "up",
  "scroll",
]);
/** One pointer action. */
export type PointerAction = z.infer<typeof PointerActionSchema>;

/** Key actions. */
export const KeyActionSchema: z.ZodEnum<["down", "up"]> = z.enum(["down", "up"]);
/** One key action. */
export type KeyAction = z.infer<typeof KeyActionSchema>;
