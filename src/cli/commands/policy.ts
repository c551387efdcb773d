/**
 * `opendesk policy show`: the consent policy a server started with this home
 * would apply: every method's outcome and the rule behind it, the path
 * rules, the app allow-list and the protected paths.
 *
 * @module
 */

import { findMethod, methodNames } from "../../computer/methods/methods.ts";
import { loadEffectivePolicy } from "../../remote/effective_policy.ts";
import { decideByRules } from "../../remote/policy_rules.ts";
import { type CommandSpec, HOME_OPTION, parseCommandArgs } from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";

/** `opendesk policy`. */
export const POLICY_SPEC: CommandSpec = {
  name: "policy",
  summary: "Show the consent policy (policy.json and protected paths) serve applies",
  description: "The rules live in <home>/policy.json (see docs/policy.md); " +
    "serve reads them at start-up. --approve auto or observe on serve replace them.",
  positionals: [{ name: "ACTION", description: "show (the only action)", optional: true }],
  options: [HOME_OPTION],
  examples: ["policy show"],
};

/**
 * Runs `opendesk policy [show]`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 * @throws {UsageError} for an unknown action
 * @throws {PolicyFileError} when policy.json is invalid (the message names the line)
 */
export function runPolicy(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(POLICY_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(POLICY_SPEC));
    return Promise.resolve(0);
  }
  const action = parsed.positionals[0] ?? "show";
  if (action !== "show") {
    throw new UsageError(
      `Unknown policy action '${action}': use \`opendesk policy show\``,
      "policy",
    );
  }
  const home = resolveHome(parsed, deps);
  const policy = loadEffectivePolicy(home, {
    userHome: deps.env("HOME") ?? deps.env("USERPROFILE"),
  });
  const out: string[] = [];
  out.push(
    policy.file
      ? `Policy file: ${policy.file}`
      : `Policy file: none (${home}/policy.json does not exist; built-in defaults apply)`,
  );
  out.push(
    "Applies when serve asks on its terminal (--approve console, the default with a terminal);",
    "--approve auto allows every method, --approve observe only observation methods.",
    "Protected paths are asked at the terminal in every mode.",
    "",
    "Methods:",
  );
  for (const name of methodNames()) {
    const def = findMethod(name);
    if (!def || def.name !== name) continue;
    const decision = decideByRules(name, {}, def.observation, policy.rules);
    const source = decision.rule ?? (def.observation ? "default: observation" : "default");
    out.push(`  ${name.padEnd(24)} ${decision.action.padEnd(6)} ${source}`);
  }
  out.push("", "Path rules for fs.* (the longest matching path wins):");
  if (policy.rules.paths.length === 0) out.push("  none");
  for (const rule of policy.rules.paths) out.push(`  ${rule.path.padEnd(40)} ${rule.action}`);
  out.push("", "Apps apps.open starts without asking:");
  out.push(
    policy.rules.apps.allow.length === 0 ? "  none" : `  ${policy.rules.apps.allow.join(", ")}`,
  );
  out.push("", "Protected paths (always asked, reads included):");
  for (const entry of policy.protectedPaths) {
    // The server protects its own process and terminal; this command is not that process.
    if (/^\/dev\/(pts\/|tty\w)/.test(entry.path)) continue;
    const path = entry.path.replace(`/proc/${Deno.pid}`, "/proc/<server pid>");
    out.push(`  ${path.padEnd(40)} ${entry.why}`);
  }
  if (Deno.build.os === "linux") {
    out.push(`  ${"<the serving terminal's device>".padEnd(40)} the terminal this server runs in`);
  }
  deps.stdout.write(out.join("\n") + "\n");
  return Promise.resolve(0);
}
