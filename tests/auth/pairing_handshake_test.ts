import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { HandshakeError, PairingUnavailableError } from "../../src/auth/errors.ts";
import { encodeHandshakeMessage } from "../../src/auth/handshake_messages.ts";
import { Identity } from "../../src/auth/identity.ts";
import { pairClient, pairServer } from "../../src/auth/pairing_handshake.ts";
import { type PairingEvent, PairingWindows } from "../../src/auth/pairing_window.ts";
import type { Connection } from "../../src/protocol/connection.ts";
import { ConnectionClosedError } from "../../src/protocol/errors.ts";
import { createLoopbackPair } from "../../src/protocol/loopback.ts";
import { Peer } from "../../src/protocol/peer.ts";
import { KEYS, RecordingConnection, vec } from "./_helpers.ts";

const serverIdentity = Identity.fromPrivateKey(KEYS.serverStatic);
const clientIdentity = Identity.fromPrivateKey(KEYS.clientStatic);

function isReason(reason: string) {
  return (error: unknown): boolean => {
    ok(error instanceof HandshakeError, `expected HandshakeError, got ${error}`);
    strictEqual(error.reason, reason, error.message);
    return true;
  };
}

function windowsWithLog(code = "123456"): { windows: PairingWindows; events: PairingEvent[] } {
  const windows = new PairingWindows();
  const events: PairingEvent[] = [];
  windows.subscribe((event) => events.push(event));
  windows.arm({ code });
  return { windows, events };
}

Deno.test("pairClient()/pairServer() reproduce the vector messages, keys and encrypted HELLOs", async () => {
  const [a, b] = createLoopbackPair();
  const clientConn = new RecordingConnection(a);
  const serverConn = new RecordingConnection(b);
  const [client, server] = await Promise.all([
    pairClient(clientConn, {
      code: "123456",
      identity: clientIdentity,
      ephemeralPrivateKey: KEYS.clientEphemeral,
    }),
    pairServer(serverConn, {
      code: "123456",
      identity: serverIdentity,
      ephemeralPrivateKey: KEYS.serverEphemeral,
    }),
  ]);
  deepStrictEqual(clientConn.sent[0], vec("pairing.msg1_pair_hello"));
  deepStrictEqual(serverConn.sent[0], vec("pairing.msg2_pair_offer"));
  deepStrictEqual(clientConn.sent[1], vec("pairing.msg3_pair_finish"));
  deepStrictEqual(client.peerKey, vec("keys.server_static_public"));
  deepStrictEqual(server.peerKey, vec("keys.client_static_public"));
  strictEqual(client.paired && server.paired, true);

  // The client HELLO under c2s at counters 0 and 1, exactly as in the vectors.
  const hello = vec("frames.client_hello");
  await client.connection.send(hello);
  await client.connection.send(hello);
  deepStrictEqual(clientConn.sent[2], vec("encrypted.client_hello_counter_0"));
  deepStrictEqual(clientConn.sent[3], vec("encrypted.client_hello_counter_1"));
  deepStrictEqual(await server.connection.receive(), hello);
  deepStrictEqual(await server.connection.receive(), hello);

  // And the other direction under s2c.
  await server.connection.send(new Uint8Array([1, 2, 3]));
  deepStrictEqual(await client.connection.receive(), new Uint8Array([1, 2, 3]));
  client.connection.close();
  strictEqual(server.connection.state, "closed");
});

Deno.test("pairClient()/pairServer() with fresh keys carry a Peer session end to end", async () => {
  const [a, b] = createLoopbackPair();
  const client = Identity.generate();
  const server = Identity.generate();
  const { windows, events } = windowsWithLog("042917");
  const [c, s] = await Promise.all([
    pairClient(a, { code: "042917", identity: client }),
    pairServer(b, { windows, identity: server }),
  ]);
  deepStrictEqual(c.peerKey, server.publicKey);
  deepStrictEqual(s.peerKey, client.publicKey);
  deepStrictEqual(events.map((e) => e.type), ["armed", "paired"]);
  strictEqual(windows.current, null);

  const serverPeer = new Peer(s.connection, {
    role: "server",
    handler: {
      call: (method, params) => Promise.resolve({ method, echo: params.text ?? null }),
      stream: () => {
        throw new Error("no streams here");
      },
    },
  });
  const clientPeer = new Peer(c.connection, { role: "client" });
  await Promise.all([clientPeer.hello(), serverPeer.hello({ capabilities: {} })]);
  clientPeer.start();
  serverPeer.start();
  deepStrictEqual(await clientPeer.call("test.echo", { text: "héllo" }), {
    method: "test.echo",
    echo: "héllo",
  });
  clientPeer.close();
  await serverPeer.closed;
});

Deno.test("pairClient()/pairServer() with different codes: both see wrong_code and the window burns", async () => {
  const [a, b] = createLoopbackPair();
  const { windows, events } = windowsWithLog("123456");
  const [client, server] = await Promise.allSettled([
    pairClient(a, { code: "654321", identity: clientIdentity }),
    pairServer(b, { windows, identity: serverIdentity }),
  ]);
  strictEqual(client.status, "rejected");
  strictEqual(server.status, "rejected");
  isReason("wrong_code")((client as PromiseRejectedResult).reason);
  isReason("wrong_code")((server as PromiseRejectedResult).reason);
  strictEqual(
    (client as PromiseRejectedResult).reason.message,
    "The pairing code did not match, and that code is now void: ask the person at the other " +
      "machine to arm a new one (`opendesk pair` there), then run pair-with with the new code",
  );
  strictEqual(windows.current, null);
  const burned = events.find((e) => e.type === "burned");
  ok(burned && burned.type === "burned");
  strictEqual(burned.reason, "wrong_code");
  ok(burned.message.includes("the code is no longer valid; run `opendesk pair` for a new one"));
  strictEqual(a.state, "closed");
  strictEqual(b.state, "closed");
  // The burned code does not work a second time, even when correct.
  const [a2, b2] = createLoopbackPair();
  await rejects(pairServer(b2, { windows, identity: serverIdentity }), PairingUnavailableError);
  strictEqual(a2.state, "closed");
});

