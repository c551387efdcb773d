/**
 * `opendesk connect [PEER]`: connects to a paired machine and opens the
 * REPL, or runs one-shot commands (`--screenshot PATH`, `-c LINE`).
 *
 * @module
 */

import { join } from "node:path";
import { connect } from "../../remote/client.ts";
import type { ClientSession } from "../../remote/client_session.ts";
import {
  type CommandSpec,
  HOME_OPTION,
  integerFlag,
  JSON_OPTION,
  parseCommandArgs,
  type ParsedArgs,
  stringFlag,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";
import { describeClientError } from "./client_errors.ts";
import { lineExitCode, Repl } from "../repl/repl.ts";
import { askYesNo } from "./_ask_yes_no.ts";
import { RemoteError } from "../../protocol/errors.ts";
import { isSameControllerBusy } from "../../remote/session_takeover.ts";
import { CommandError } from "../errors.ts";
import { replMethods } from "../repl/repl_methods.ts";
import type { ReplMap, ReplSession } from "../repl/repl_session.ts";
import { quoteWord } from "../repl/repl_tokenizer.ts";

/** `opendesk connect`. */
export const CONNECT_SPEC: CommandSpec = {
  name: "connect",
  summary: "Connect to a paired machine: the REPL, or one-shot commands",
  description: "PEER is a name from `opendesk peers`, host[:port] of a paired machine, or " +
    "ws://host:port#<key>; without it, the default peer. Lines piped into standard input run " +
    "as a script. A script or -c stops at its first failing line (unless --keep-going) and " +
    "exits with that line's status: the remote command's exit status for `sh`, 1 for an error. " +
    "Command output goes to standard output; banners, errors and `[exit N]` lines to standard error.",
  positionals: [{ name: "PEER", description: "Machine to connect to", optional: true }],
  options: [
    {
      name: "screenshot",
      type: "string",
      valueName: "PATH",
      description: "Save a screenshot to PATH and exit",
    },
    {
      name: "command",
      type: "string",
      short: "c",
      valueName: "LINE",
      description: "Run a REPL line and exit (repeatable)",
      multiple: true,
    },
    {
      name: "takeover",
      type: "boolean",
      description:
        "End an open interactive session of this controller on that machine and take over",
    },
    {
      name: "keep-going",
      type: "boolean",
      description: "In a script or with -c, run every line even after one failed",
    },
    {
      name: "timeout",
      type: "string",
      valueName: "SECONDS",
      description: "Deadline to connect",
      defaultText: "5",
    },
    JSON_OPTION,
    HOME_OPTION,
  ],
  examples: [
    "connect office",
    "connect office --screenshot shot.png",
    'connect office -c "sh uptime" -c "ls /tmp"',
  ],
};

/** Adapts a client session to the REPL. */
export function clientReplSession(session: ClientSession): ReplSession {
  return {
    get label(): string {
      return session.label;
    },
    get manifest(): ReplMap {
      return session.manifest as unknown as ReplMap;
    },
    call: (method, params, options = {}) => session.call(method, params, options),
    stream: (method, params, options = {}) => session.stream(method, params, options),
    onPush: (handler) => session.onPush(handler),
    closed: session.closed,
    close: () => session.close(),
  };
}

function oneShotLines(parsed: ParsedArgs): string[] {
  const lines: string[] = [];
  const screenshot = stringFlag(parsed, "screenshot");
  if (screenshot !== undefined) lines.push(`screenshot ${quoteWord(screenshot)}`);
  const commands = parsed.values.command;
  if (Array.isArray(commands)) lines.push(...commands);
  return lines;
}

/**
 * Runs `opendesk connect`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 */
export async function runConnect(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(CONNECT_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(CONNECT_SPEC));
    return 0;
  }
  const target = parsed.positionals[0];
  const timeout = integerFlag(parsed, "connect", "timeout", { min: 1, max: 600 }) ?? 5;
  const home = resolveHome(parsed, deps);
  const options = {
    home,
    timeoutMs: timeout * 1000,
    onWarning: (message: string) => deps.stderr.write(`warning: ${message}\n`),
  };
  const sessions: ClientSession[] = [];
  const lines = oneShotLines(parsed);
  const interactive = lines.length === 0 && deps.stdinIsTTY && deps.stdout.isTTY;
  const open = async (takeover: boolean): Promise<ClientSession> => {
    try {
      const session = await connect(target, { ...options, interactive, takeover });
      sessions.push(session);
      return session;
    } catch (error) {
      if (
        !takeover && interactive && error instanceof RemoteError && error.code === "busy" &&
        isSameControllerBusy(error.details)
      ) {
        const label = target ?? "the machine";
        const yes = await askYesNo(
          deps,
          `Another session of this controller is open on ${label} (an interactive REPL, ` +
            "perhaps in another terminal). End it and take over? [y/N] ",
        );
        if (yes) return await open(true);
        const again = target
          ? `opendesk connect ${target} --takeover`
          : "opendesk connect --takeover";
        throw new CommandError(
          `Not connected: another session of this controller is open on ${label}; \`${again}\` ` +
            "ends it and takes over",
          1,
          { cause: error },
        );
      }
      throw describeClientError(error, target ?? "the default peer", "connect");
    }
  };
  const session = await open(parsed.values.takeover === true);
  const keepGoing = parsed.values["keep-going"] === true;
  const json = parsed.values.json === true;
  try {
    const methods = replMethods();
    if (lines.length > 0) {
      const manifest = session.manifest;
      deps.stderr.write(
        `Connected to ${session.label} (backend ${manifest.backend}, ` +
          `${manifest.capabilities.length} capabilities)\n`,
      );
      const repl = new Repl({ session: clientReplSession(session), methods, deps, json });
      let code = 0;
      for (const line of lines) {
        const lineCode = lineExitCode(await repl.execute(line), repl.state.exitStatus);
        if (lineCode === 0) continue;
        code = lineCode;
        if (!keepGoing) break;
      }
      return code;
    }
    const repl = new Repl({
      session: clientReplSession(session),
      methods,
      deps,
      historyFile: join(home, "repl_history"),
      reconnect: async () => clientReplSession(await open(true)),
      keepGoing,
      json,
    });
    return await repl.run();
  } finally {
    for (const opened of sessions) await opened.close();
  }
}
