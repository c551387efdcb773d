/**
 * Environment type. It carries no environment variables.
 *
 * @module
 */

import { z } from "zod";
import { strSchema } from "./_lax.ts";
import { type Display, type DisplayInit, DisplaySchema } from "./display.ts";

/** Platform facts about the controlled machine. */
export interface Environment {
  /** `Linux`, `Darwin` or `Windows`. */
  os: string;
  os_version: string;
  hostname: string;
  locale: string;
  timezone: string;
  displays: Display[];
}

/** An Environment before defaults are applied. */
export interface EnvironmentInit {
  os: string;
  os_version?: string | undefined;
  hostname?: string | undefined;
  locale?: string | undefined;
  timezone?: string | undefined;
  displays: DisplayInit[];
}

/** Platform facts about the controlled machine. */
export const EnvironmentSchema: z.ZodType<Environment, z.ZodTypeDef, EnvironmentInit> = z.object({
  os: strSchema,
  os_version: strSchema.default(""),
  hostname: strSchema.default(""),
  locale: strSchema.default(""),
  timezone: strSchema.default(""),
  displays: z.array(DisplaySchema),
});
