/**
 * Display and capture types (computer-v1 §2.3).
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, bytesSchema, floatSchema, intSchema, nowSeconds, strSchema } from "./_lax.ts";
import { PixmapFormatSchema } from "./enums.ts";
import { RectSchema } from "./geometry.ts";

/** An encoded image with its pixel and logical sizes. */
export const PixmapSchema = z.object({
  data: bytesSchema,
  format: PixmapFormatSchema.default("png"),
  width: intSchema,
  height: intSchema,
  logical_width: intSchema,
  logical_height: intSchema,
  display_id: strSchema.nullable().default(null),
  captured_at: floatSchema.default(nowSeconds),
});
/** An encoded image with its pixel and logical sizes. */
export type Pixmap = z.infer<typeof PixmapSchema>;

/** One monitor, its bounds in the global logical desktop space. */
export const DisplaySchema = z.object({
  id: strSchema,
  bounds: RectSchema,
  scale_factor: floatSchema.default(1.0),
  primary: boolSchema.default(false),
  name: strSchema.nullable().default(null),
});
/** One monitor. */
export type Display = z.infer<typeof DisplaySchema>;

/**
 * The area of the previous full frame that a delta frame's pixmap replaces, in
 * pixels of the stream's image (extension, sent only when `delta` was requested).
 */
export const FramePatchSchema = z.object({
  x: intSchema,
  y: intSchema,
  width: intSchema,
  height: intSchema,
});
/** Where a delta frame's pixmap goes. */
export type FramePatch = z.infer<typeof FramePatchSchema>;

/** One item of the `display.subscribe` stream. */
export const DisplayFrameSchema = z.object({
  pixmap: PixmapSchema,
  frame_number: intSchema.default(0),
  keyframe: boolSchema.default(true),
  /** Extension (only with `delta: true`): where a non-key frame's pixmap goes. */
  patch: FramePatchSchema.optional(),
});
/** One item of the `display.subscribe` stream. */
export type DisplayFrame = z.infer<typeof DisplayFrameSchema>;
