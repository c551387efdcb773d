/**
 * `opendesk serve`: lets paired controllers see and operate this machine.
 * With no trusted controller it arms a pairing window and prints the code;
 * gated actions are approved on this terminal (`--approve console`).
 *
 * @module
 */

import { DRIVER_FACTORIES } from "../../computer/mod.ts";
import {
  booleanFlag,
  type CommandSpec,
  HOME_OPTION,
  integerFlag,
  parseCommandArgs,
  stringFlag,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";
import { parseApprove, parseDisplaySize, runServer, type ServerHooks } from "./server_runner.ts";
import { UsageError } from "../errors.ts";

const DRIVER_NAMES = DRIVER_FACTORIES.map((f) => f.name).join(", ");
/** `opendesk serve`. */
export const SERVE_SPEC: CommandSpec = {
  name: "serve",
  summary: "Let paired controllers see and operate this machine",
  description: "With no trusted controller yet, a pairing window opens and its code is printed; " +
    "type it on the controller with `opendesk pair-with`. Actions (input, writing files, running " +
    "commands) are approved on this terminal unless --approve says otherwise. Ctrl-C stops.",
  positionals: [],
  options: [
    {
      name: "host",
      type: "string",
      valueName: "ADDR",
      description: "Address to listen on",
      defaultText: "0.0.0.0",
    },
    {
      name: "port",
      type: "string",
      valueName: "PORT",
      description: "Port to listen on (0 = any free one)",
      defaultText: "8423",
    },
    {
      name: "approve",
      type: "string",
      valueName: "MODE",
      description: "console: ask here; auto: allow all; observe: deny all actions",
      defaultText: "console with a terminal, observe without",
    },
    {
      name: "no-mdns",
      type: "boolean",
      description: "Do not announce this machine on the local network",
    },
    { name: "no-audit", type: "boolean", description: "Do not write the audit log" },
    {
      name: "virtual-display",
      type: "string",
      valueName: "WxH",
      description: "Serve a new private display of this size (the driver starts it), with " +
        "its own session bus and AT-SPI",
    },
    {
      name: "wm",
      type: "boolean",
      description: "With --virtual-display: also run a window manager there (openbox)",
    },
    {
      name: "driver",
      type: "string",
      valueName: "NAME",
      description: `Desktop driver to use (${DRIVER_NAMES}); says why when it cannot run`,
      defaultText: "the first available",
    },
    HOME_OPTION,
  ],
  examples: [
    "serve",
    "serve --approve auto --port 9000",
    "serve --virtual-display 1920x1080 --no-mdns",
  ],
};

/**
 * Runs `opendesk serve`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @param hooks Test seam (the backend).
 * @returns The exit code.
 */
export async function runServe(
  args: readonly string[],
  deps: CliDeps,
  hooks?: ServerHooks,
): Promise<number> {
  const parsed = parseCommandArgs(SERVE_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(SERVE_SPEC));
    return 0;
  }
  const port = integerFlag(parsed, "serve", "port", { min: 0, max: 65535 }) ?? 8423;
  const approve = parseApprove(stringFlag(parsed, "approve"), "serve");
  const size = stringFlag(parsed, "virtual-display");
  const virtualDisplay = size !== undefined
    ? { ...parseDisplaySize(size, "serve"), wm: booleanFlag(parsed, "wm") }
    : undefined;
  if (virtualDisplay === undefined && booleanFlag(parsed, "wm")) {
    throw new UsageError("Option '--wm' needs '--virtual-display WxH'", "serve");
  }
  const home = resolveHome(parsed, deps);
  const driver = stringFlag(parsed, "driver");
  return await runServer(deps, {
    server: {
      home,
      host: stringFlag(parsed, "host") ?? "0.0.0.0",
      port,
      audit: !booleanFlag(parsed, "no-audit"),
      mdns: !booleanFlag(parsed, "no-mdns"),
      ...(approve !== undefined ? { approve } : {}),
    },
    ...(virtualDisplay ? { virtualDisplay } : {}),
    ...(driver !== undefined ? { driver } : {}),
    ...(hooks ? { hooks } : {}),
  });
}
