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
  /** Resolves when the first bytes arrive from the server (or the socket ends). */
  readonly answered: Promise<void>;
  /** Writes bytes (ignored once ended). */
  write(bytes: Uint8Array | string): void;
  /**
   * Writes `total` bytes of `chunk` repeated, waiting whenever the socket's buffer is full,
   * and stops early when the server ends the socket.
   * @returns how many bytes were handed to the socket
   */
  stream(chunk: Uint8Array, total: number): Promise<number>;
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
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    socket.on("data", () => answer());
    socket.on("error", () => {});
    socket.on("close", () => {
      answer();
      settle(performance.now() - opened);
    });
    socket.once("connect", () => {
      opened = performance.now();
      resolve({
        ended,
        answered,
        write: (bytes) => {
          if (!socket.destroyed) socket.write(bytes);
        },
        stream: async (chunk, total) => {
          let sent = 0;
          while (sent < total && !socket.destroyed) {
            const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
            sent += piece.length;
            if (!socket.write(piece)) {
              await new Promise<void>((r) => {
                socket.once("drain", r);
                socket.once("close", r);
              });
            }
          }
          return sent;
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
