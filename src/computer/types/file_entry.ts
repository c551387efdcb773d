/**
 * File metadata type.
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, floatSchema, intSchema, strSchema } from "./_lax.ts";

/** One file or directory, as returned by `fs.list` and `fs.stat`. */
export interface FileEntry {
  path: string;
  name: string;
  is_dir: boolean;
  size: number;
  /** Epoch seconds. */
  mtime: number | null;
  /** Unix `st_mode` (type and permission bits). */
  mode: number | null;
}

/** A FileEntry before defaults are applied. */
export type FileEntryInit = Pick<FileEntry, "path" | "name" | "is_dir"> & {
  size?: number | undefined;
  mtime?: number | null | undefined;
  mode?: number | null | undefined;
};

/** One file or directory. */
export const FileEntrySchema: z.ZodType<FileEntry, z.ZodTypeDef, FileEntryInit> = z.object({
  path: strSchema,
  name: strSchema,
  is_dir: boolSchema,
  size: intSchema.default(0),
  mtime: floatSchema.nullable().default(null),
  mode: intSchema.nullable().default(null),
});
