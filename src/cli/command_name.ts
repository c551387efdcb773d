/**
 * The command that runs opendesk on this machine, for hints. Messages say
 * "run `opendesk connect vm`"; when `opendesk` is not on the PATH (a source
 * checkout used through `./scripts/opendesk`), the launcher passes how it
 * was invoked in `OPENDESK_COMMAND` and hints name that instead, so every
 * hint can be pasted as printed.
 *
 * @module
 */

import type { CliDeps, TextWriter } from "./deps.ts";

/** The command name hints should use: `OPENDESK_COMMAND`, or `opendesk`. */
export function commandName(env: (name: string) => string | undefined): string {
  const named = env("OPENDESK_COMMAND")?.trim();
  return named && named.length > 0 ? named : "opendesk";
}

/** The subcommands a hint can name (a test keeps it equal to the command table). */
export const HINT_SUBCOMMANDS: readonly string[] = [
  "serve",
  "pair",
  "sessions",
  "disconnect",
  "describe",
  "audit",
  "policy",
  "pair-with",
  "connect",
  "discover",
  "peers",
  "unpair",
  "mcp",
  "version",
  "help",
];

const HINT = new RegExp(
  `(^|[\\s\`'"(])opendesk (?=(?:${
    [...HINT_SUBCOMMANDS].sort((a, b) => b.length - a.length).join("|")
  })(?![\\w-]))`,
  "g",
);

/**
 * Rewrites "opendesk SUBCOMMAND" in a message to the command that works here.
 *
 * @param text A message written by opendesk itself (never remote content).
 * @param command The result of {@linkcode commandName}.
 */
export function localizeHints(text: string, command: string): string {
  if (command === "opendesk") return text;
  return text.replace(HINT, (_match, before: string) => `${before}${command} `);
}

/**
 * The same dependencies with both writers rewriting hints. Only for commands
 * whose output is entirely opendesk's own text (not a REPL or a consent
 * prompt, which show what the other machine sent).
 */
export function withLocalHints(deps: CliDeps): CliDeps {
  const command = commandName((name) => deps.env(name));
  if (command === "opendesk") return deps;
  const wrap = (writer: TextWriter): TextWriter => ({
    write: (text) => writer.write(localizeHints(text, command)),
    get isTTY() {
      return writer.isTTY;
    },
    get columns() {
      return writer.columns;
    },
  });
  return Object.assign(Object.create(deps) as CliDeps, {
    stdout: wrap(deps.stdout),
    stderr: wrap(deps.stderr),
  });
}
