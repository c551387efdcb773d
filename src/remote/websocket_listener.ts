/**
 * The server side of the WebSocket transport: a `Deno.listen` loop that does
 * the HTTP upgrade and the WebSocket framing itself and hands each
 * connection over as a {@linkcode WebSocketConnection}.
 *
 * Why not `Deno.serve` + `Deno.upgradeWebSocket` (measured with Deno 2.9):
 * a TCP connection that never sends a request is never closed, so ~1,000 of
 * them exhaust the descriptors and `Deno.serve` then ends the process; a
 * message is buffered whole (up to 64 MiB) before any cap can be checked;
 * and inbound messages of 64 MiB or more are refused outright. Here every
 * connection is bounded before it authenticates: one deadline covers every
 * stage (raw TCP, HTTP head, upgrade, handshake), the HTTP head has a byte
 * budget, the message cap is checked on the frame header, unauthenticated
 * connections are limited in total and per source address (the excess is
 * closed at accept), and running out of descriptors is reported and survived.
 *
 * @module
 */

import { readHttpHead } from "./_http_upgrade.ts";
import { checkUpgradeRequest, plainResponse, switchingProtocols } from "./_http_upgrade.ts";
import { type GateRefusal, PreAuthGate } from "./_preauth_gate.ts";
import { WsSocket } from "./_ws_socket.ts";
import {
  DEFAULT_PORT,
  HANDSHAKE_MAX_MESSAGE_BYTES,
  WebSocketConnection,
} from "./websocket_connection.ts";

/** Seconds of silence after which the server pings, and then waits as long for the pong. */
export const DEFAULT_KEEPALIVE_SECONDS = 20;
/** Default deadline from accept to authentication. */
export const DEFAULT_PREAUTH_TIMEOUT_MS = 10_000;
/** Default cap on unauthenticated connections at once. */
export const DEFAULT_MAX_PREAUTH_CONNECTIONS = 256;
/** Default cap on unauthenticated connections at once from one source address. */
export const DEFAULT_MAX_PREAUTH_PER_SOURCE = 16;
/** Largest HTTP request head accepted. */
const MAX_HEAD_BYTES = 4 * 1024;
/** Pause of the accept loop after an accept error (out of descriptors). */
const ACCEPT_RETRY_MS = 50;

/** Why a connection ended before authentication without reaching the handshake. */
export type ListenerRefusal = GateRefusal | "deadline" | "bad_request";

/** Options of {@linkcode listenWebSocket}. */
export interface ListenWebSocketOptions {
  /**
   * Address to bind.
   * @default {"0.0.0.0"}
   */
  hostname?: string;
  /**
   * Port to bind; 0 picks an ephemeral port (read it back from `port`).
   * @default {DEFAULT_PORT}
   */
  port?: number;
  /**
   * Ping keepalive: a silent peer is pinged after this many seconds and dropped when no
   * pong arrives within as many again. 0 turns it off.
   * @default {DEFAULT_KEEPALIVE_SECONDS}
   */
  keepaliveSeconds?: number;
  /**
   * Message size cap of new connections (raise it on the connection after the handshake).
   * @default {HANDSHAKE_MAX_MESSAGE_BYTES}
   */
  maxMessageBytes?: number;
  /**
   * A connection that has not called `markAuthenticated()` this long after accept is closed.
   * @default {DEFAULT_PREAUTH_TIMEOUT_MS}
   */
  preAuthTimeoutMs?: number;
  /**
   * Most unauthenticated connections at once; more are closed at accept.
   * @default {DEFAULT_MAX_PREAUTH_CONNECTIONS}
   */
  maxPreAuthConnections?: number;
  /**
   * Most unauthenticated connections at once from one source address.
   * @default {DEFAULT_MAX_PREAUTH_PER_SOURCE}
   */
  maxPreAuthPerSource?: number;
  /** Called with every upgraded connection. */
  onConnection(connection: WebSocketConnection): void;
  /** Called for each connection ended before the handshake (for aggregated logs). */
  onRefused?(remoteHost: string, reason: ListenerRefusal): void;
  /** Called when accepting fails (out of descriptors) and again when it works again. */
  onAcceptTrouble?(message: string): void;
}

/** A running WebSocket listener. */
export interface WebSocketListener {
  /** The bound address. */
  readonly hostname: string;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Connections accepted and not yet closed (upgraded or not). */
  readonly openConnections: number;
  /** Connections that have not authenticated yet. */
  readonly unauthenticatedConnections: number;
  /** Stops accepting, closes every open connection and waits for the accept loop to end. */
  close(): Promise<void>;
}

/**
 * Starts a WebSocket listener.
 *
 * @param options where to listen, the limits and what to do with each connection
 * @returns the listener, already bound
 * @throws {Deno.errors.AddrInUse} when the port is taken
 *
 * @example Usage
 * ```ts ignore
 * const listener = listenWebSocket({ port: 0, onConnection: (conn) => conn.close() });
 * console.log(listener.port);
 * await listener.close();
 * ```
 */
