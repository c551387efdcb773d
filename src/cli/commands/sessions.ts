/**
 * `opendesk sessions` and `opendesk disconnect`: the running server's
 * sessions, through its admin socket.
 *
 * @module
 */

import { AdminClient, AdminUnavailableError } from "../../remote/admin_client.ts";
import type { AdminSessionInfo } from "../../remote/admin_server.ts";
import { TrustStore } from "../../auth/trust_store.ts";
import {
  booleanFlag,
  type CommandSpec,
  HOME_OPTION,
  JSON_OPTION,
  parseCommandArgs,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { CommandError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";
import { formatAge, renderTable } from "../render/text_layout.ts";

/** `opendesk sessions`. */
export const SESSIONS_SPEC: CommandSpec = {
  name: "sessions",
  summary: "List the running server's sessions (who controls this machine)",
  positionals: [],
  options: [JSON_OPTION, HOME_OPTION],
};

/** `opendesk disconnect`. */
export const DISCONNECT_SPEC: CommandSpec = {
  name: "disconnect",
  summary: "End the active session, or one by ID (the controller is told)",
  positionals: [{ name: "ID", description: "Session id from `opendesk sessions`", optional: true }],
  options: [HOME_OPTION],
};

/** Wraps admin errors into command errors that say what to do. */
export async function withAdmin<T>(
  home: string,
  fn: (admin: AdminClient) => Promise<T>,
): Promise<T> {
  const admin = new AdminClient(home);
  try {
    return await fn(admin);
  } catch (error) {
    if (error instanceof AdminUnavailableError) {
      throw new CommandError(
        `No opendesk server is running for ${home}: start one with \`opendesk serve\``,
        1,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Runs `opendesk sessions`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 */
export async function runSessions(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(SESSIONS_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(SESSIONS_SPEC));
    return 0;
  }
  const home = resolveHome(parsed, deps);
  const sessions = await withAdmin(home, (admin) => admin.list());
  if (booleanFlag(parsed, "json")) {
    const store = new TrustStore(home);
    for (const s of sessions) {
      let name = s.peer_name;
      try {
        name = store.get(s.peer_pubkey_hex)?.name || name;
      } catch {
        // An unreadable trust file leaves the name the server knew.
      }
      deps.stdout.write(`${JSON.stringify({ ...s, peer_name: name })}\n`);
    }
    return 0;
  }
  if (sessions.length === 0) {
    deps.stdout.write("No active session\n");
    return 0;
  }
  // The trust store has the current names (a `peers rename` after the session opened).
  const store = new TrustStore(home);
  const nameOf = (s: AdminSessionInfo): string => {
    try {
      return store.get(s.peer_pubkey_hex)?.name || s.peer_name || "(unnamed)";
    } catch {
      return s.peer_name || "(unnamed)";
    }
  };
  deps.stdout.write(renderTable(
    [{ header: "ID" }, { header: "PEER" }, { header: "ADDRESS" }, { header: "MODE" }, {
      header: "AGE",
    }],
    sessions.map((s) => [
      String(s.id),
      nameOf(s),
      String(s.remote_addr),
      String(s.mode),
      formatAge(Number(s.age_seconds)),
    ]),
    deps.stdout.columns,
  ));
  return 0;
}

/**
 * Runs `opendesk disconnect`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 */
export async function runDisconnect(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(DISCONNECT_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(DISCONNECT_SPEC));
    return 0;
  }
  const home = resolveHome(parsed, deps);
  const id = parsed.positionals[0];
  if (id !== undefined) {
    const killed = await withAdmin(home, (admin) => admin.kill(id));
    if (!killed) {
      throw new CommandError(`No session '${id}': see \`opendesk sessions\` for the active ones`);
    }
    deps.stdout.write(`Disconnected session ${id}\n`);
    return 0;
  }
  const count = await withAdmin(home, (admin) => admin.killAll());
  deps.stdout.write(
    count === 0 ? "No active session to disconnect\n" : `Disconnected ${count} session(s)\n`,
  );
  return 0;
}
