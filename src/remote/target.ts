/**
 * Client target resolution: what `opendesk
 * connect <target>` dials. In order: a peer name (or key) in the trust
 * store, `host[:port]` matching exactly one paired machine's cached
 * endpoint, `ws://host[:port]#<64 hex key>`, and the default peer; a peer
 * without a cached endpoint is looked up with mDNS by its key.
 *
 * @module
 */

import { closestName } from "./closest_name.ts";
import type { TrustStore } from "../auth/trust_store.ts";
import type { TrustedPeer } from "../auth/trusted_peer.ts";
import { DEFAULT_PORT } from "./websocket_connection.ts";

/** Where to dial and which key the server must prove. */
export interface ResolvedTarget {
  host: string;
  port: number;
  /** The server's static public key (32 bytes). */
  publicKey: Uint8Array;
  /** The trust-store name, or `""` for an unnamed `ws://…#key` target. */
  name: string;
  /** How the endpoint was found (`only`: no target given, and exactly one machine is paired). */
  source: "peer" | "endpoint" | "url" | "default" | "only";
  /** False when the host came from the trust store's cache (an mDNS browse may find a newer one). */
  explicitHost: boolean;
}

/** The target cannot be resolved; the message says what to do. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetError";
  }
}

/**
 * Resolves `target` to an endpoint and key. Peers whose endpoint is not
 * cached get `host: ""`; the caller browses mDNS for them.
 *
 * @param target the user's target, or undefined for the default peer
 * @param store the trust store (re-read on every call)
 * @returns the resolved target
 * @throws {TargetError} when nothing matches, several entries match, or the form is refused
 */
export function resolveTarget(target: string | undefined, store: TrustStore): ResolvedTarget {
  if (target === undefined || target === "") {
    const peer = store.defaultPeer();
    if (peer) return fromPeer(peer, "default");
    const remotes = store.list().filter(isRemote);
    // With one paired machine there is nothing to choose: use it, as the original does.
    if (remotes.length === 1) return fromPeer(remotes[0]!, "only");
    throw new TargetError(
      "Cannot connect: no target given and no default peer is set; " +
        (remotes.length
          ? `name one of ${
            remotes.map((p) => `'${p.name}'`).join(", ")
          } or run \`opendesk peers default NAME\``
          : "pair first with `opendesk pair-with HOST CODE`"),
    );
  }
  const lower = target.toLowerCase();
  if (lower.startsWith("wss://")) {
    throw new TargetError(
      `Cannot connect to '${target}': wss:// (TLS) is not supported; protocol v1 encrypts every ` +
        "session itself, so use ws://host:port#<key>",
    );
  }
  if (lower.startsWith("relay://") || lower.startsWith("rendezvous://")) {
    throw new TargetError(
      `Cannot connect to '${target}': rendezvous and relay servers are not supported`,
    );
  }
  if (lower.startsWith("ws://")) return fromUrl(target, store);

  const peer = store.get(target);
  if (peer) return fromPeer(peer, "peer");

  const endpoint = parseHostPort(target);
  const suggestion = suggestPeer(target, store);
  if (!endpoint) {
    throw new TargetError(
      `Cannot connect to '${target}': it is not a paired machine's name, a host[:port] or ws://host:port#<key>; ` +
        (suggestion ?? "see `opendesk peers` for names"),
    );
  }
  const matches = store.list().filter((p) =>
    isRemote(p) && p.lastHost.toLowerCase() === endpoint.host.toLowerCase() &&
    (endpoint.port === null || (p.lastPort || DEFAULT_PORT) === endpoint.port)
  );
  if (matches.length === 1) {
    const match = matches[0]!;
    return {
      host: endpoint.host,
      port: endpoint.port ?? (match.lastPort || DEFAULT_PORT),
      publicKey: keyBytes(match.publicKey),
      name: match.name,
      source: "endpoint",
      explicitHost: true,
    };
  }
  if (matches.length > 1) {
    throw new TargetError(
      `Cannot connect to '${target}': several paired machines were last reached there (${
        matches.map((m) => `'${m.name}'`).join(", ")
      }); connect by name instead`,
    );
  }
  throw new TargetError(
    `Cannot connect to '${target}': no paired machine is named so or was last reached at that ` +
      "address; " +
      (suggestion ? `${suggestion}, or ` : "") +
      `pair with \`opendesk pair-with ${endpoint.host} CODE\` or use ws://${target}#<key>`,
  );
}

/** "did you mean 'vm'?" when a paired machine's name is close to what was typed. */
function suggestPeer(target: string, store: TrustStore): string | undefined {
  const best = closestName(target, store.list().filter(isRemote).map((p) => p.name));
  return best === undefined ? undefined : `did you mean '${best}'? (\`opendesk connect ${best}\`)`;
}

/**
 * Parses `host`, `host:port` or `[v6]:port`.
 * @returns the host and the port (null when absent), or null when malformed
 */
export function parseHostPort(text: string): { host: string; port: number | null } | null {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([A-Za-z0-9._-]+)(?::(\d+))?$/.exec(text);
  const m = v6 ?? plain;
  if (!m) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535)) return null;
  return { host: m[1]!, port };
}

/** `ws://host:port`, bracketing IPv6 hosts. */
export function wsUrl(host: string, port: number): string {
  return host.includes(":") ? `ws://[${host}]:${port}` : `ws://${host}:${port}`;
}

function fromUrl(target: string, store: TrustStore): ResolvedTarget {
  const hashAt = target.indexOf("#");
  const fragment = hashAt >= 0 ? target.slice(hashAt + 1) : "";
  if (!/^[0-9a-fA-F]{64}$/.test(fragment)) {
    throw new TargetError(
      `Cannot connect to '${target}': a ws:// target needs the server's key as #<64 hex characters> ` +
        "(shown by `opendesk serve`)",
    );
  }
  const rest = target.slice(5, hashAt).replace(/\/$/, "");
  const endpoint = parseHostPort(rest);
  if (!endpoint) {
    throw new TargetError(`Cannot connect to '${target}': '${rest}' is not a host[:port]`);
  }
  return {
    host: endpoint.host,
    port: endpoint.port ?? DEFAULT_PORT,
    publicKey: keyBytes(fragment),
    name: store.get(fragment)?.name ?? "",
    source: "url",
    explicitHost: true,
  };
}

function fromPeer(peer: TrustedPeer, source: "peer" | "default" | "only"): ResolvedTarget {
  if (!isRemote(peer)) {
    throw new TargetError(
      `Cannot connect to '${peer.name}': it is trusted to control this machine, not to be controlled ` +
        `by it; if that is wrong, run \`opendesk peers role ${peer.name} remote\``,
    );
  }
  return {
    host: peer.lastHost,
    port: peer.lastPort || DEFAULT_PORT,
    publicKey: keyBytes(peer.publicKey),
    name: peer.name,
    source,
    explicitHost: false,
  };
}

function isRemote(peer: TrustedPeer): boolean {
  return peer.role === "remote" || peer.role === "";
}

function keyBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}
