/**
 * Display and capture types.
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, bytesSchema, floatSchema, intSchema, nowSeconds, strSchema } from "./_lax.ts";
import { type PixmapFormat, PixmapFormatSchema } from "./enums.ts";
import { type Rect, RectSchema } from "./geometry.ts";

/** An encoded image with its pixel and logical sizes. */
export interface Pixmap {
  /** Encoded image bytes. */
  data: Uint8Array;
  format: PixmapFormat;
  /** Pixel width of `data` (after any downscaling). */
  width: number;
  height: number;
  /** Logical size of the captured area. */
  logical_width: number;
  logical_height: number;
  display_id: string | null;
  /** Epoch seconds. */
  captured_at: number;
}

/** A Pixmap before defaults are applied. */
export type PixmapInit = Omit<Pixmap, "format" | "display_id" | "captured_at"> & {
  format?: PixmapFormat | undefined;
  display_id?: string | null | undefined;
  captured_at?: number | undefined;
};

/** An encoded image with its pixel and logical sizes. */
export const PixmapSchema: z.ZodType<Pixmap, z.ZodTypeDef, PixmapInit> = z.object({
  data: bytesSchema,
  format: PixmapFormatSchema.default("png"),
  width: intSchema,
  height: intSchema,
  logical_width: intSchema,
  logical_height: intSchema,
  display_id: strSchema.nullable().default(null),
  captured_at: floatSchema.default(nowSeconds),
});

/** One monitor, its bounds in the global logical desktop space. */
export interface Display {
  id: string;
  bounds: Rect;
  /** Pixels per logical pixel. */
  scale_factor: number;
  primary: boolean;
  name: string | null;
}

/** A Display before defaults are applied. */
export type DisplayInit = Pick<Display, "id" | "bounds"> & {
  scale_factor?: number | undefined;
  primary?: boolean | undefined;
  name?: string | null | undefined;
};

/** One monitor. */
export const DisplaySchema: z.ZodType<Display, z.ZodTypeDef, DisplayInit> = z.object({
  id: strSchema,
  bounds: RectSchema,
  scale_factor: floatSchema.default(1.0),
  primary: boolSchema.default(false),
  name: strSchema.nullable().default(null),
});

/**
 * Where a delta frame's pixmap goes: the area of the previous full frame it
 * replaces, in pixels of the stream's image (extension, only with `delta`).
 */
export interface FramePatch {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a delta frame's pixmap goes. */
export const FramePatchSchema: z.ZodType<FramePatch> = z.object({
  x: intSchema,
  y: intSchema,
  width: intSchema,
  height: intSchema,
});

/** One item of the `display.subscribe` stream. */
export interface DisplayFrame {
  pixmap: Pixmap;
  frame_number: number;
  keyframe: boolean;
  /** Extension (only with `delta: true`): where a non-key frame's pixmap goes. */
  patch?: FramePatch | undefined;
}

/** A DisplayFrame before defaults are applied. */
export interface DisplayFrameInit {
  pixmap: PixmapInit;
  frame_number?: number | undefined;
  keyframe?: boolean | undefined;
  patch?: FramePatch | undefined;
}

/** One item of the `display.subscribe` stream. */
export const DisplayFrameSchema: z.ZodType<DisplayFrame, z.ZodTypeDef, DisplayFrameInit> = z
  .object({
    pixmap: PixmapSchema,
    frame_number: intSchema.default(0),
    keyframe: boolSchema.default(true),
    patch: FramePatchSchema.optional(),
  });

/** A colour, 0-255 per channel (`display.pixel`). */
export interface Color {
  r: number;
  g: number;
  b: number;
}

const channel = z.number().int().min(0).max(255);

/** Schema of {@linkcode Color}. */
export const ColorSchema: z.ZodType<Color> = z.object({ r: channel, g: channel, b: channel });

/** A colour from 0xRRGGBB. */
export function colorFromRgb(rgb: number): Color {
  return { r: (rgb >>> 16) & 0xff, g: (rgb >>> 8) & 0xff, b: rgb & 0xff };
}
