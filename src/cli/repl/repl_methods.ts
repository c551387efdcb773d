/**
 * The REPL's view of the computer layer's method table: one
 * {@linkcode ReplMethod} per wire method, with its alias, kind, help and
 * params schema.
 *
 * @module
 */

import type { z } from "zod";
import { METHODS } from "../../computer/methods/methods.ts";
import type { ReplMethod, ReplParamDoc } from "./repl_call_params.ts";

/** The parts of a method definition the REPL reads. */
export interface MethodTableEntry {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly kind: "observation" | "action" | "stream";
  readonly help: string;
  readonly params: z.ZodType<unknown, z.ZodTypeDef, unknown>;
  readonly paramDocs: readonly ReplParamDoc[];
}

/**
 * Converts method definitions to {@linkcode ReplMethod}s.
 *
 * @param table The definitions (default: the computer layer's `METHODS`).
 * @returns One entry per method, in table order.
 *
 * @example Usage
 * ```ts
 * import { replMethods } from "./repl_methods.ts";
 * replMethods().find((m) => m.name === "ui.action")?.alias; // "ui.perform"
 * ```
 */
export function replMethods(table: readonly MethodTableEntry[] = METHODS): ReplMethod[] {
  return table.map((def) => ({
    name: def.name,
    kind: def.kind,
    summary: def.help,
    params: def.params as unknown as ReplMethod["params"],
    paramDocs: def.paramDocs,
    ...(def.aliases[0] !== undefined ? { alias: def.aliases[0] } : {}),
  }));
}
