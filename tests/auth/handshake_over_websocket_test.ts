/**
 * The handshakes and the encrypted channel over a real WebSocket on
 * loopback, with one listener routing pairing and auth on the first
 * message's `kind` and a `Peer` session on top.
 */

import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { authClient, authServer } from "../../src/auth/auth_handshake.ts";
import { HandshakeError } from "../../src/auth/errors.ts";
import { readHandshakeMessage } from "../../src/auth/handshake_io.ts";
import type { HandshakeResult } from "../../src/auth/handshake_result.ts";
import { Identity } from "../../src/auth/identity.ts";
import { pairClient, pairServer } from "../../src/auth/pairing_handshake.ts";
import { type PairingEvent, PairingWindows } from "../../src/auth/pairing_window.ts";
import { TrustStore } from "../../src/auth/trust_store.ts";
import { Peer } from "../../src/protocol/peer.ts";
import {
  DEFAULT_MAX_FRAME_BYTES,
  WebSocketConnection,
} from "../../src/remote/websocket_connection.ts";
import { listenWebSocket } from "../../src/remote/websocket_listener.ts";
import { tempHome } from "./_helpers.ts";

interface Server {
  url: string;
  windows: PairingWindows;
  events: PairingEvent[];
  store: TrustStore;
  identity: Identity;
  failures: unknown[];
  close(): Promise<void>;
}

function startServer(home: string): Server {
  const identity = Identity.loadOrCreate(home);
  const store = new TrustStore(home);
  const windows = new PairingWindows();
  const events: PairingEvent[] = [];
  windows.subscribe((e) => events.push(e));
  const failures: unknown[] = [];
  const peers = new Set<Peer>();
  const sessions: Promise<void>[] = [];

  async function serve(conn: WebSocketConnection): Promise<void> {
    let result: HandshakeResult;
    try {
      const first = await readHandshakeMessage(conn, { timeoutMs: 2000 });
      if (first.kind === "pair_hello") {
        result = await pairServer(conn, {
          identity,
          windows,
          firstMessage: first,
          timeoutMs: 2000,
        });
        store.add(result.peerKey, store.freeName(`peer-${store.list().length}`), "controller");
      } else {
        result = await authServer(conn, {
          identity,
          isTrusted: (key) => store.isTrustedController(key),
          firstMessage: first,
          timeoutMs: 2000,
        });
      }
    } catch (error) {
      failures.push(error);
      return;
    }
    conn.maxMessageBytes = DEFAULT_MAX_FRAME_BYTES; // the handshake cap ends with the handshake
    const peer = new Peer(result.connection, {
      role: "server",
      handler: {
        call: (method, params) => Promise.resolve({ method, paired: result.paired, params }),
        stream: () => {
          throw new Error("no streams");
        },
      },
    });
    peers.add(peer);
    await peer.hello({ capabilities: {} });
    peer.start();
    await peer.closed;
  }

  const listener = listenWebSocket({
    hostname: "127.0.0.1",
    port: 0,
    keepaliveSeconds: 0,
    onConnection: (conn) => sessions.push(serve(conn)),
  });
  return {
    url: `ws://127.0.0.1:${listener.port}`,
    windows,
    events,
    store,
    identity,
    failures,
    async close() {
      for (const peer of peers) peer.close();
      await listener.close();
      await Promise.all(sessions);
    },
  };
}

async function session(result: HandshakeResult): Promise<Peer> {
  const peer = new Peer(result.connection, { role: "client" });
  await peer.hello();
  peer.start();
  return peer;
}

Deno.test("pairClient() then authClient() over a real WebSocket reach a Peer on the same port", async () => {
  using serverHome = tempHome();
  using clientHome = tempHome();
  const server = startServer(serverHome.path);
  try {
    const client = Identity.loadOrCreate(clientHome.path);
    const { code } = server.windows.arm();

    // First contact: pairing.
    const ws1 = await WebSocketConnection.connect(server.url, { client: true });
    const paired = await pairClient(ws1, { code, identity: client });
    deepStrictEqual(paired.peerKey, server.identity.publicKey);
    const peer1 = await session(paired);
    deepStrictEqual(await peer1.call("test.echo", { n: 1 }), {
      method: "test.echo",
      paired: true,
      params: { n: 1 },
    });
    peer1.close();
    ok(
      server.store.isTrustedController(client.publicKey),
      "the server trusts the client as controller",
    );
    ok(server.events.some((e) => e.type === "paired"));

    // Reconnect: auth with the key learned when pairing.
    const ws2 = await WebSocketConnection.connect(server.url, { client: true });
    const authed = await authClient(ws2, { identity: client, serverKey: paired.peerKey });
    const peer2 = await session(authed);
    deepStrictEqual(await peer2.call("test.echo", { blob: new Uint8Array(100_000).fill(3) }), {
      method: "test.echo",
      paired: false,
      params: { blob: new Uint8Array(100_000).fill(3) },
    });
    peer2.close();

    // The code was single-use: a second pairing attempt is refused.
    const ws3 = await WebSocketConnection.connect(server.url, { client: true });
    await rejects(
      pairClient(ws3, { code, identity: Identity.generate(), timeoutMs: 2000 }),
      HandshakeError,
    );
  } finally {
    await server.close();
  }
  strictEqual(server.failures.length, 1);
});

Deno.test("authClient() over a real WebSocket: an unpaired client sees unexpected_peer", async () => {
  using serverHome = tempHome();
  const server = startServer(serverHome.path);
  try {
    const ws = await WebSocketConnection.connect(server.url, { client: true });
    await rejects(
      authClient(ws, { identity: Identity.generate(), serverKey: server.identity.publicKey }),
      (e: unknown) => e instanceof HandshakeError && e.reason === "unexpected_peer",
    );
  } finally {
    await server.close();
  }
  strictEqual(server.failures.length, 1);
  strictEqual((server.failures[0] as HandshakeError).reason, "untrusted_peer");
});