export function listenWebSocket(options: ListenWebSocketOptions): WebSocketListener {
  const keepalive = options.keepaliveSeconds ?? DEFAULT_KEEPALIVE_SECONDS;
  const preAuthMs = options.preAuthTimeoutMs ?? DEFAULT_PREAUTH_TIMEOUT_MS;
  const gate = new PreAuthGate({
    total: options.maxPreAuthConnections ?? DEFAULT_MAX_PREAUTH_CONNECTIONS,
    perSource: options.maxPreAuthPerSource ?? DEFAULT_MAX_PREAUTH_PER_SOURCE,
  });
  const listener = Deno.listen({
    hostname: options.hostname ?? "0.0.0.0",
    port: options.port ?? DEFAULT_PORT,
  });
  const addr = listener.addr as Deno.NetAddr;
  const raw = new Set<Deno.Conn>();
  const live = new Set<WebSocketConnection>();
  let stopped = false;

  const admit = (conn: Deno.Conn): void => {
    const remote = conn.remoteAddr as Deno.NetAddr;
    const host = remote.hostname;
    const refusal = gate.enter(host);
    if (refusal !== null) {
      closeQuietly(conn);
      options.onRefused?.(host, refusal);
      return;
    }
    raw.add(conn);
    let connection: Upgraded | undefined;
    let inGate = true;
    const leave = (): void => {
      if (!inGate) return;
      inGate = false;
      clearTimeout(deadline);
      gate.leave(host);
    };
    const deadline = setTimeout(() => {
      leave();
      // An upgraded connection's handshake fails with it and is reported by its owner.
      if (connection) {
        connection.socket.closeNow(1008, "authentication deadline passed");
      } else {
        options.onRefused?.(host, "deadline");
        closeQuietly(conn);
      }
    }, preAuthMs);
    upgrade(conn, keepalive, options.maxMessageBytes ?? HANDSHAKE_MAX_MESSAGE_BYTES, {
      remoteAddr: formatAddr(host, remote.port),
      onAuthenticated: leave,
    }).then((upgraded) => {
      raw.delete(conn);
      if (upgraded === null || !inGate) {
        if (upgraded === null && inGate) options.onRefused?.(host, "bad_request");
        leave();
        upgraded?.socket.closeNow(1008, "authentication deadline passed");
        closeQuietly(conn);
        return;
      }
      connection = upgraded;
      const ws = upgraded.connection;
      live.add(ws);
      ws.closed.then(() => {
        live.delete(ws);
        leave();
      });
      if (stopped) ws.close("server shutting down");
      else options.onConnection(ws);
    });
  };

  const loop = (async () => {
    let troubled = false;
    while (!stopped) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (stopped) break;
        if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
          break;
        }
        if (!troubled) {
          troubled = true;
          options.onAcceptTrouble?.(
            `cannot accept connections: ${(error as Error).message}; ` +
              "new connections wait until descriptors are free again",
          );
        }
        await new Promise((resolve) => setTimeout(resolve, ACCEPT_RETRY_MS));
        continue;
      }
      if (troubled) {
        troubled = false;
        options.onAcceptTrouble?.("accepting connections again");
      }
      admit(conn);
    }
  })();

  let closing: Promise<void> | undefined;
  return {
    hostname: addr.hostname,
    port: addr.port,
    get openConnections(): number {
      return raw.size + live.size;
    },
    get unauthenticatedConnections(): number {
      return gate.total;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        stopped = true;
        closeQuietly(listener);
        for (const conn of raw) closeQuietly(conn);
        const ends = [...live].map((c) => {
          c.close("server shutting down");
          return c.closed;
        });
        await loop;
        await Promise.all(ends);
      })();
      return closing;
    },
  };
}

interface Upgraded {
  socket: WsSocket;
  connection: WebSocketConnection;
}

/** Reads the HTTP head and answers it; the upgraded connection, or null when refused. */
async function upgrade(
  conn: Deno.Conn,
  keepaliveSeconds: number,
  maxMessageBytes: number,
  labels: { remoteAddr: string; onAuthenticated(): void },
): Promise<Upgraded | null> {
  try {
    const read = await readHttpHead(conn, MAX_HEAD_BYTES);
    if (read === null) return null;
    const checked = checkUpgradeRequest(read.head);
    if ("refusal" in checked) {
      await conn.write(
        plainResponse(
          426,
          "Upgrade Required",
          "This is an opendesk server: connect with a WebSocket client\n",
        ),
      );
      return null;
    }
    let written = 0;
    const answer = switchingProtocols(checked.key);
    while (written < answer.length) written += await conn.write(answer.subarray(written));
    const socket = new WsSocket(conn, {
      role: "server",
      maxMessageBytes,
      idleTimeoutSeconds: keepaliveSeconds,
      initial: read.rest,
    });
    return { socket, connection: new WebSocketConnection(socket, { ...labels, maxMessageBytes }) };
  } catch {
    return null;
  }
}

function closeQuietly(closer: { close(): void }): void {
  try {
    closer.close();
  } catch {
    // Already closed.
  }
}

function formatAddr(hostname: string, port: number): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}