/** Plays a client by hand: sends pair_hello and returns once pair_offer arrived. */
async function helloAndReadOffer(conn: Connection): Promise<Uint8Array> {
  await conn.send(
    encodeHandshakeMessage({ kind: "pair_hello", e: vec("keys.client_ephemeral_public") }),
  );
  return await conn.receive();
}

Deno.test("pairServer() burns the code when the client stays silent after pair_offer", async () => {
  const [a, b] = createLoopbackPair();
  const { windows, events } = windowsWithLog();
  const server = pairServer(b, { windows, identity: serverIdentity, timeoutMs: 50 });
  await helloAndReadOffer(a);
  await rejects(server, isReason("timeout"));
  strictEqual(events.at(-1)?.type, "burned");
  strictEqual(windows.current, null);
  await rejects(a.receive(), ConnectionClosedError);
});

Deno.test("pairServer() burns the code when the client hangs up after pair_offer", async () => {
  const [a, b] = createLoopbackPair();
  const { windows, events } = windowsWithLog();
  const server = pairServer(b, { windows, identity: serverIdentity });
  await helloAndReadOffer(a);
  a.close();
  await rejects(server, isReason("wrong_code"));
  strictEqual(events.at(-1)?.type, "burned");
});

Deno.test("pairServer() burns the code on a malformed pair_hello", async () => {
  const [a, b] = createLoopbackPair();
  const { windows, events } = windowsWithLog();
  await a.send(encode({ v: 1, kind: "pair_hello", e: new Uint8Array(31) }));
  await rejects(pairServer(b, { windows, identity: serverIdentity }), isReason("protocol"));
  strictEqual(events.at(-1)?.type, "burned");
  strictEqual(a.state, "closed");
});

Deno.test("pairServer() rejects a low-order pair_hello key as protocol", async () => {
  const [a, b] = createLoopbackPair();
  await a.send(encodeHandshakeMessage({ kind: "pair_hello", e: new Uint8Array(32) }));
  await rejects(pairServer(b, { code: "123456", identity: serverIdentity }), (error: unknown) => {
    isReason("protocol")(error);
    ok((error as Error).message.includes("low-order"));
    return true;
  });
});

Deno.test("pairServer() answers a tampered pair_finish with wrong_code", async () => {
  const [a, b] = createLoopbackPair();
  const tampering: Connection = {
    send: (message) => {
      const copy = message.slice();
      if (copy.length === 74) copy[73]! ^= 0x01; // the last tag byte of ct2
      return a.send(copy);
    },
    receive: () => a.receive(),
    close: (reason) => a.close(reason),
    get state() {
      return a.state;
    },
    closed: a.closed,
    remoteAddr: a.remoteAddr,
  };
  const [client, server] = await Promise.allSettled([
    pairClient(tampering, { code: "123456", identity: clientIdentity }),
    pairServer(b, { code: "123456", identity: serverIdentity }),
  ]);
  isReason("wrong_code")((server as PromiseRejectedResult).reason);
  // The client finished its side; its channel is dead because the server closed.
  strictEqual(client.status, "fulfilled");
  await rejects(
    (client as PromiseFulfilledResult<{ connection: Connection }>).value.connection.receive(),
    ConnectionClosedError,
  );
});

Deno.test("pairClient() with expectedServerKey refuses a different server as unexpected_peer", async () => {
  const [a, b] = createLoopbackPair();
  const [client, server] = await Promise.allSettled([
    pairClient(a, {
      code: "123456",
      identity: clientIdentity,
      expectedServerKey: vec("keys.client_static_public"),
    }),
    pairServer(b, { code: "123456", identity: serverIdentity }),
  ]);
  isReason("unexpected_peer")((client as PromiseRejectedResult).reason);
  strictEqual(server.status, "rejected");
});

Deno.test("pairClient() rejects a malformed code before sending anything", async () => {
  for (const code of ["12345", "1234567", "12a456", "１２３４５６", " 123456", ""]) {
    const [a, b] = createLoopbackPair();
    const recording = new RecordingConnection(a);
    await rejects(pairClient(recording, { code, identity: clientIdentity }), RangeError);
    strictEqual(recording.sent.length, 0);
    a.close();
    b.close();
  }
});

Deno.test("pairClient() times out when the server never answers", async () => {
  const [a, b] = createLoopbackPair();
  await rejects(
    pairClient(a, { code: "123456", identity: clientIdentity, timeoutMs: 30 }),
    isReason("timeout"),
  );
  strictEqual(b.state, "closed");
});

Deno.test("pairClient() reports protocol when the server sends the wrong kind", async () => {
  const [a, b] = createLoopbackPair();
  const client = pairClient(a, { code: "123456", identity: clientIdentity });
  await b.receive();
  await b.send(vec("auth.msg2_auth_offer"));
  await rejects(client, (error: unknown) => {
    isReason("protocol")(error);
    ok((error as Error).message.includes("expected pair_offer, got auth_offer"));
    return true;
  });
});

Deno.test("pairServer() refuses to run with both or neither of code and windows", async () => {
  const [a, b] = createLoopbackPair();
  await rejects(pairServer(b, { identity: serverIdentity }), TypeError);
  strictEqual(a.state, "closed");
});
