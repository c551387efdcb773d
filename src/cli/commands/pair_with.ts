/**
 * `opendesk pair-with HOST CODE`: pairs this machine (the controller) with
 * the machine showing CODE, and remembers it as a machine this one may
 * control.
 *
 * @module
 */

import { TrustStore } from "../../auth/trust_store.ts";
import { pairWith } from "../../remote/client.ts";
import {
  type CommandSpec,
  HOME_OPTION,
  integerFlag,
  parseCommandArgs,
  stringFlag,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";
import { describeClientError } from "./client_errors.ts";
import { PairedButBusyError } from "../../remote/paired_but_busy_error.ts";
import { fingerprintOfHex } from "./peers.ts";

/** `opendesk pair-with`. */
export const PAIR_WITH_SPEC: CommandSpec = {
  name: "pair-with",
  summary: "Pair with a machine that shows a pairing code, to control it from here",
  positionals: [
    { name: "HOST", description: "Address of the machine (host or host:port)" },
    {
      name: "CODE",
      description: "The 6-digit code shown by `opendesk serve` or `opendesk pair` there",
    },
  ],
  options: [
    {
      name: "port",
      type: "string",
      valueName: "PORT",
      description: "Port of the machine",
      defaultText: "8423",
    },
    {
      name: "name",
      type: "string",
      valueName: "NAME",
      description: "Name to remember it by",
      defaultText: "peer-<6 hex of its key>",
    },
    {
      name: "timeout",
      type: "string",
      valueName: "SECONDS",
      description: "Deadline to connect and for each handshake step",
      defaultText: "10",
    },
    HOME_OPTION,
  ],
  examples: ["pair-with 192.168.1.20 123456 --name office"],
};

/**
 * Runs `opendesk pair-with`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 */
export async function runPairWith(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(PAIR_WITH_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(PAIR_WITH_SPEC));
    return 0;
  }
  const [host, code] = parsed.positionals as [string, string];
  if (!/^\d{6}$/.test(code)) {
    throw new UsageError(`The pairing code must be exactly 6 digits, got '${code}'`, "pair-with");
  }
  const port = integerFlag(parsed, "pair-with", "port", { min: 1, max: 65535 });
  const timeout = integerFlag(parsed, "pair-with", "timeout", { min: 1, max: 600 }) ?? 10;
  const name = stringFlag(parsed, "name");
  const home = resolveHome(parsed, deps);
  const stop = new AbortController();
  using _interrupt = deps.onInterrupt(() => stop.abort());
  let session;
  try {
    session = await pairWith(host, code, {
      home,
      timeoutMs: timeout * 1000,
      autoReconnect: false,
      mdns: false,
      signal: stop.signal,
      onWarning: (message) => deps.stderr.write(`warning: ${message}\n`),
      ...(port !== undefined ? { port } : {}),
      ...(name !== undefined ? { name } : {}),
    });
  } catch (error) {
    if (error instanceof PairedButBusyError) {
      const keyHex = [...error.serverKey].map((b) => b.toString(16).padStart(2, "0")).join("");
      deps.stdout.write(
        `Paired with ${error.host}:${error.port} (fingerprint ${fingerprintOfHex(keyHex)}).\n` +
          `Saved as '${error.savedName}'. Connect with: opendesk connect ${error.savedName}\n`,
      );
      deps.stderr.write(
        `note: the machine is busy right now (another controller has a session there); ` +
          "pairing is done, connect when that session ends\n",
      );
      return 0;
    }
    throw describeClientError(error, port !== undefined ? `${host}:${port}` : host, "pair-with");
  }
  try {
    const link = session.link;
    const keyHex = [...link.serverKey].map((b) => b.toString(16).padStart(2, "0")).join("");
    const saved = new TrustStore(home).get(keyHex)?.name ?? session.label;
    deps.stdout.write(
      `Paired with ${link.host}:${link.port} (fingerprint ${fingerprintOfHex(keyHex)}, ` +
        `backend ${session.manifest.backend}).\n` +
        `Saved as '${saved}'. Connect with: opendesk connect ${saved}\n`,
    );
    if (session.manifest.description) {
      deps.stdout.write(`It says: ${session.manifest.description}\n`);
    }
  } finally {
    await session.close();
  }
  return 0;
}
