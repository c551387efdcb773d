/**
 * Raw TCP clients for hostile-network tests: sockets that never speak (or
 * speak only a prefix), opened from a chosen loopback source address
 * (127.0.0.0/8 is all loopback), each recording when the server ended it.
 *
 * @module
 */

import net from "node:net";

/** One raw socket. */
export interface RawSocket {
  /** Milliseconds from connect until the server closed or reset the socket. */
  readonly ended: Promise<number>;
  /** Writes bytes (ignored once ended). */
  write(bytes: Uint8Array | string): void;
  /** Closes it from this side. */
  destroy(): void;
}

/**
 * Opens a TCP connection from `source` to `127.0.0.1:port`.
 * @returns once connected (or rejects when the connect fails)
 */
export function openRawSocket(port: number, source: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress: source });
    let opened = 0;
    let settle!: (ms: number) => void;
    const ended = new Promise<number>((r) => (settle = r));
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => settle(performance.now() - opened));
    socket.once("connect", () => {
      opened = performance.now();
      resolve({
        ended,
        write: (bytes) => {
          if (!socket.destroyed) socket.write(bytes);
        },
        destroy: () => socket.destroy(),
      });
    });
    socket.once("error", (error) => opened === 0 && reject(error));
  });
}

/** A partial HTTP upgrade request (the head never ends). */
export const PARTIAL_HEAD = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n";

/** A complete upgrade request: the connection becomes a WebSocket that then says nothing. */
export const UPGRADE_HEAD = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n" +
  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
  "Sec-WebSocket-Version: 13\r\n\r\n";

/** Summary figures of close times. */
export function closeStats(ms: number[]): { count: number; median: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    count: sorted.length,
    median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    max: Math.round(sorted[sorted.length - 1] ?? 0),
  };
}
