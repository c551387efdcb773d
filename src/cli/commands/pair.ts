/**
 * `opendesk pair`: opens a pairing window so a new controller can pair.
 * When `opendesk serve` runs, the window is armed on it through the admin
 * socket; otherwise this command runs a server itself until the pairing
 * (and the session that follows it) is over.
 *
 * @module
 */

import { Identity } from "../../auth/identity.ts";
import { validatePairingCode } from "../../auth/pairing_code.ts";
import {
  AdminClient,
  AdminRequestError,
  AdminUnavailableError,
} from "../../remote/admin_client.ts";
import {
  booleanFlag,
  type CommandSpec,
  HOME_OPTION,
  integerFlag,
  parseCommandArgs,
  secondsFlag,
  stringFlag,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { CommandError, UsageError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";
import { renderPairingBox } from "../render/pairing_box.ts";
import { dialableHosts } from "./server_events.ts";
import { parseApprove, runServer, type ServerHooks } from "./server_runner.ts";

/** `opendesk pair`. */
export const PAIR_SPEC: CommandSpec = {
  name: "pair",
  summary: "Open a pairing window for a new controller and print its code",
  description: "With `opendesk serve` running (same --home), the window opens on that server. " +
    "Otherwise this command serves until the controller has paired and its session ends, " +
    "or until --timeout. The code works once and for at most 5 minutes.",
  positionals: [],
  options: [
    {
      name: "code",
      type: "string",
      valueName: "CODE",
      description: "Use this 6-digit code instead of a random one",
    },
    {
      name: "timeout",
      type: "string",
      valueName: "SECONDS",
      description: "Without a running server: give up after this long",
      defaultText: "300",
    },
    {
      name: "host",
      type: "string",
      valueName: "ADDR",
      description: "Without a running server: address to listen on",
      defaultText: "0.0.0.0",
    },
    {
      name: "port",
      type: "string",
      valueName: "PORT",
      description: "Without a running server: port to listen on",
      defaultText: "8423",
    },
    {
      name: "approve",
      type: "string",
      valueName: "MODE",
      description: "Without a running server: console, auto or observe",
      defaultText: "as serve",
    },
    {
      name: "no-mdns",
      type: "boolean",
      description: "Without a running server: do not announce this machine",
    },
    HOME_OPTION,
  ],
  examples: ["pair", "pair --code 424242"],
};

/**
 * Runs `opendesk pair`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @param hooks Test seam (the backend of a self-run server).
 * @returns The exit code.
 */
export async function runPair(
  args: readonly string[],
  deps: CliDeps,
  hooks?: ServerHooks,
): Promise<number> {
  const parsed = parseCommandArgs(PAIR_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(PAIR_SPEC));
    return 0;
  }
  const code = stringFlag(parsed, "code");
  if (code !== undefined) {
    try {
      validatePairingCode(code);
    } catch {
      throw new UsageError(`Option '--code' must be exactly 6 digits, got '${code}'`, "pair");
    }
  }
  const timeout = secondsFlag(parsed, "pair", "timeout") ?? 300;
  const port = integerFlag(parsed, "pair", "port", { min: 0, max: 65535 }) ?? 8423;
  const approve = parseApprove(stringFlag(parsed, "approve"), "pair");
  const home = resolveHome(parsed, deps);
  const admin = new AdminClient(home);
  try {
    const window = await admin.pair(code);
    const status = await admin.status();
    deps.stdout.write(renderPairingBox({
      code: window.code,
      hosts: dialableHosts(String(status.host)),
      port: Number(status.port),
      fingerprint: Identity.loadOrCreate(home).fingerprint,
      expiresAt: window.expiresAt * 1000,
      now: Date.now(),
    }));
    deps.stdout.write("The running server shows when the controller has paired.\n");
    return 0;
  } catch (error) {
    if (error instanceof AdminRequestError) {
      throw new CommandError(error.message, 1, { cause: error });
    }
    if (!(error instanceof AdminUnavailableError)) throw error;
  }
  deps.stdout.write("No server is running here; serving until the controller has paired.\n");
  let pairedKey: string | undefined;
  let done: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const timer = setTimeout(() => {
    if (pairedKey === undefined) {
      deps.stderr.write(`No controller paired within ${timeout} s; run \`opendesk pair\` again\n`);
      done?.();
    }
  }, timeout * 1000);
  try {
    return await runServer(deps, {
      server: {
        home,
        host: stringFlag(parsed, "host") ?? "0.0.0.0",
        port,
        mdns: !booleanFlag(parsed, "no-mdns"),
        pairWhenUntrusted: false,
        ...(approve !== undefined ? { approve } : {}),
      },
      started: async (server) => {
        server.armPairing(code);
        await finished;
      },
      onEvent: (event) => {
        if (event.type === "paired") pairedKey = event.publicKeyHex;
        if (event.type === "pairing_locked" || event.type === "pairing_expired") done?.();
        if (event.type === "session_closed" && event.session.peerKeyHex === pairedKey) done?.();
      },
      ...(hooks ? { hooks } : {}),
    });
  } finally {
    clearTimeout(timer);
  }
}
