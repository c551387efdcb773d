/**
 * Shared helpers for the protocol tests: hex conversion, a connected
 * client/server peer pair on the test loopback, and a raw client that
 * speaks frames by hand to a server peer.
 *
 * @module
 */

import {
  decodeFrame,
  encodeHello,
  type Frame,
  Peer,
  type PeerOptions,
  type RequestHandler,
} from "../../src/protocol/mod.ts";
import {
  createTestLoopbackPair,
  type TestConnection,
} from "../../src/protocol/testing/test_loopback.ts";

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Bytes of a hex string (whitespace ignored). */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** Builds msgpack bytes from a list of bytes and byte arrays. */
export function bytes(...parts: (number | Uint8Array | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === "number") out.push(part);
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

/** A handler built from optional `call`/`stream` functions; missing ones throw. */
export function makeHandler(parts: Partial<RequestHandler>): RequestHandler {
  return {
    call: parts.call ?? (() => Promise.reject(new Error("no call handler in this test"))),
    stream: parts.stream ?? (() => {
      throw new Error("no stream handler in this test");
    }),
  };
}

/** A connected client and server peer after the HELLO exchange, both started. */
export interface PeerPair extends AsyncDisposable {
  client: Peer;
  server: Peer;
  /** The client's connection (its `sent` log holds the client's frames). */
  clientConn: TestConnection;
  /** The server's connection. */
  serverConn: TestConnection;
}

/** Creates a {@linkcode PeerPair}; dispose it to close both sides. */
export async function connectPeers(
  handler: RequestHandler | undefined,
  options: { client?: Partial<PeerOptions>; server?: Partial<PeerOptions> } = {},
): Promise<PeerPair> {
  const [clientConn, serverConn] = createTestLoopbackPair();
  const client = new Peer(clientConn, { ...options.client, role: "client" });
  const serverOptions: PeerOptions = { ...options.server, role: "server" };
  if (handler !== undefined) serverOptions.handler = handler;
  const server = new Peer(serverConn, serverOptions);
  await Promise.all([client.hello(), server.hello()]);
  client.start();
  server.start();
  return {
    client,
    server,
    clientConn,
    serverConn,
    async [Symbol.asyncDispose]() {
      client.close();
      server.close();
      await Promise.all([client.closed, server.closed]);
    },
  };
}

/** A server peer driven by hand through a raw connection. */
export interface RawSession extends AsyncDisposable {
  server: Peer;
  /** The raw client end: send bytes, read frames. */
  raw: TestConnection;
  /** The server's end (its `sent` log holds every frame the server sent). */
  serverConn: TestConnection;
  /** Reads and decodes the next frame the server sent. */
  nextFrame(): Promise<Frame>;
}

/** Starts a server peer and completes its HELLO exchange with a raw client. */
export async function rawSession(
  handler: RequestHandler | undefined,
  options: Partial<PeerOptions> = {},
): Promise<RawSession> {
  const [raw, serverConn] = createTestLoopbackPair();
  const serverOptions: PeerOptions = { ...options, role: "server" };
  if (handler !== undefined) serverOptions.handler = handler;
  const server = new Peer(serverConn, serverOptions);
  await raw.send(encodeHello({ role: "client" }));
  await server.hello();
  server.start();
  const nextFrame = async (): Promise<Frame> => decodeFrame(await raw.receive());
  const hello = await nextFrame();
  if (hello.type !== "hello") throw new Error(`Expected the server HELLO, got ${hello.type}`);
  return {
    server,
    raw,
    serverConn,
    nextFrame,
    async [Symbol.asyncDispose]() {
      server.close();
      raw.close();
      await server.closed;
    },
  };
}

/** Decodes every frame in a `sent` log. */
export function framesOf(log: readonly Uint8Array[]): Frame[] {
  return log.map((message) => decodeFrame(message));
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until `condition()` holds, checking every few milliseconds; fails after `ms` naming
 * `what`. The bound only ends a hang: it is generous so that a loaded machine never trips it.
 */
export async function waitFor(
  condition: () => boolean,
  ms = 10_000,
  what = "the condition",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await delay(2);
  }
}
