/**
 * Geometry types: points and rectangles in logical pixels
 * of the global desktop space.
 *
 * @module
 */

import { z } from "zod";
import { floatSchema } from "./_lax.ts";

/** A point in logical pixels. */
export interface Point {
  x: number;
  y: number;
}

/** A rectangle in logical pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point in logical pixels. */
export const PointSchema: z.ZodType<Point> = z.object({ x: floatSchema, y: floatSchema });

/** A rectangle in logical pixels. */
export const RectSchema: z.ZodType<Rect> = z.object({
  x: floatSchema,
  y: floatSchema,
  width: floatSchema,
  height: floatSchema,
});

/**
 * The centre of a rectangle.
 *
 * @example Usage
 * ```ts
 * import { rectCenter } from "./geometry.ts";
 * rectCenter({ x: 0, y: 0, width: 10, height: 20 }); // { x: 5, y: 10 }
 * ```
 */
export function rectCenter(rect: Rect): Point {
  return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
}

/** True when `point` lies inside `rect`, edges included. */
export function rectContains(rect: Rect, point: Point): boolean {
  return point.x >= rect.x && point.x <= rect.x + rect.width && point.y >= rect.y &&
    point.y <= rect.y + rect.height;
}
