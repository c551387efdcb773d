/**
 * A real `OpendeskServer` on a loopback WebSocket (mDNS off) with a
 * `FakeComputer`, temp homes for the server and its controllers, and the
 * events it reported.
 *
 * @module
 */

import { Identity } from "../../src/auth/identity.ts";
import { TrustStore } from "../../src/auth/trust_store.ts";
import { FakeComputer } from "../../src/computer/drivers/fake/fake_computer.ts";
import { connect, type ConnectOptions } from "../../src/remote/client.ts";
import type { ClientSession } from "../../src/remote/client_session.ts";
import { OpendeskServer } from "../../src/remote/server.ts";
import type { OpendeskServerOptions, ServerEvent } from "../../src/remote/server_options.ts";

/** A controller machine: its own home, identity and trust store. */
export interface Controller {
  home: string;
  identity: Identity;
  store: TrustStore;
  /** Connects to the fixture's server by name (mDNS off, quick reconnects). */
  connect(options?: ConnectOptions): Promise<ClientSession>;
}

/** The running fixture. */
export interface ServerFixture extends AsyncDisposable {
  server: OpendeskServer;
  computer: FakeComputer;
  home: string;
  events: ServerEvent[];
  /** Waits for the next event of `type` (or returns one already seen after `since`). */
  waitFor<T extends ServerEvent["type"]>(
    type: T,
    since?: number,
  ): Promise<Extract<ServerEvent, { type: T }>>;
  /** A controller trusted by the server (role controller) that trusts the server (role remote). */
  addController(name: string): Controller;
  /** Every line of today's audit file, parsed. */
  auditLines(): Promise<string[]>;
}

/** Starts a server on 127.0.0.1, an ephemeral port, mDNS off. */
export async function startServer(
  options: Partial<OpendeskServerOptions> = {},
): Promise<ServerFixture> {
  const root = await Deno.makeTempDir({ prefix: "opendesk-remote-" });
  const home = `${root}/server`;
  const computer = (options.computer as FakeComputer | undefined) ?? new FakeComputer();
  const events: ServerEvent[] = [];
  const waiters: { type: string; since: number; resolve(e: ServerEvent): void }[] = [];
  const server = await OpendeskServer.start({
    home,
    computer,
    host: "127.0.0.1",
    port: 0,
    mdns: false,
    approve: "auto",
    busyLingerMs: 200,
    ...options,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
      for (const w of waiters.splice(0)) {
        if (w.type === event.type) w.resolve(event);
        else waiters.push(w);
      }
    },
  });
  let controllers = 0;
  return {
    server,
    computer,
    home,
    events,
    waitFor<T extends ServerEvent["type"]>(type: T, since = 0) {
      type E = Extract<ServerEvent, { type: T }>;
      const seen = events.slice(since).find((e) => e.type === type);
      if (seen) return Promise.resolve(seen as E);
      return new Promise<E>((resolve) => {
        const settle = (e: ServerEvent): void => resolve(e as E);
        waiters.push({ type, since, resolve: settle });
      });
    },
    addController(name: string): Controller {
      const chome = `${root}/controller-${++controllers}`;
      const identity = Identity.loadOrCreate(chome);
      const store = new TrustStore(chome);
      new TrustStore(home).add(identity.publicKey, name, "controller");
      store.add(server.identity.publicKey, "server", "remote");
      store.cacheEndpoint(server.identity.publicKey, "127.0.0.1", server.port);
      return {
        home: chome,
        identity,
        store,
        connect: (extra = {}) =>
          connect("server", {
            home: chome,
            mdns: false,
            reconnectDelaysMs: [50, 100, 200],
            ...extra,
          }),
      };
    },
    async auditLines(): Promise<string[]> {
      await server.flushAudit();
      const dir = `${home}/audit`;
      const lines: string[] = [];
      for await (const entry of Deno.readDir(dir)) {
        lines.push(
          ...(await Deno.readTextFile(`${dir}/${entry.name}`)).split("\n").filter(Boolean),
        );
      }
      return lines;
    },
    async [Symbol.asyncDispose](): Promise<void> {
      await server.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}
