/**
 * Window type.
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, intSchema, strSchema } from "./_lax.ts";
import { type Rect, RectSchema } from "./geometry.ts";

/** A top-level window. */
export interface Window {
  id: string;
  title: string;
  app_name: string;
  pid: number | null;
  /** Logical bounds. */
  bounds: Rect | null;
  focused: boolean;
  minimized: boolean;
  workspace: string | null;
}

/** A Window before defaults are applied. */
export type WindowInit = Pick<Window, "id" | "title" | "app_name"> & {
  pid?: number | null | undefined;
  bounds?: Rect | null | undefined;
  focused?: boolean | undefined;
  minimized?: boolean | undefined;
  workspace?: string | null | undefined;
};

/** A top-level window. */
export const WindowSchema: z.ZodType<Window, z.ZodTypeDef, WindowInit> = z.object({
  id: strSchema,
  title: strSchema,
  app_name: strSchema,
  pid: intSchema.nullable().default(null),
  bounds: RectSchema.nullable().default(null),
  focused: boolSchema.default(false),
  minimized: boolSchema.default(false),
  workspace: strSchema.nullable().default(null),
});
