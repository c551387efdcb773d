/**
 * After an authentication to a paired machine failed, works out what
 * happened from what its address announces on mDNS (the handshake itself
 * cannot tell: a server answers a key it does not trust with a decoy proof).
 *
 * @module
 */

import { HandshakeError } from "../auth/errors.ts";
import type { DiscoveredPeer, DiscoverOptions } from "./discovery.ts";
import { isLoopbackHost } from "./_refused_probe.ts";
import { NotTrustedByServerError, ServerKeyChangedError } from "./server_identity_error.ts";
import type { ResolvedTarget } from "./target.ts";

/** What the lookup may use. */
export interface RefusalLookupOptions {
  /** False: never browse. */
  mdns?: boolean;
  /** Interface to browse on. */
  mdnsInterface?: string;
  /** Upper bound of the browse (it is at most 1.5 s anyway). */
  timeoutMs?: number;
  /** Stops the browse. */
  signal?: AbortSignal;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** How long to ask mDNS what the paired address announces after a failed proof. */
const IDENTITY_LOOKUP_MS = 1_500;

/**
 * After an authentication the server did not pass: tells "the machine there
 * has another key" (loudly, as ssh does) from "it no longer trusts this
 * controller", by what the address announces on mDNS.
 */
export async function explainRefusal(
  error: unknown,
  target: ResolvedTarget,
  options: RefusalLookupOptions,
  browseFn: (options: DiscoverOptions) => Promise<DiscoveredPeer[]>,
): Promise<unknown> {
  if (!(error instanceof HandshakeError) || !target.host) return error;
  const label = target.name || `${target.host}:${target.port}`;
  if (error.reason === "untrusted_peer") {
    return new NotTrustedByServerError(label, true, { cause: error });
  }
  if (error.reason !== "unexpected_peer") return error;
  // Loopback addresses are never announced, and tests must not multicast from the host.
  if (options.mdns === false || isLoopbackHost(target.host)) {
    return new NotTrustedByServerError(label, false, { cause: error });
  }
  const browse: DiscoverOptions = {
    timeoutMs: Math.min(options.timeoutMs ?? 5_000, IDENTITY_LOOKUP_MS),
    until: (p) => p.host === target.host && p.port === target.port,
  };
  if (options.mdnsInterface) browse.interface = options.mdnsInterface;
  if (options.signal) browse.signal = options.signal;
  let announced: DiscoveredPeer | undefined;
  try {
    announced = (await browseFn(browse)).find(browse.until!);
  } catch {
    announced = undefined;
  }
  if (!announced) return new NotTrustedByServerError(label, false, { cause: error });
  if (toHex(announced.publicKey) === toHex(target.publicKey)) {
    return new NotTrustedByServerError(label, true, { cause: error });
  }
  return new ServerKeyChangedError(
    target.name,
    target.host,
    target.port,
    target.publicKey,
    announced.publicKey,
    { cause: error },
  );
}
