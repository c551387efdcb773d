/**
 * `opendesk unpair NAME`: stops trusting a peer and ends its sessions on
 * the running server (best effort: with no server running, only the trust
 * entry is removed).
 *
 * @module
 */

import { TrustStore } from "../../auth/trust_store.ts";
import { AdminClient, AdminUnavailableError } from "../../remote/admin_client.ts";
import { type CommandSpec, HOME_OPTION, parseCommandArgs } from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";

/** `opendesk unpair`. */
export const UNPAIR_SPEC: CommandSpec = {
  name: "unpair",
  summary: "Stop trusting a peer and disconnect its sessions",
  positionals: [{ name: "NAME", description: "Peer name (or public key) from `opendesk peers`" }],
  options: [HOME_OPTION],
  examples: ["unpair laptop"],
};

/**
 * Removes the trust entry of `ref`, then ends the sessions of that peer on
 * the running server, if one answers.
 *
 * @returns The exit code (0).
 * @throws {TrustStoreError} when the peer is unknown
 */
export async function revokePeer(home: string, ref: string, deps: CliDeps): Promise<number> {
  const removed = new TrustStore(home).remove(ref);
  deps.stdout.write(`No longer trusting ${removed.name || ref}\n`);
  try {
    const killed = await new AdminClient(home).killPeer(removed.name, "unpaired");
    if (killed > 0) deps.stdout.write(`Disconnected ${killed} session(s) of ${removed.name}\n`);
  } catch (error) {
    if (!(error instanceof AdminUnavailableError)) {
      deps.stderr.write(`warning: could not end its sessions: ${(error as Error).message}\n`);
    }
  }
  return 0;
}

/**
 * Runs `opendesk unpair`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 */
export async function runUnpair(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(UNPAIR_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(UNPAIR_SPEC));
    return 0;
  }
  return await revokePeer(resolveHome(parsed, deps), parsed.positionals[0]!, deps);
}
