/**
 * Process and command-result types (computer-v1 §2.4, §2.7).
 *
 * @module
 */

import { z } from "zod";
import { bytesSchema, floatSchema, intSchema, strSchema } from "./_lax.ts";

/** A running process. */
export const ProcessSchema = z.object({
  pid: intSchema,
  name: strSchema,
  ppid: intSchema.nullable().default(null),
  cmdline: z.array(strSchema).default([]),
});
/** A running process. */
export type Process = z.infer<typeof ProcessSchema>;

/** The result of `process.shell` and `process.exec`. */
export const CompletedCommandSchema = z.object({
  returncode: intSchema,
  stdout: bytesSchema,
  stderr: bytesSchema,
  duration: floatSchema.default(0),
});
/** The result of `process.shell` and `process.exec`. */
export type CompletedCommand = z.infer<typeof CompletedCommandSchema>;
