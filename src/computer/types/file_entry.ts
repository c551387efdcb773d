/**
 * File metadata type (computer-v1 §2.7).
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, floatSchema, intSchema, strSchema } from "./_lax.ts";

/** One file or directory, as returned by `fs.list` and `fs.stat`. */
export const FileEntrySchema = z.object({
  path: strSchema,
  name: strSchema,
  is_dir: boolSchema,
  size: intSchema.default(0),
  mtime: floatSchema.nullable().default(null),
  mode: intSchema.nullable().default(null),
});
/** One file or directory. */
export type FileEntry = z.infer<typeof FileEntrySchema>;
