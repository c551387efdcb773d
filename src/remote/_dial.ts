/**
 * The client's connect steps (protocol-v1 §15.3–§15.4): open the WebSocket,
 * run the auth (or pairing) handshake, exchange HELLOs, start the session
 * and wrap it in a `RemoteComputer`.
 *
 * @module
 */

import { clientHelloCapabilities } from "./consent_notice.ts";
import { authClient } from "../auth/auth_handshake.ts";
import type { HandshakeResult } from "../auth/handshake_result.ts";
import type { Identity } from "../auth/identity.ts";
import { pairClient } from "../auth/pairing_handshake.ts";
import { RemoteComputer } from "../computer/client/remote_computer.ts";
import { type CapabilityManifest, parseManifestLenient } from "../computer/types/capability.ts";
import { ConnectionClosedError } from "../protocol/errors.ts";
import { Peer } from "../protocol/peer.ts";
import { classifyDialFailure } from "./_refused_probe.ts";
import { takeoverCapabilities, type TakeoverIntent } from "./session_takeover.ts";
import { wsUrl } from "./target.ts";
import { HANDSHAKE_MAX_MESSAGE_BYTES, WebSocketConnection } from "./websocket_connection.ts";

/** One live session to the server. */
export interface Link {
  peer: Peer;
  computer: RemoteComputer;
  manifest: CapabilityManifest;
  /** Capability strings the server sent that this client does not know (dropped). */
  unknownCapabilities: string[];
  host: string;
  port: number;
  /** The server's static public key. */
  serverKey: Uint8Array;
}

/** Tuning shared by every dial. */
export interface DialOptions {
  identity: Identity;
  /** Deadline of the TCP/WebSocket connect and of each handshake step. */
  timeoutMs: number;
  /** Deadline of the HELLO exchange. */
  helloTimeoutMs: number;
  /** Default deadline of calls. */
  callTimeoutMs: number;
  /** Largest frame accepted from the server. */
  maxFrameBytes: number;
  /** Aborts the dial. */
  signal?: AbortSignal | undefined;
  /** What this client says in its HELLO about sessions of its own identity (see session_takeover.ts). */
  takeover?: TakeoverIntent | undefined;
}

/**
 * Dials `host:port` and authenticates against `serverKey`.
 * @throws {ConnectionClosedError} when the server cannot be reached
 * @throws {HandshakeError} when the handshake fails
 * @throws {RemoteError} the server's HELLO error (`busy`)
 */
export async function dialAuth(
  host: string,
  port: number,
  serverKey: Uint8Array,
  options: DialOptions,
): Promise<Link> {
  const ws = await open(host, port, options);
  const result = await authClient(ws, {
    identity: options.identity,
    serverKey,
    timeoutMs: options.timeoutMs,
  });
  return await startSession(ws, result, host, port, options);
}

/**
 * Dials `host:port` and pairs with `code`; `onPaired` runs (to store trust)
 * before the HELLO exchange, exactly as §15.4 orders it.
 * @throws {HandshakeError} `wrong_code` and other handshake failures
 */
export async function dialPair(
  host: string,
  port: number,
  code: string,
  options: DialOptions,
  onPaired: (serverKey: Uint8Array) => void,
): Promise<Link> {
  const ws = await open(host, port, options);
  const result = await pairClient(ws, {
    identity: options.identity,
    code,
    timeoutMs: options.timeoutMs,
  });
  try {
    onPaired(result.peerKey);
  } catch (error) {
    result.connection.close("cannot store the paired machine");
    throw error;
  }
  return await startSession(ws, result, host, port, options);
}

async function open(
  host: string,
  port: number,
  options: DialOptions,
): Promise<WebSocketConnection> {
  try {
    return await WebSocketConnection.connect(wsUrl(host, port), {
      timeoutMs: options.timeoutMs,
      maxMessageBytes: HANDSHAKE_MAX_MESSAGE_BYTES,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConnectionClosedError) || options.signal?.aborted) throw error;
    throw await classifyDialFailure(host, port, error, options.timeoutMs);
  }
}

async function startSession(
  ws: WebSocketConnection,
  result: HandshakeResult,
  host: string,
  port: number,
  options: DialOptions,
): Promise<Link> {
  ws.maxMessageBytes = options.maxFrameBytes;
  const peer = new Peer(result.connection, {
    role: "client",
    helloTimeoutMs: options.helloTimeoutMs,
    defaultCallTimeoutMs: options.callTimeoutMs,
    limits: { maxFrameBytes: options.maxFrameBytes, maxBinaryBytes: options.maxFrameBytes },
  });
  // The opt-ins of opendesk's extensions; a reference server ignores them.
  const hello = await peer.hello({
    capabilities: { ...clientHelloCapabilities(), ...takeoverCapabilities(options.takeover ?? {}) },
  });
  peer.start();
  const { manifest, unknown } = parseManifestLenient(hello.capabilities);
  return {
    peer,
    computer: new RemoteComputer(peer, { manifest }),
    manifest,
    unknownCapabilities: unknown,
    host,
    port,
    serverKey: result.peerKey,
  };
}
