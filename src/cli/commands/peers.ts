/**
 * `opendesk peers`: the trusted peers of this machine (`trusted-peers.json`):
 * list, remove, rename, default, describe and role.
 *
 * @module
 */

import { TrustStore } from "../../auth/trust_store.ts";
import { effectiveDescription, type PeerRole, type TrustedPeer } from "../../auth/trusted_peer.ts";
import {
  booleanFlag,
  type CommandSpec,
  HOME_OPTION,
  JSON_OPTION,
  parseCommandArgs,
} from "../command_spec.ts";
import type { CliDeps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { renderHelp } from "../help_text.ts";
import { resolveHome } from "../home_dir.ts";
import { revokePeer } from "./unpair.ts";
import { renderTable, truncate } from "../render/text_layout.ts";

/** `opendesk peers`. */
export const PEERS_SPEC: CommandSpec = {
  name: "peers",
  summary: "List and manage trusted peers (controllers and controlled machines)",
  usage: [
    "[list]",
    "remove NAME",
    "rename NAME NEW_NAME",
    "default [NAME] [--clear]",
    "describe NAME [TEXT] [--clear]",
    "role NAME controller|remote",
  ],
  description: "Roles: 'controller' may control this machine, 'remote' is a machine this one " +
    "controls; 'legacy' entries (written by older versions) are trusted both ways until you " +
    "settle them with `opendesk peers role`.",
  positionals: [
    {
      name: "ACTION",
      description: "list, remove, rename, default, describe or role",
      optional: true,
    },
    { name: "ARGS", description: "Arguments of the action", optional: true, variadic: true },
  ],
  options: [
    { name: "clear", type: "boolean", description: "With default or describe: remove the value" },
    JSON_OPTION,
    HOME_OPTION,
  ],
  examples: [
    "peers",
    "peers rename peer-7b4e90 laptop",
    "peers default office",
    "peers role laptop controller",
  ],
};

/** Fingerprint (four groups of four hex digits, e.g. `7b4e:909b:be7f:fe44`) of a hex public key. */
export function fingerprintOfHex(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 4)}:${h.slice(4, 8)}:${h.slice(8, 12)}:${h.slice(12, 16)}`;
}

function roleLabel(peer: TrustedPeer): string {
  return peer.role === "" ? "legacy" : peer.role;
}

function listPeers(store: TrustStore, deps: CliDeps, json: boolean): number {
  const peers = store.list();
  if (json) {
    const defaultPeer = store.defaultPeer()?.name;
    for (const p of peers) {
      deps.stdout.write(`${
        JSON.stringify({
          name: p.name,
          role: roleLabel(p),
          public_key: p.publicKey,
          fingerprint: fingerprintOfHex(p.publicKey),
          last_host: p.lastHost || null,
          last_port: p.lastHost ? p.lastPort : null,
          description: effectiveDescription(p),
          default: p.name === defaultPeer,
        })
      }\n`);
    }
    return 0;
  }
  if (peers.length === 0) {
    deps.stdout.write(
      "No trusted peers: pair a controller with `opendesk serve` or `opendesk pair`, " +
        "or pair with a machine with `opendesk pair-with HOST CODE`\n",
    );
    return 0;
  }
  const defaultName = store.defaultPeer()?.name;
  deps.stdout.write(renderTable(
    [
      { header: "NAME" },
      { header: "ROLE" },
      { header: "FINGERPRINT" },
      { header: "LAST ADDRESS" },
      {
        header: "DESCRIPTION",
      },
    ],
    peers.map((p) => [
      `${p.name || "(unnamed)"}${p.name === defaultName ? " *" : ""}`,
      roleLabel(p),
      fingerprintOfHex(p.publicKey),
      p.lastHost ? `${p.lastHost}:${p.lastPort}` : "",
      truncate(effectiveDescription(p), 60),
    ]),
    deps.stdout.columns,
  ));
  if (defaultName) deps.stdout.write("* default peer for `opendesk connect`\n");
  const legacy = peers.filter((p) => p.role === "");
  if (legacy.length > 0) {
    deps.stdout.write(
      `${legacy.length} legacy entr${
        legacy.length === 1 ? "y is" : "ies are"
      } trusted both ways; ` +
        "settle with `opendesk peers role NAME controller|remote`\n",
    );
  }
  for (const issue of store.issues()) {
    deps.stderr.write(`warning: entry ${issue.index}: ${issue.message}\n`);
  }
  return 0;
}

function need(args: readonly string[], count: number, usage: string): void {
  if (args.length < count) {
    throw new UsageError(`Missing argument: opendesk peers ${usage}`, "peers");
  }
  if (args.length > count) {
    throw new UsageError(`Unexpected argument '${args[count]}': opendesk peers ${usage}`, "peers");
  }
}

/**
 * Runs `opendesk peers`.
 *
 * @param args Arguments after the command name.
 * @param deps I/O seam.
 * @returns The exit code.
 * @throws {UsageError} for an unknown action or wrong arguments
 */
export async function runPeers(args: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseCommandArgs(PEERS_SPEC, args);
  if (parsed.help) {
    deps.stdout.write(renderHelp(PEERS_SPEC));
    return 0;
  }
  const home = resolveHome(parsed, deps);
  const store = new TrustStore(home);
  const [action = "list", ...rest] = parsed.positionals;
  const clear = booleanFlag(parsed, "clear");
  switch (action) {
    case "list":
      need(rest, 0, "list");
      return listPeers(store, deps, booleanFlag(parsed, "json"));
    case "remove": {
      need(rest, 1, "remove NAME");
      return await revokePeer(home, rest[0]!, deps);
    }
    case "rename": {
      need(rest, 2, "rename NAME NEW_NAME");
      const peer = store.rename(rest[0]!, rest[1]!);
      deps.stdout.write(`Renamed ${rest[0]} to ${peer.name}\n`);
      return 0;
    }
    case "default": {
      if (clear) {
        need(rest, 0, "default --clear");
        store.clearDefaultPeer();
        deps.stdout.write("No default peer\n");
        return 0;
      }
      if (rest.length === 0) {
        const peer = store.defaultPeer();
        deps.stdout.write(
          peer ? `${peer.name}\n` : "No default peer; set one with `opendesk peers default NAME`\n",
        );
        return 0;
      }
      need(rest, 1, "default [NAME] [--clear]");
      const peer = store.setDefaultPeer(rest[0]!);
      deps.stdout.write(`Default peer: ${peer.name}\n`);
      return 0;
    }
    case "describe": {
      if (rest.length === 0) {
        throw new UsageError("Missing argument: opendesk peers describe NAME [TEXT]", "peers");
      }
      const [name, ...words] = rest;
      if (clear) {
        if (words.length > 0) {
          throw new UsageError("Give either TEXT or --clear, not both", "peers");
        }
        store.setDescriptionOverride(name!, "");
        deps.stdout.write(`Cleared the local description of ${name}\n`);
        return 0;
      }
      if (words.length === 0) {
        const text = store.describe(name!);
        const peer = store.get(name!);
        if (!peer) {
          throw new UsageError(`No trusted peer '${name}': see \`opendesk peers\``, "peers");
        }
        deps.stdout.write(text ? `${text}\n` : `${name} has no description\n`);
        return 0;
      }
      store.setDescriptionOverride(name!, words.join(" "));
      deps.stdout.write(`Described ${name}: ${words.join(" ")}\n`);
      return 0;
    }
    case "role": {
      need(rest, 2, "role NAME controller|remote");
      const role = rest[1]!;
      if (role !== "controller" && role !== "remote") {
        throw new UsageError(`Role must be controller or remote, got '${role}'`, "peers");
      }
      const peer = store.setRole(rest[0]!, role as PeerRole);
      deps.stdout.write(
        `${peer.name} is now a ${role}: ${
          role === "controller" ? "it may control this machine" : "this machine may control it"
        }\n`,
      );
      return 0;
    }
    default:
      throw new UsageError(
        `Unknown action '${action}': use list, remove, rename, default, describe or role`,
        "peers",
      );
  }
}
