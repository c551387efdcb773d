/**
 * The controller's entry points: `connect(target)` (protocol-v1 §15.2–§15.3)
 * and `pairWith(host, code)` (§15.4). Both return a {@linkcode ClientSession}
 * that reconnects on its own.
 *
 * @module
 */

import { defaultHome } from "../auth/home.ts";
import { Identity } from "../auth/identity.ts";
import { TrustStore } from "../auth/trust_store.ts";
import { ConnectionClosedError, RemoteError } from "../protocol/errors.ts";
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_HELLO_TIMEOUT_MS } from "../protocol/constants.ts";
import { dialAuth, type DialOptions, dialPair, type Link } from "./_dial.ts";
import { ClientSession } from "./client_session.ts";
import {
  discover as mdnsDiscover,
  type DiscoveredPeer,
  type DiscoverOptions,
} from "./discovery.ts";
import { isLoopbackHost } from "./_refused_probe.ts";
import { ConnectionRefusedError } from "./connection_refused_error.ts";
import { PairedButBusyError } from "./paired_but_busy_error.ts";
import { explainRefusal } from "./_explain_refusal.ts";
import { parseHostPort, type ResolvedTarget, resolveTarget, TargetError } from "./target.ts";
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_PORT } from "./websocket_connection.ts";

/** Options of {@linkcode connect} and {@linkcode pairWith}. */
export interface ConnectOptions {
  /**
   * The opendesk home directory.
   * @default {defaultHome()}
   */
  home?: string;
  /**
   * This machine's identity.
   * @default {Identity.loadOrCreate(home)}
   */
  identity?: Identity;
  /**
   * The trusted peers.
   * @default {new TrustStore(home)}
   */
  trustStore?: TrustStore;
  /**
   * Deadline of the connect and of each handshake step (and of an mDNS lookup).
   * @default {5000}
   */
  timeoutMs?: number;
  /**
   * Deadline of the HELLO exchange.
   * @default {DEFAULT_HELLO_TIMEOUT_MS}
   */
  helloTimeoutMs?: number;
  /**
   * Default deadline of calls.
   * @default {DEFAULT_CALL_TIMEOUT_MS}
   */
  callTimeoutMs?: number;
  /**
   * Largest frame accepted from the server.
   * @default {DEFAULT_MAX_FRAME_BYTES}
   */
  maxFrameBytes?: number;
  /**
   * Reconnect after a lost connection.
   * @default {true}
   */
  autoReconnect?: boolean;
  /**
   * Mark the session interactive (a person types into it). Another
   * connection of this controller that asked not to take over then gets
   * `busy` (details `same_controller`) instead of ending this session.
   * @default {false}
   */
  interactive?: boolean;
  /**
   * Whether this connection may end an open interactive session of the
   * same controller; undefined leaves it to the server (it ends it, as the
   * original does). Reconnects of this session always take over.
   */
  takeover?: boolean;
  /**
   * Total reconnect time.
   * @default {30000}
   */
  reconnectBudgetMs?: number;
  /**
   * Waits before each reconnect attempt.
   * @default {[500, 1000, 2000, 4000, 5000, 5000, 5000, 5000]}
   */
  reconnectDelaysMs?: readonly number[];
  /**
   * Look a peer up with mDNS when its address is unknown or stale.
   * @default {true}
   */
  mdns?: boolean;
  /** IPv4 address of the interface to browse on. */
  mdnsInterface?: string;
  /** Aborts the first connect. */
  signal?: AbortSignal;
  /** Receives non-fatal problems (e.g. capabilities this client does not know). */
  onWarning?: (message: string) => void;
}

/** Options of {@linkcode pairWith}. */
export interface PairWithOptions extends ConnectOptions {
  /**
   * The server's port.
   * @default {8423}
   */
  port?: number;
  /**
   * Name to store the server under.
   * @default {`peer-<first 6 hex of its key>`}
   */
  name?: string;
}

