/**
 * `opendesk mcp`: serve AI agents over the Model Context Protocol, and
 * `opendesk mcp install`: add that server to an MCP client's config. The
 * work is done in `src/mcp/`; this file parses the command line.
 *
 * @module
 */

import {
  configEntry,
  defaultConfigPath,
  installEntry,
  launcherFor,
  type LocalBackend,
  MCP_CLIENTS,
  type McpApproveMode,
  type McpClient,
  mergeConfig,
  parseLoopbackAddress,
  runMcp,
} from "../../mcp/mod.ts";
import {
  booleanFlag,
  type CommandSpec,
  HOME_OPTION,
  parseCommandArgs,
  type ParsedArgs,
  stringFlag,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { CommandError, UsageError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";
import { VERSION } from "./version.ts";

/** `opendesk mcp`. */
export const MCP_SPEC: CommandSpec = {
  name: "mcp",
  summary: "Let AI agents operate this or a paired machine (MCP server)",
  description: "Serves the Model Context Protocol over stdio (for Claude Desktop, Claude Code, " +
    "Cursor and other MCP clients), or over Streamable HTTP on a loopback address with a bearer " +
    "token. Tools drive --target: 'local' (this machine, with the same consent policy and audit " +
    "log as serve) or a paired machine, whose owner approves as with connect. `mcp install` " +
    "adds this server to a client's config (the old file is kept as .bak).",
  usage: [
    "[--target PEER|local] [--approve MODE] [--http 127.0.0.1:PORT] [--home DIR]",
    "install --client claude-desktop|claude-code|cursor [--target PEER] [--print] [--config FILE]",
  ],
  positionals: [{
    name: "ACTION",
    description: "install: add the server to a client",
    optional: true,
  }],
  options: [
    {
      name: "target",
      type: "string",
      valueName: "PEER",
      description: "Machine the tools drive: local or a paired name",
      defaultText: "peers default, the only paired machine, or local",
    },
    {
      name: "approve",
      type: "string",
      valueName: "MODE",
      description: "local target: elicit (ask through the client), auto (allow all), observe",
      defaultText: "elicit when the client supports it, else observe",
    },
    {
      name: "http",
      type: "string",
      valueName: "ADDR:PORT",
      description: "Serve Streamable HTTP on this loopback address instead of stdio",
    },
    {
      name: "token-file",
      type: "string",
      valueName: "FILE",
      description: "With --http: read the bearer token from FILE instead of printing a new one",
    },
    { name: "no-audit", type: "boolean", description: "local target: do not write the audit log" },
    {
      name: "client",
      type: "string",
      valueName: "NAME",
      description: "install: claude-desktop, claude-code or cursor",
    },
    {
      name: "print",
      type: "boolean",
      description: "install: print the merged config, change nothing",
    },
    {
      name: "config",
      type: "string",
      valueName: "FILE",
      description: "install: the client's config file",
      defaultText: "the client's usual place",
    },
    HOME_OPTION,
  ],
  examples: [
    "mcp",
    "mcp --target office",
    "mcp --approve auto --http 127.0.0.1:8765",
    "install --client claude-code --target office",
  ],
};

/** Test seam of {@linkcode runMcpCommand}. */
export interface McpHooks {
  /** Supplies the local backend instead of the native selection. */
  backend?: () => Promise<LocalBackend>;
}

function approveFlag(parsed: ParsedArgs): McpApproveMode | undefined {
  const value = stringFlag(parsed, "approve");
  if (value === undefined || value === "elicit" || value === "auto" || value === "observe") {
    return value;
  }
  throw new UsageError(`Option '--approve' must be elicit, auto or observe, got '${value}'`, "mcp");
}

async function install(parsed: ParsedArgs, deps: CliDeps): Promise<number> {
  const client = stringFlag(parsed, "client");
  if (client === undefined || !(MCP_CLIENTS as readonly string[]).includes(client)) {
    throw new UsageError(`'mcp install' needs --client ${MCP_CLIENTS.join("|")}`, "mcp");
  }
  const extra: string[] = [];
  const target = stringFlag(parsed, "target");
  if (target !== undefined) extra.push("--target", target);
  const approve = approveFlag(parsed);
  if (approve !== undefined) extra.push("--approve", approve);
  const home = stringFlag(parsed, "home");
  if (home !== undefined) extra.push("--home", home);
  const entry = configEntry(client as McpClient, launcherFor(extra));
  let path: string;
  try {
    path = stringFlag(parsed, "config") ?? defaultConfigPath(client as McpClient, deps.env);
  } catch (error) {
    throw new CommandError((error as Error).message, 1, { cause: error });
  }
  if (booleanFlag(parsed, "print")) {
    let existing = "";
    try {
      existing = await Deno.readTextFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    try {
      deps.stdout.write(mergeConfig(existing, entry));
    } catch (error) {
      throw new CommandError(`Cannot merge into ${path}: ${(error as Error).message}`, 1);
    }
    return 0;
  }
  try {
    const result = await installEntry(path, entry);
    deps.stdout.write(
      `Added the 'opendesk' MCP server to ${result.path}` +
        (result.backup ? ` (previous file kept as ${result.backup})` : "") +
        `\nRestart ${client} to load it.\n`,
    );
  } catch (error) {
    throw new CommandError((error as Error).message, 1, { cause: error });
  }
  return 0;
}

/**
 * Runs `opendesk mcp`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @param hooks Test seam (the local backend).
 * @returns The exit code.
 */
export async function runMcpCommand(
  args: readonly string[],
  deps: CliDeps,
  hooks: McpHooks = {},
): Promise<number> {
  const parsed = parseCommandArgs(MCP_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(MCP_SPEC));
    return 0;
  }
  const action = parsed.positionals[0];
  if (action === "install") return await install(parsed, deps);
  if (action !== undefined) throw new UsageError(`Unknown mcp action '${action}'`, "mcp");
  const httpText = stringFlag(parsed, "http");
  let http: { host: string; port: number } | undefined;
  if (httpText !== undefined) {
    try {
      http = parseLoopbackAddress(httpText);
    } catch (error) {
      throw new UsageError((error as Error).message, "mcp");
    }
  }
  const tokenFile = stringFlag(parsed, "token-file");
  if (tokenFile !== undefined && http === undefined) {
    throw new UsageError("'--token-file' is only used with --http", "mcp");
  }
  let token: string | undefined;
  if (tokenFile !== undefined) {
    try {
      token = (await Deno.readTextFile(tokenFile)).trim();
    } catch (error) {
      throw new CommandError(`Cannot read the token file: ${(error as Error).message}`, 1);
    }
    if (token.length < 16) {
      throw new CommandError("The token file must hold at least 16 characters", 1);
    }
  }
  const stop = Promise.withResolvers<void>();
  using _interrupt = deps.onInterrupt(() => stop.resolve());
  return await runMcp({
    home: resolveHome(parsed, deps),
    version: VERSION,
    target: stringFlag(parsed, "target"),
    approve: approveFlag(parsed),
    audit: !booleanFlag(parsed, "no-audit"),
    http,
    token,
    ...(hooks.backend ? { backend: hooks.backend } : {}),
    log: (line) => deps.stderr.write(`${line}\n`),
    interrupted: stop.promise,
  });
}
