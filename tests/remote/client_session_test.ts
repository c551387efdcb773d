/**
 * ClientSession's reconnect rules over the in-memory loopback pair (the
 * documented seam): replay of idempotent calls only, streams never
 * replayed, eviction ends the session, and the budget gives up.
 */

import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { RemoteComputer } from "../../src/computer/client/remote_computer.ts";
import { parseManifestLenient } from "../../src/computer/types/capability.ts";
import { ConnectionClosedError } from "../../src/protocol/errors.ts";
import type { WireMap } from "../../src/protocol/handler.ts";
import { createLoopbackPair } from "../../src/protocol/loopback.ts";
import { Peer } from "../../src/protocol/peer.ts";
import type { Link } from "../../src/remote/_dial.ts";
import { ClientSession } from "../../src/remote/client_session.ts";

/** A scripted server: each link's server peer, and what it received. */
class FakeServers {
  links: { server: Peer; client: Peer }[] = [];
  received: string[] = [];
  hang = new Set<string>();
  refuse = false;

  async connect(): Promise<Link> {
    if (this.refuse) throw new ConnectionClosedError("Cannot connect: refused");
    const [a, b] = createLoopbackPair();
    const server = new Peer(b, {
      role: "server",
      handler: {
        call: (method: string): Promise<WireMap> => {
          this.received.push(`${this.links.length}:${method}`);
          if (this.hang.delete(method)) return new Promise(() => {});
          return Promise.resolve({ link: this.links.length });
        },
        stream: async function* (): AsyncGenerator<WireMap> {
          yield { n: 1 };
          await new Promise(() => {});
        },
      },
    });
    const client = new Peer(a, { role: "client" });
    await Promise.all([client.hello(), server.hello({ capabilities: { backend: "fake" } })]);
    client.start();
    server.start();
    this.links.push({ server, client });
    const { manifest } = parseManifestLenient({ backend: "fake" });
    return {
      peer: client,
      computer: new RemoteComputer(client, { manifest }),
      manifest,
      unknownCapabilities: [],
      host: "loopback",
      port: 0,
      serverKey: new Uint8Array(32),
    };
  }

  /** Drops the current connection abruptly (no eviction). */
  drop(): void {
    this.links.at(-1)!.server.close();
  }

  async closeAll(): Promise<void> {
    for (const { server, client } of this.links) {
      server.close();
      client.close();
    }
    await Promise.all(this.links.map((l) => l.server.closed));
  }
}

/** Polls `condition` until it holds; fails naming `what` after 10 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after 10 s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function session(servers: FakeServers, budgetMs = 2000): Promise<ClientSession> {
  return new ClientSession(await servers.connect(), () => servers.connect(), {
    label: "fake",
    reconnectDelaysMs: [10, 20, 40, 80],
    reconnectBudgetMs: budgetMs,
  });
}

Deno.test("ClientSession replays an idempotent call once after reconnecting", async () => {
  const servers = new FakeServers();
  const s = await session(servers);
  servers.hang.add("display.capture");
  const call = s.call("display.capture", {});
  await until(() => servers.received.includes("1:display.capture"), "the call to reach the server");
  servers.drop();
  assertEquals(await call, { link: 2 });
  assertEquals(servers.received, ["1:display.capture", "2:display.capture"]);
  await s.close();
  await servers.closeAll();
});

Deno.test("ClientSession does not replay a non-idempotent call but heals the connection", async () => {
  const servers = new FakeServers();
  const s = await session(servers);
  servers.hang.add("input.text");
  const call = s.call("input.text", { text_input: { text: "x" } });
  await until(() => servers.received.includes("1:input.text"), "the call to reach the server");
  servers.drop();
  await assertRejects(() => call, ConnectionClosedError);
  assertEquals(servers.received, ["1:input.text"]);
  assertEquals(await s.call("windows.list", {}), { link: 2 });
  await s.close();
  await servers.closeAll();
});

Deno.test("ClientSession never replays a stream", async () => {
  const servers = new FakeServers();
  const s = await session(servers);
  const items: WireMap[] = [];
  const consuming = (async () => {
    for await (const item of s.stream("display.subscribe", {})) {
      items.push(item);
      servers.drop();
    }
  })();
  await assertRejects(() => consuming, ConnectionClosedError);
  assertEquals(items.length, 1);
  assertEquals(
    servers.received.filter((r) => r.endsWith("display.subscribe")).length,
    0,
    "streams are not calls",
  );
  assertEquals(await s.call("windows.list", {}), { link: 2 });
  await s.close();
  await servers.closeAll();
});

Deno.test("ClientSession stops for good after session.evicted", async () => {
  const servers = new FakeServers();
  const s = await session(servers);
  const server = servers.links[0]!.server;
  await server.push("session.evicted", { reason: "admin_disconnect" });
  server.close();
  assertEquals(await s.closed, "evicted by the server (admin_disconnect)");
  assertEquals(servers.links.length, 1, "no reconnect");
  await assertRejects(
    () => s.call("windows.list", {}),
    Error,
    "Session evicted (admin_disconnect)",
  );
  await s.close();
  await servers.closeAll();
});

Deno.test("ClientSession gives up when the budget runs out", async () => {
  const servers = new FakeServers();
  const s = await session(servers, 100);
  servers.refuse = true;
  servers.drop();
  const reason = await s.closed;
  assert(
    reason.startsWith(
      "connection lost and not re-established within 0.1 s: Cannot connect: refused",
    ),
    reason,
  );
  await assertRejects(() => s.call("windows.list", {}), ConnectionClosedError, "has ended");
  await s.close();
  await servers.closeAll();
});
