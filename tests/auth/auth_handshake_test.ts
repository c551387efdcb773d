import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { nodeAead } from "../../src/auth/aead.ts";
import { authClient, authServer } from "../../src/auth/auth_handshake.ts";
import { HandshakeError } from "../../src/auth/errors.ts";
import {
  decodeHandshakeMessage,
  encodeHandshakeMessage,
} from "../../src/auth/handshake_messages.ts";
import { Identity } from "../../src/auth/identity.ts";
import { ConnectionClosedError } from "../../src/protocol/errors.ts";
import { createLoopbackPair } from "../../src/protocol/loopback.ts";
import { KEYS, RecordingConnection, vec } from "./_helpers.ts";

const serverIdentity = Identity.fromPrivateKey(KEYS.serverStatic);
const clientIdentity = Identity.fromPrivateKey(KEYS.clientStatic);
const trustAll = () => true;

function isReason(reason: string) {
  return (error: unknown): boolean => {
    ok(error instanceof HandshakeError, `expected HandshakeError, got ${error}`);
    strictEqual(error.reason, reason, error.message);
    return true;
  };
}

Deno.test("authClient()/authServer() reproduce the vector messages and session keys", async () => {
  const [a, b] = createLoopbackPair();
  const clientConn = new RecordingConnection(a);
  const serverConn = new RecordingConnection(b);
  const trustedKeys: Uint8Array[] = [];
  const [client, server] = await Promise.all([
    authClient(clientConn, {
      identity: clientIdentity,
      serverKey: serverIdentity.publicKey,
      ephemeralPrivateKey: KEYS.clientEphemeral,
    }),
    authServer(serverConn, {
      identity: serverIdentity,
      isTrusted: (key) => {
        trustedKeys.push(key);
        return true;
      },
      ephemeralPrivateKey: KEYS.serverEphemeral,
    }),
  ]);
  deepStrictEqual(clientConn.sent[0], vec("auth.msg1_auth_hello"));
  deepStrictEqual(serverConn.sent[0], vec("auth.msg2_auth_offer"));
  deepStrictEqual(trustedKeys, [vec("keys.client_static_public")]);
  deepStrictEqual(client.peerKey, vec("keys.server_static_public"));
  deepStrictEqual(server.peerKey, vec("keys.client_static_public"));
  strictEqual(client.paired || server.paired, false);

  // Frames under the auth keys: what the client sends equals c2s sealing.
  const hello = vec("frames.client_hello");
  await client.connection.send(hello);
  deepStrictEqual(
    clientConn.sent[1],
    nodeAead.seal(vec("auth.session_key_c2s"), new Uint8Array(12), hello),
  );
  deepStrictEqual(await server.connection.receive(), hello);
  await server.connection.send(hello);
  deepStrictEqual(
    serverConn.sent[1],
    nodeAead.seal(vec("auth.session_key_s2c"), new Uint8Array(12), hello),
  );
  deepStrictEqual(await client.connection.receive(), hello);
  server.connection.close();
  await rejects(client.connection.receive(), ConnectionClosedError);
});

Deno.test("authServer() answers an untrusted key with 18 random bytes and fails untrusted_peer", async () => {
  const [a, b] = createLoopbackPair();
  const serverConn = new RecordingConnection(b);
  const [client, server] = await Promise.allSettled([
    authClient(a, { identity: clientIdentity, serverKey: serverIdentity.publicKey }),
    authServer(serverConn, { identity: serverIdentity, isTrusted: () => false }),
  ]);
  isReason("unexpected_peer")((client as PromiseRejectedResult).reason);
  isReason("untrusted_peer")((server as PromiseRejectedResult).reason);
  const offer = decodeHandshakeMessage(serverConn.sent[0]!, "auth_offer");
  strictEqual(offer.ct.length, 18);
  strictEqual(serverConn.sent[0]!.length, vec("auth.msg2_auth_offer").length);
  ok((server as PromiseRejectedResult).reason.message.includes("opendesk pair"));
  strictEqual(a.state, "closed");
});

Deno.test("authServer() sends a different decoy to each untrusted attempt", async () => {
  const decoys: string[] = [];
  for (let i = 0; i < 2; i++) {
    const [a, b] = createLoopbackPair();
    const serverConn = new RecordingConnection(b);
    await Promise.allSettled([
      authClient(a, { identity: clientIdentity, serverKey: serverIdentity.publicKey }),
      authServer(serverConn, {
        identity: serverIdentity,
        isTrusted: () => false,
        ephemeralPrivateKey: KEYS.serverEphemeral,
      }),
    ]);
    decoys.push(decodeHandshakeMessage(serverConn.sent[0]!, "auth_offer").ct.join(","));
  }
  ok(decoys[0] !== decoys[1]);
});

