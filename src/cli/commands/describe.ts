/**
 * `opendesk describe [TEXT] [--clear]`: reads, sets or clears this
 * machine's description (`<home>/description.txt`), which the server sends
 * to controllers in every HELLO.
 *
 * @module
 */

import { join } from "node:path";
import { clearDescription, writeDescription } from "../../auth/description_file.ts";
import {
  booleanFlag,
  type CommandSpec,
  HOME_OPTION,
  JSON_OPTION,
  parseCommandArgs,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";

/** `opendesk describe`. */
export const DESCRIBE_SPEC: CommandSpec = {
  name: "describe",
  summary: "Show, set or clear what this machine is for (sent to controllers)",
  description: "The text is stored in <home>/description.txt; a running server picks up changes " +
    "on the next connection.",
  positionals: [{
    name: "TEXT",
    description: "New description (words are joined)",
    optional: true,
    variadic: true,
  }],
  options: [
    { name: "clear", type: "boolean", description: "Remove the description" },
    JSON_OPTION,
    HOME_OPTION,
  ],
  examples: ['describe "Build box in the lab; tests run here"', "describe --clear"],
};

/**
 * Runs `opendesk describe`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 * @throws {UsageError} when TEXT and --clear are both given
 */
export async function runDescribe(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(DESCRIBE_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(DESCRIBE_SPEC));
    return 0;
  }
  const home = resolveHome(parsed, deps);
  const file = join(home, "description.txt");
  const text = parsed.positionals.join(" ").trim();
  if (booleanFlag(parsed, "clear")) {
    if (text) throw new UsageError("Give either TEXT or --clear, not both", "describe");
    clearDescription(home);
    deps.stdout.write("Description cleared\n");
    return 0;
  }
  if (text) {
    writeDescription(home, text);
    deps.stdout.write(`Description set: ${text}\n`);
    return 0;
  }
  let current = "";
  try {
    current = (await Deno.readTextFile(file)).trim();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (booleanFlag(parsed, "json")) {
    deps.stdout.write(`${JSON.stringify({ description: current })}\n`);
    return 0;
  }
  deps.stdout.write(
    current ? `${current}\n` : 'No description set; set one with `opendesk describe "TEXT"`\n',
  );
  return 0;
}
