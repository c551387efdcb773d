/**
 * Finds the opendesk home directory for a command: `--home DIR`, else
 * `$OPENDESK_HOME`, else `~/.opendesk`.
 *
 * @module
 */

import { defaultHome } from "../auth/home.ts";
import { type ParsedArgs, stringFlag } from "./command_spec.ts";
import type { CliDeps } from "./deps.ts";
import { CommandError } from "./errors.ts";

/**
 * Resolves the home directory of a command (not created).
 *
 * @param parsed The command's parsed arguments (`--home`).
 * @param deps Environment seam.
 * @returns The directory path.
 * @throws {CommandError} when no home can be found
 */
export function resolveHome(parsed: ParsedArgs, deps: CliDeps): string {
  const override = stringFlag(parsed, "home") ?? deps.env("OPENDESK_HOME");
  try {
    return defaultHome(override, { getEnv: (name) => deps.env(name) });
  } catch (error) {
    throw new CommandError((error as Error).message, 1, { cause: error });
  }
}
