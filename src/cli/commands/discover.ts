/**
 * `opendesk discover`: lists opendesk servers announcing themselves on the
 * local network (mDNS), marking the ones this machine already trusts.
 *
 * @module
 */

import { TrustStore } from "../../auth/trust_store.ts";
import { discover, type DiscoveredPeer } from "../../remote/discovery.ts";
import {
  booleanFlag,
  type CommandSpec,
  HOME_OPTION,
  parseCommandArgs,
  secondsFlag,
  stringFlag,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { CommandError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";
import { renderTable, truncate } from "../render/text_layout.ts";

/** `opendesk discover`. */
export const DISCOVER_SPEC: CommandSpec = {
  name: "discover",
  summary: "Find opendesk servers on the local network (mDNS)",
  positionals: [],
  options: [
    {
      name: "timeout",
      type: "string",
      valueName: "SECONDS",
      description: "How long to listen",
      defaultText: "2",
    },
    {
      name: "interface",
      type: "string",
      valueName: "IP",
      description: "IPv4 address of the interface to browse on",
    },
    { name: "json", type: "boolean", description: "Print the results as JSON lines" },
    HOME_OPTION,
  ],
  examples: ["discover", "discover --timeout 5"],
};

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Runs `opendesk discover`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 */
export async function runDiscover(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(DISCOVER_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(DISCOVER_SPEC));
    return 0;
  }
  const timeout = secondsFlag(parsed, "discover", "timeout") ?? 2;
  const iface = stringFlag(parsed, "interface");
  const home = resolveHome(parsed, deps);
  const stop = new AbortController();
  using _interrupt = deps.onInterrupt(() => stop.abort());
  let found: DiscoveredPeer[];
  try {
    found = await discover({
      timeoutMs: timeout * 1000,
      signal: stop.signal,
      ...(iface !== undefined ? { interface: iface } : {}),
    });
  } catch (error) {
    throw new CommandError(
      `Cannot browse the network for opendesk servers: ${(error as Error).message}; ` +
        "connect by name or address instead (`opendesk connect NAME`)",
      1,
      { cause: error },
    );
  }
  let trusted: TrustStore | undefined = new TrustStore(home);
  const trustedName = (key: Uint8Array): string => {
    try {
      return trusted?.get(key)?.name ?? "";
    } catch {
      trusted = undefined;
      return "";
    }
  };
  if (booleanFlag(parsed, "json")) {
    for (const peer of found) {
      deps.stdout.write(
        JSON.stringify({
          name: peer.name,
          host: peer.host,
          port: peer.port,
          public_key: hex(peer.publicKey),
          fingerprint: peer.fingerprint,
          description: peer.description,
          trusted_as: trustedName(peer.publicKey),
        }) + "\n",
      );
    }
    return 0;
  }
  if (found.length === 0) {
    deps.stdout.write(
      `No opendesk server answered within ${timeout} s; check that \`opendesk serve\` runs ` +
        "(without --no-mdns) on the same network, or connect by address\n",
    );
    return 0;
  }
  deps.stdout.write(renderTable(
    [
      { header: "NAME" },
      { header: "ADDRESS" },
      { header: "FINGERPRINT" },
      { header: "PAIRED AS" },
      {
        header: "DESCRIPTION",
      },
    ],
    found.map((p) => [
      p.name,
      `${p.host}:${p.port}`,
      p.fingerprint,
      trustedName(p.publicKey),
      truncate(p.description, 80),
    ]),
    deps.stdout.columns,
  ));
  deps.stdout.write(
    "Pair with one: opendesk pair-with HOST CODE (the code is shown on that machine)\n",
  );
  return 0;
}