Deno.test("authClient() fails untrusted_peer on the reference's empty-ct reply", async () => {
  const [a, b] = createLoopbackPair();
  const client = authClient(a, {
    identity: clientIdentity,
    serverKey: serverIdentity.publicKey,
    ephemeralPrivateKey: KEYS.clientEphemeral,
  });
  deepStrictEqual(await b.receive(), vec("auth.msg1_auth_hello"));
  await b.send(vec("auth.msg2_auth_offer_untrusted"));
  // The reference tells an untrusted client so with an empty proof: say it plainly.
  await rejects(client, isReason("untrusted_peer"));
});

Deno.test("authClient() fails unexpected_peer against a server with another key", async () => {
  const [a, b] = createLoopbackPair();
  const [client, server] = await Promise.allSettled([
    authClient(a, { identity: clientIdentity, serverKey: Identity.generate().publicKey }),
    authServer(b, { identity: serverIdentity, isTrusted: trustAll }),
  ]);
  isReason("unexpected_peer")((client as PromiseRejectedResult).reason);
  // The server finished its side; the client closed, so its channel is dead.
  strictEqual(server.status, "fulfilled");
  await rejects(
    (server as PromiseFulfilledResult<{ connection: { receive(): Promise<Uint8Array> } }>).value
      .connection.receive(),
    ConnectionClosedError,
  );
});

Deno.test('authClient() reports protocol when the proof opens but is not "ok"', async () => {
  const [a, b] = createLoopbackPair();
  const client = authClient(a, {
    identity: clientIdentity,
    serverKey: serverIdentity.publicKey,
    ephemeralPrivateKey: KEYS.clientEphemeral,
  });
  await b.receive();
  const ct = nodeAead.seal(vec("auth.k"), new Uint8Array(12), new TextEncoder().encode("no"));
  await b.send(
    encodeHandshakeMessage({ kind: "auth_offer", e: vec("keys.server_ephemeral_public"), ct }),
  );
  await rejects(client, isReason("protocol"));
});

Deno.test("authServer() rejects low-order client keys as protocol without answering", async () => {
  const [a, b] = createLoopbackPair();
  await a.send(
    encodeHandshakeMessage({
      kind: "auth_hello",
      e: vec("keys.client_ephemeral_public"),
      s: new Uint8Array(32),
    }),
  );
  await rejects(
    authServer(b, { identity: serverIdentity, isTrusted: trustAll }),
    isReason("protocol"),
  );
  await rejects(a.receive(), ConnectionClosedError);
});

Deno.test("authServer() times out when auth_hello never comes", async () => {
  const [a, b] = createLoopbackPair();
  await rejects(
    authServer(b, { identity: serverIdentity, isTrusted: trustAll, timeoutMs: 30 }),
    isReason("timeout"),
  );
  strictEqual(a.state, "closed");
});

Deno.test("authServer() fails protocol when the client closes early", async () => {
  const [a, b] = createLoopbackPair();
  const server = authServer(b, { identity: serverIdentity, isTrusted: trustAll });
  a.close();
  await rejects(server, isReason("protocol"));
});

Deno.test("authServer() closes the connection and rethrows when the trust check throws", async () => {
  const [a, b] = createLoopbackPair();
  await a.send(vec("auth.msg1_auth_hello"));
  const boom = new Error("trust store unreadable");
  await rejects(
    authServer(b, {
      identity: serverIdentity,
      isTrusted: () => {
        throw boom;
      },
    }),
    (error) => error === boom,
  );
  strictEqual(a.state, "closed");
});

Deno.test("authClient() rejects a server key that is not 32 bytes and closes", async () => {
  const [a, b] = createLoopbackPair();
  const recording = new RecordingConnection(a);
  await rejects(
    authClient(recording, { identity: clientIdentity, serverKey: new Uint8Array(31) }),
    TypeError,
  );
  strictEqual(recording.sent.length, 0);
  strictEqual(b.state, "closed");
});

Deno.test("authServer() refuses a pair_hello with protocol (expected auth_hello)", async () => {
  const [a, b] = createLoopbackPair();
  await a.send(vec("pairing.msg1_pair_hello"));
  await rejects(
    authServer(b, { identity: serverIdentity, isTrusted: trustAll }),
    (error: unknown) => {
      isReason("protocol")(error);
      ok((error as Error).message.includes("expected auth_hello, got pair_hello"));
      return true;
    },
  );
});
