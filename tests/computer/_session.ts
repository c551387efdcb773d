/**
 * Test harness of the computer layer: a client and a server `Peer` over the
 * in-memory loopback pair, the `Dispatcher` on the server side and a
 * `RemoteComputer` on the client side, plus small shared helpers.
 *
 * @module
 */

import { Peer } from "../../src/protocol/peer.ts";
import {
  createTestLoopbackPair,
  type TestConnection,
} from "../../src/protocol/testing/test_loopback.ts";
import type { WireMap } from "../../src/protocol/handler.ts";
import type { Computer } from "../../src/computer/computer.ts";
import { Dispatcher, type DispatcherOptions } from "../../src/computer/methods/dispatcher.ts";
import { RemoteComputer } from "../../src/computer/client/remote_computer.ts";
import { encodeManifest } from "../../src/computer/methods/wire_encode.ts";

/** A running session. Use with `await using`. */
export interface TestSession extends AsyncDisposable {
  client: Peer;
  server: Peer;
  remote: RemoteComputer;
  dispatcher: Dispatcher;
  /** The server end of the connection; `sent` logs every frame the server sent. */
  serverConnection: TestConnection;
  /** The client end; `sent` logs every frame the client sent. */
  clientConnection: TestConnection;
  /** Raw call: the result map exactly as decoded from the wire. */
  raw(method: string, params?: WireMap): Promise<WireMap | null>;
}

/** Opens a session serving `computer`. */
export async function openSession(
  computer: Computer,
  options: DispatcherOptions = {},
): Promise<TestSession> {
  const [a, b] = createTestLoopbackPair();
  const dispatcher = new Dispatcher(computer, options);
  const server = new Peer(b, { role: "server", handler: dispatcher });
  const client = new Peer(a, { role: "client", defaultCallTimeoutMs: 20_000 });
  await Promise.all([
    client.hello(),
    server.hello({ capabilities: encodeManifest(dispatcher.manifest()) }),
  ]);
  client.start();
  server.start();
  const remote = new RemoteComputer(client);
  return {
    client,
    server,
    remote,
    dispatcher,
    serverConnection: b,
    clientConnection: a,
    raw: (method, params = {}) => client.call(method, params),
    async [Symbol.asyncDispose]() {
      await remote.close();
      client.close();
      server.close();
      await Promise.all([client.closed, server.closed]);
    },
  };
}

/** Runs `fn` and returns the error it throws (fails when it does not throw). */
export async function rejection(
  fn: () => Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw new Error(`Expected an Error, got ${String(error)}`);
  }
  throw new Error("Expected a rejection, but the call succeeded");
}

/** A fresh temp directory, removed on dispose. */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "opendesk-computer-test-" });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

/** Pids of live (non-zombie) processes whose command line contains `marker`. */
export async function livePidsWith(marker: string): Promise<number[]> {
  const out: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      if (!cmdline.includes(marker)) continue;
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (state !== "Z" && state !== "X") out.push(Number(entry.name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * Settles like `promise`, or fails naming `what` when it has not settled within `ms`: a bound
 * that turns a hang into a clear failure (not a timing assertion; it is generous on purpose).
 */
export async function within<T>(promise: Promise<T>, what: string, ms = 60_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns true or `ms` pass (generous: only a failure waits that long). */
export async function waitUntil(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return await check();
}
