/**
 * The server side of the WebSocket transport: `Deno.serve` upgrading every
 * request to a WebSocket and handing each one over as a
 * {@linkcode WebSocketConnection}.
 *
 * @module
 */

import {
  DEFAULT_PORT,
  HANDSHAKE_MAX_MESSAGE_BYTES,
  WebSocketConnection,
} from "./websocket_connection.ts";

/** Seconds of silence after which the server pings, and then waits as long for the pong. */
export const DEFAULT_KEEPALIVE_SECONDS = 20;

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
  /** Called with every accepted connection (before the upgrade response is sent). */
  onConnection(connection: WebSocketConnection): void;
}

/** A running WebSocket listener. */
export interface WebSocketListener {
  /** The bound address. */
  readonly hostname: string;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Connections accepted and not yet closed. */
  readonly openConnections: number;
  /** Stops accepting, closes every open connection and waits for the server to finish. */
  close(): Promise<void>;
}

/**
 * Starts a WebSocket listener.
 *
 * @param options where to listen and what to do with each connection
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
  const open = new Set<WebSocketConnection>();
  const keepalive = options.keepaliveSeconds ?? DEFAULT_KEEPALIVE_SECONDS;
  const server = Deno.serve({
    hostname: options.hostname ?? "0.0.0.0",
    port: options.port ?? DEFAULT_PORT,
    onListen: () => {},
    onError: () => new Response("Internal error", { status: 500 }),
  }, (request, info) => {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("This is an opendesk server: connect with a WebSocket client\n", {
        status: 426,
        headers: { upgrade: "websocket" },
      });
    }
    // remoteAddr is unreadable once the request has been upgraded: read it first.
    const addr = info.remoteAddr;
    const { socket, response } = Deno.upgradeWebSocket(request, { idleTimeout: keepalive });
    const connection = new WebSocketConnection(socket, {
      remoteAddr: formatAddr(addr.hostname, addr.port),
      maxMessageBytes: options.maxMessageBytes ?? HANDSHAKE_MAX_MESSAGE_BYTES,
    });
    open.add(connection);
    connection.closed.then(() => open.delete(connection));
    options.onConnection(connection);
    return response;
  });
  let closing: Promise<void> | undefined;
  return {
    hostname: server.addr.hostname,
    port: server.addr.port,
    get openConnections(): number {
      return open.size;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        for (const connection of open) connection.close("server shutting down");
        await server.shutdown();
      })();
      return closing;
    },
  };
}

function formatAddr(hostname: string, port: number): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}
