/**
 * `opendesk mcp install`: the config entry that makes an MCP client start
 * `opendesk mcp`, merged into the client's config file (other servers and
 * settings kept, the previous file kept as `<file>.bak`, the new one
 * written atomically), or printed.
 *
 * @module
 */

import { dirname, join } from "node:path";

/** The clients `install` knows. */
export const MCP_CLIENTS = ["claude-desktop", "claude-code", "cursor"] as const;
/** One of them. */
export type McpClient = typeof MCP_CLIENTS[number];

/** The server's name in the client's config. */
export const SERVER_ENTRY_NAME = "opendesk";

/** The command line the client runs. */
export interface Launcher {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The launcher of this installation: the compiled binary itself, or Deno
 * running this checkout's `main.ts`; followed by `mcp` and `extraArgs`.
 */
export function launcherFor(extraArgs: readonly string[]): Launcher {
  const exec = Deno.execPath();
  const isDeno = /(^|[\\/])deno(\.exe)?$/.test(exec);
  if (!isDeno) return { command: exec, args: ["mcp", ...extraArgs] };
  const main = new URL("../cli/main.ts", import.meta.url);
  return {
    command: exec,
    args: ["run", "-A", "--unstable-net", main.pathname, "mcp", ...extraArgs],
  };
}

/** The default config file of `client` for this user. @throws {Error} without a home directory */
export function defaultConfigPath(
  client: McpClient,
  env: (name: string) => string | undefined,
): string {
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) throw new Error("Cannot find the home directory: set HOME or pass --config");
  switch (client) {
    case "claude-desktop":
      if (Deno.build.os === "darwin") {
        return join(home, "Library", "Application Support", "Claude", "claude_desktop_config.json");
      }
      if (Deno.build.os === "windows") {
        return join(
          env("APPDATA") ?? join(home, "AppData", "Roaming"),
          "Claude",
          "claude_desktop_config.json",
        );
      }
      return join(
        env("XDG_CONFIG_HOME") ?? join(home, ".config"),
        "Claude",
        "claude_desktop_config.json",
      );
    case "claude-code":
      return join(home, ".claude.json");
    case "cursor":
      return join(home, ".cursor", "mcp.json");
  }
}

/** The entry for `client`. */
export function configEntry(client: McpClient, launcher: Launcher): Record<string, unknown> {
  const base = { command: launcher.command, args: [...launcher.args] };
  return client === "claude-code" ? { type: "stdio", ...base, env: {} } : base;
}

/** The merged config text: `existing` (a JSON object, or empty) with the entry set. @throws {SyntaxError} */
export function mergeConfig(existing: string, entry: Record<string, unknown>): string {
  let config: Record<string, unknown> = {};
  if (existing.trim() !== "") {
    const parsed = JSON.parse(existing);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new SyntaxError("the file does not hold a JSON object");
    }
    config = parsed as Record<string, unknown>;
  }
  const servers = config.mcpServers;
  if (
    servers !== undefined &&
    (servers === null || typeof servers !== "object" || Array.isArray(servers))
  ) {
    throw new SyntaxError("its 'mcpServers' is not a JSON object");
  }
  config.mcpServers = {
    ...(servers as Record<string, unknown> | undefined),
    [SERVER_ENTRY_NAME]: entry,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** What `install` did. */
export interface InstallResult {
  readonly path: string;
  /** The previous file's copy, or null when there was none. */
  readonly backup: string | null;
}

/**
 * Merges the entry into the config file at `path`: the old file is copied to
 * `<path>.bak`, the new text written to a temporary file and renamed over it.
 * @throws {Error} naming the file when it is not valid JSON (nothing is changed then)
 */
export async function installEntry(
  path: string,
  entry: Record<string, unknown>,
): Promise<InstallResult> {
  let existing = "";
  let mode: number | undefined;
  try {
    existing = await Deno.readTextFile(path);
    mode = (await Deno.stat(path)).mode ?? undefined;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  let text: string;
  try {
    text = mergeConfig(existing, entry);
  } catch (error) {
    throw new Error(
      `Cannot update ${path}: ${
        (error as Error).message
      }; fix or move the file and run install again ` +
        "(it was not changed)",
      { cause: error },
    );
  }
  await Deno.mkdir(dirname(path), { recursive: true });
  let backup: string | null = null;
  if (existing !== "") {
    backup = `${path}.bak`;
    await Deno.writeTextFile(backup, existing, { mode: mode ?? 0o600 });
  }
  const temp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeTextFile(temp, text, { mode: mode ?? 0o600 });
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  return { path, backup };
}
