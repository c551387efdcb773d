/**
 * Window type (computer-v1 §2.4).
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, intSchema, strSchema } from "./_lax.ts";
import { RectSchema } from "./geometry.ts";

/** A top-level window. */
export const WindowSchema = z.object({
  id: strSchema,
  title: strSchema,
  app_name: strSchema,
  pid: intSchema.nullable().default(null),
  bounds: RectSchema.nullable().default(null),
  focused: boolSchema.default(false),
  minimized: boolSchema.default(false),
  workspace: strSchema.nullable().default(null),
});
/** A top-level window. */
export type Window = z.infer<typeof WindowSchema>;