/**
 * Connects to a paired machine and authenticates.
 *
 * @param target a peer name or key, `host[:port]`, `ws://host[:port]#<key>`, or undefined for the default peer
 * @param options home, deadlines, reconnect and mDNS settings
 * @returns the live session (reconnecting by itself)
 * @throws {TargetError} when the target cannot be resolved
 * @throws {HandshakeError} when the server is not the expected machine or does not trust this one
 * @throws {RemoteError} `busy` when another controller is active
 * @throws {ConnectionClosedError} when the server cannot be reached
 *
 * @example Usage
 * ```ts ignore
 * const session = await connect("office-pc");
 * console.log(session.manifest.capabilities);
 * await session.close();
 * ```
 */
export async function connect(
  target: string | undefined,
  options: ConnectOptions = {},
): Promise<ClientSession> {
  const home = options.home ?? defaultHome();
  const store = options.trustStore ?? new TrustStore(home);
  const dial = dialOptions(home, options);
  let label = target ?? "";
  let first = true;
  const connector = async (signal?: AbortSignal): Promise<Link> => {
    const resolved = resolveTarget(target, store);
    label = resolved.name || `${resolved.host}:${resolved.port}`;
    // A reconnect replaces this client's own lost session, which the server may still hold.
    const takeover = {
      interactive: options.interactive,
      takeover: first ? options.takeover : true,
    };
    const link = await dialResolved(resolved, { ...dial, signal, takeover }, options);
    first = false;
    cacheLink(store, link, options);
    return link;
  };
  const link = await connector(options.signal);
  return new ClientSession(link, connector, sessionOptions(label, options));
}

/**
 * Pairs with the machine at `host` that shows `code`, trusts it (role
 * `remote`), caches its endpoint, and continues into a normal session on the
 * same connection.
 *
 * @param host the server's address (`host` or `host:port`)
 * @param code the 6-digit code shown on the server
 * @param options port, name, home and deadlines
 * @returns the live session
 * @throws {HandshakeError} `wrong_code` when the codes differ
 * @throws {RangeError} when `code` is not 6 digits
 */
export async function pairWith(
  host: string,
  code: string,
  options: PairWithOptions = {},
): Promise<ClientSession> {
  const home = options.home ?? defaultHome();
  const store = options.trustStore ?? new TrustStore(home);
  const endpoint = parseHostPort(host);
  if (!endpoint) {
    throw new TargetError(
      `Cannot pair with '${host}': expected a host name or address, with an optional :port`,
    );
  }
  const port = options.port ?? endpoint.port ?? DEFAULT_PORT;
  const dial = dialOptions(home, options);
  let name = "";
  let pairedKey: Uint8Array | undefined;
  let link: Link;
  try {
    link = await dialPair(
      endpoint.host,
      port,
      code,
      { ...dial, signal: options.signal },
      (serverKey) => {
        const hex = toHex(serverKey);
        name = options.name ?? store.get(hex)?.name ??
          store.freeName(`peer-${hex.slice(0, 6)}`, serverKey);
        store.add(serverKey, name, "remote");
        store.cacheEndpoint(serverKey, endpoint.host, port);
        pairedKey = serverKey;
      },
    );
  } catch (error) {
    // Trust is stored before the session starts: a server that then answers busy is paired.
    if (pairedKey !== undefined && error instanceof RemoteError && error.code === "busy") {
      throw new PairedButBusyError(name, pairedKey, endpoint.host, port, error);
    }
    throw error;
  }
  cacheLink(store, link, options);
  const serverKey = link.serverKey;
  const connector = async (signal?: AbortSignal): Promise<Link> => {
    const next = await dialAuth(endpoint.host, port, serverKey, { ...dial, signal });
    cacheLink(store, next, options);
    return next;
  };
  return new ClientSession(link, connector, sessionOptions(name, options));
}

async function dialResolved(
  target: ResolvedTarget,
  dial: DialOptions,
  options: ConnectOptions,
): Promise<Link> {
  try {
    return await dialResolvedOnce(target, dial, options);
  } catch (error) {
    throw await explainRefusal(error, target, options, mdnsDiscover);
  }
}

