/**
 * `opendesk version`: the program, runtime and protocol versions.
 *
 * @module
 */

import config from "../../../deno.json" with { type: "json" };
import { type CommandSpec, parseCommandArgs } from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { renderHelp } from "../help_text.ts";

/** The program version (from `deno.json`). */
export const VERSION: string = config.version;

/** `opendesk version`. */
export const VERSION_SPEC: CommandSpec = {
  name: "version",
  summary: "Print the opendesk version",
  positionals: [],
  options: [],
};

/**
 * Runs `opendesk version`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 */
export function runVersion(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(VERSION_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(VERSION_SPEC));
    return Promise.resolve(0);
  }
  deps.stdout.write(`opendesk ${VERSION} (protocol v1, deno ${Deno.version.deno})\n`);
  return Promise.resolve(0);
}
