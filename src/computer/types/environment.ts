/**
 * Environment type (computer-v1 §2.7). It carries no environment variables.
 *
 * @module
 */

import { z } from "zod";
import { strSchema } from "./_lax.ts";
import { DisplaySchema } from "./display.ts";

/** Platform facts about the controlled machine. */
export const EnvironmentSchema = z.object({
  os: strSchema,
  os_version: strSchema.default(""),
  hostname: strSchema.default(""),
  locale: strSchema.default(""),
  timezone: strSchema.default(""),
  displays: z.array(DisplaySchema),
});
/** Platform facts about the controlled machine. */
export type Environment = z.infer<typeof EnvironmentSchema>;