async function dialResolvedOnce(
  target: ResolvedTarget,
  dial: DialOptions,
  options: ConnectOptions,
): Promise<Link> {
  const mdns = options.mdns !== false;
  if (target.host) {
    try {
      return await dialAuth(target.host, target.port, target.publicKey, dial);
    } catch (error) {
      // A cached address may be stale (DHCP): ask mDNS where the key lives now.
      // Loopback addresses cannot move; a refusal elsewhere gets a short look only,
      // so "nothing is listening" is reported at once rather than after a long browse.
      if (!(error instanceof ConnectionClosedError) || target.explicitHost || !mdns) throw error;
      if (isLoopbackHost(target.host)) throw error;
      const found = await lookup(
        target.publicKey,
        options,
        error instanceof ConnectionRefusedError ? REFUSED_LOOKUP_MS : undefined,
      );
      if (!found || (found.host === target.host && found.port === target.port)) throw error;
      return await dialAuth(found.host, found.port, target.publicKey, dial);
    }
  }
  if (!mdns) {
    throw new TargetError(
      `Cannot connect to '${target.name}': its address is not known and mDNS is off; ` +
        `connect once with host:port or ws://host:port#<key>`,
    );
  }
  const found = await lookup(target.publicKey, options);
  if (!found) {
    throw new TargetError(
      `Cannot find '${target.name}' on the local network (mDNS found nothing with its key); ` +
        "is `opendesk serve` running there? Otherwise connect with host:port",
    );
  }
  return await dialAuth(found.host, found.port, target.publicKey, dial);
}

/** How long to look for a moved server on mDNS after its cached address refused. */
const REFUSED_LOOKUP_MS = 1_000;

async function lookup(
  key: Uint8Array,
  options: ConnectOptions,
  budgetMs?: number,
): Promise<DiscoveredPeer | undefined> {
  const hex = toHex(key);
  const matches = (p: DiscoveredPeer): boolean => toHex(p.publicKey) === hex;
  const browse: DiscoverOptions = {
    timeoutMs: Math.min(options.timeoutMs ?? 5_000, budgetMs ?? Infinity),
    until: matches,
  };
  if (options.mdnsInterface) browse.interface = options.mdnsInterface;
  if (options.signal) browse.signal = options.signal;
  try {
    return (await mdnsDiscover(browse)).find(matches);
  } catch (error) {
    options.onWarning?.(`mDNS lookup failed: ${(error as Error).message}`);
    return undefined;
  }
}

function cacheLink(store: TrustStore, link: Link, options: ConnectOptions): void {
  if (link.unknownCapabilities.length > 0) {
    options.onWarning?.(
      `the server advertises capabilities this client does not know (ignored): ${
        link.unknownCapabilities.join(", ")
      }`,
    );
  }
  try {
    if (store.get(link.serverKey) === null) return;
    store.cacheEndpoint(link.serverKey, link.host, link.port);
    store.cacheDescription(link.serverKey, link.manifest.description);
  } catch (error) {
    options.onWarning?.(`cannot update trusted-peers.json: ${(error as Error).message}`);
  }
}

function dialOptions(home: string, options: ConnectOptions): Omit<DialOptions, "signal"> {
  return {
    identity: options.identity ?? Identity.loadOrCreate(home),
    timeoutMs: options.timeoutMs ?? 5_000,
    helloTimeoutMs: options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS,
    callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
  };
}

function sessionOptions(
  label: string,
  options: ConnectOptions,
): ConstructorParameters<typeof ClientSession>[2] {
  return {
    label,
    ...(options.autoReconnect !== undefined ? { autoReconnect: options.autoReconnect } : {}),
    ...(options.reconnectBudgetMs !== undefined
      ? { reconnectBudgetMs: options.reconnectBudgetMs }
      : {}),
    ...(options.reconnectDelaysMs !== undefined
      ? { reconnectDelaysMs: options.reconnectDelaysMs }
      : {}),
  };
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
