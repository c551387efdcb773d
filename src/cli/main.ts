/**
 * The `opendesk` command line: a table of subcommands, each in its own file
 * exporting `run<Name>(args, deps)`. Usage mistakes exit with 2, failures
 * with 1; every message says what to do next.
 *
 * @example Usage
 * ```sh
 * deno run -A --unstable-net src/cli/main.ts help
 * ```
 *
 * @module
 */

import { TrustStoreError } from "../auth/errors.ts";
import {
  AUDIT_SPEC,
  CONNECT_SPEC,
  DESCRIBE_SPEC,
  DISCONNECT_SPEC,
  DISCOVER_SPEC,
  MCP_SPEC,
  PAIR_SPEC,
  PAIR_WITH_SPEC,
  PEERS_SPEC,
  POLICY_SPEC,
  runAudit,
  runConnect,
  runDescribe,
  runDisconnect,
  runDiscover,
  runMcpCommand,
  runPair,
  runPairWith,
  runPeers,
  runPolicy,
  runServe,
  runSessions,
  runUnpair,
  runVersion,
  SERVE_SPEC,
  SESSIONS_SPEC,
  UNPAIR_SPEC,
  VERSION,
  VERSION_SPEC,
} from "./commands/mod.ts";
import { type CommandSpec, parseCommandArgs } from "./command_spec.ts";
import type { CliDeps } from "./deps.ts";
import { CommandError, errorMessage, EXIT_FAILURE, UsageError } from "./errors.ts";
import { renderHelp, renderOverview } from "./help_text.ts";
import { realDeps } from "./_real_deps.ts";
import { commandName, localizeHints, withLocalHints } from "./command_name.ts";

/** One subcommand. */
export interface CliCommand {
  /** The word after `opendesk`. */
  readonly name: string;
  /** One line for `opendesk help`. */
  readonly summary: string;
  /** Which side of a connection uses it (groups the overview). */
  readonly side: "controlled" | "controller" | "general";
  /** Arguments and help text. */
  readonly spec: CommandSpec;
  /** Runs it; resolves with the exit code. */
  run(args: readonly string[], deps: CliDeps): Promise<number>;
}

function command(
  spec: CommandSpec,
  side: CliCommand["side"],
  run: CliCommand["run"],
): CliCommand {
  return { name: spec.name, summary: spec.summary, side, spec, run };
}

/** `opendesk help [COMMAND]`. */
export const HELP_SPEC: CommandSpec = {
  name: "help",
  summary: "Show the commands, or the help of one command",
  positionals: [{ name: "COMMAND", description: "Command to explain", optional: true }],
  options: [],
};

/** Every subcommand, in the order `opendesk help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  command(SERVE_SPEC, "controlled", (args, deps) => runServe(args, deps)),
  command(PAIR_SPEC, "controlled", (args, deps) => runPair(args, deps)),
  command(SESSIONS_SPEC, "controlled", runSessions),
  command(DISCONNECT_SPEC, "controlled", runDisconnect),
  command(DESCRIBE_SPEC, "controlled", runDescribe),
  command(AUDIT_SPEC, "controlled", runAudit),
  command(POLICY_SPEC, "controlled", runPolicy),
  command(PAIR_WITH_SPEC, "controller", runPairWith),
  command(CONNECT_SPEC, "controller", runConnect),
  command(DISCOVER_SPEC, "controller", runDiscover),
  command(PEERS_SPEC, "controller", runPeers),
  command(UNPAIR_SPEC, "controller", runUnpair),
  command(MCP_SPEC, "controller", (args, deps) => runMcpCommand(args, deps)),
  command(VERSION_SPEC, "general", runVersion),
  command(HELP_SPEC, "general", runHelp),
];

/** Commands whose output carries what another machine sent; their writers are left as they are. */
const REMOTE_CONTENT = new Set(["connect", "serve", "pair"]);

/** Finds a subcommand by name. */
export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The text of `opendesk help`. */
export function overviewText(): string {
  const groups = [
    { title: "On the machine to control", side: "controlled" },
    { title: "On the controller", side: "controller" },
    { title: "Other", side: "general" },
  ] as const;
  return renderOverview(
    groups.map((g) => ({
      title: g.title,
      commands: COMMANDS.filter((c) => c.side === g.side).map((c) => c.spec),
    })),
    VERSION,
  );
}

/**
 * Runs `opendesk help [COMMAND]`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 * @throws {UsageError} for an unknown command
 */
export function runHelp(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(HELP_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(HELP_SPEC));
    return Promise.resolve(0);
  }
  const name = parsed.positionals[0];
  if (name === undefined) {
    deps.stdout.write(overviewText());
    return Promise.resolve(0);
  }
  const found = findCommand(name);
  if (!found) throw new UsageError(`Unknown command '${name}'`, "help");
  deps.stdout.write(renderHelp(found.spec));
  return Promise.resolve(0);
}

/**
 * Runs the command line.
 *
 * @param args The program arguments (`Deno.args`).
 * @param deps I/O seam.
 * @returns The exit code: 0 success, 1 failure, 2 usage error.
 */
export async function main(args: readonly string[], deps: CliDeps): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h") {
    deps.stdout.write(overviewText());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") return await runVersion([], deps);
  const found = findCommand(name);
  const hint = (text: string): string => localizeHints(text, commandName((n) => deps.env(n)));
  // Commands that show what another machine sent (the REPL, consent prompts) rewrite only
  // their own hints; every other command's output is opendesk's own text.
  const own = found && !REMOTE_CONTENT.has(found.name) ? withLocalHints(deps) : deps;
  try {
    if (!found) throw new UsageError(`Unknown command '${name}'`);
    return await found.run(rest, own);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command ? `opendesk ${error.command} --help` : "opendesk help";
      deps.stderr.write(hint(`error: ${error.message}\nRun \`${help}\` for usage\n`));
      return error.exitCode;
    }
    if (error instanceof CommandError) {
      deps.stderr.write(hint(`error: ${error.message}\n`));
      return error.exitCode;
    }
    if (error instanceof TrustStoreError) {
      deps.stderr.write(hint(`error: ${error.message}\n`));
      return EXIT_FAILURE;
    }
    deps.stderr.write(hint(`error: ${errorMessage(error)}\n`));
    if (deps.env("OPENDESK_DEBUG")) deps.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    return EXIT_FAILURE;
  }
}

if (import.meta.main) {
  const code = await main(Deno.args, realDeps());
  // Let pending closes (WebSocket close frames, audit writes) finish; exit
  // anyway shortly after if a handle such as a terminal reader stays open.
  Deno.exitCode = code;
  Deno.unrefTimer(setTimeout(() => Deno.exit(code), 1500));
}
