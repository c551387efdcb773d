/**
 * Process and command-result types.
 *
 * @module
 */

import { z } from "zod";
import { bytesSchema, floatSchema, intSchema, strSchema } from "./_lax.ts";

/** A running process. */
export interface Process {
  pid: number;
  name: string;
  ppid: number | null;
  cmdline: string[];
}

/** A Process before defaults are applied. */
export type ProcessInit = Pick<Process, "pid" | "name"> & {
  ppid?: number | null | undefined;
  cmdline?: string[] | undefined;
};

/** A running process. */
export const ProcessSchema: z.ZodType<Process, z.ZodTypeDef, ProcessInit> = z.object({
  pid: intSchema,
  name: strSchema,
  ppid: intSchema.nullable().default(null),
  cmdline: z.array(strSchema).default([]),
});

/** The result of `process.shell` and `process.exec`. */
export interface CompletedCommand {
  /** Exit code, or minus the signal number when a signal ended the process. */
  returncode: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** Seconds. */
  duration: number;
}

/** A CompletedCommand before defaults are applied. */
export type CompletedCommandInit = Omit<CompletedCommand, "duration"> & {
  duration?: number | undefined;
};

/** The result of `process.shell` and `process.exec`. */
export const CompletedCommandSchema: z.ZodType<
  CompletedCommand,
  z.ZodTypeDef,
  CompletedCommandInit
> = z.object({
  returncode: intSchema,
  stdout: bytesSchema,
  stderr: bytesSchema,
  duration: floatSchema.default(0),
});
