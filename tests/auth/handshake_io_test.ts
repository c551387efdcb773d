import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { authClient, authServer } from "../../src/auth/auth_handshake.ts";
import { HandshakeError } from "../../src/auth/errors.ts";
import { readHandshakeMessage } from "../../src/auth/handshake_io.ts";
import { Identity } from "../../src/auth/identity.ts";
import { pairClient, pairServer } from "../../src/auth/pairing_handshake.ts";
import { PairingWindows } from "../../src/auth/pairing_window.ts";
import type { Connection } from "../../src/protocol/connection.ts";
import { createLoopbackPair } from "../../src/protocol/loopback.ts";
import { vec } from "./_helpers.ts";

const server = Identity.generate();
const client = Identity.generate();

/** A server that routes on the first message's `kind`, as `serve` does. */
async function route(conn: Connection, windows: PairingWindows, trusted: Uint8Array[]) {
  const first = await readHandshakeMessage(conn);
  if (first.kind === "pair_hello") {
    return await pairServer(conn, { identity: server, windows, firstMessage: first });
  }
  return await authServer(conn, {
    identity: server,
    isTrusted: (key) => trusted.some((k) => k.every((b, i) => b === key[i])),
    firstMessage: first,
  });
}

Deno.test("readHandshakeMessage() lets one port serve pairing and auth", async () => {
  const windows = new PairingWindows();
  const trusted: Uint8Array[] = [];
  const { code } = windows.arm();

  const [a1, b1] = createLoopbackPair();
  const [paired, accepted] = await Promise.all([
    pairClient(a1, { code, identity: client }),
    route(b1, windows, trusted),
  ]);
  strictEqual(accepted.paired, true);
  trusted.push(accepted.peerKey);
  paired.connection.close();

  // While no window is armed, the paired client reconnects through auth.
  const [a2, b2] = createLoopbackPair();
  const [authed, served] = await Promise.all([
    authClient(a2, { identity: client, serverKey: paired.peerKey }),
    route(b2, windows, trusted),
  ]);
  strictEqual(served.paired, false);
  deepStrictEqual(served.peerKey, client.publicKey);
  authed.connection.close();
});

Deno.test("readHandshakeMessage() returns the kind and the untouched bytes", async () => {
  const [a, b] = createLoopbackPair();
  await a.send(vec("auth.msg1_auth_hello"));
  const first = await readHandshakeMessage(b);
  strictEqual(first.kind, "auth_hello");
  deepStrictEqual(first.bytes, vec("auth.msg1_auth_hello"));
  a.close();
});

const BAD = [
  { name: "garbage", bytes: new Uint8Array([0xc1, 0x00]) },
  { name: "a map without kind", bytes: encode({ v: 1 }) },
  {
    name: "an oversized message",
    bytes: encode({ v: 1, kind: "pair_hello", pad: "x".repeat(400) }),
  },
];

for (const { name, bytes } of BAD) {
  Deno.test(`readHandshakeMessage() rejects ${name} as protocol and closes`, async () => {
    const [a, b] = createLoopbackPair();
    await a.send(bytes);
    await rejects(
      readHandshakeMessage(b),
      (e: unknown) => e instanceof HandshakeError && e.reason === "protocol",
    );
    strictEqual(a.state, "closed");
  });
}

Deno.test("readHandshakeMessage() times out and closes", async () => {
  const [a, b] = createLoopbackPair();
  await rejects(readHandshakeMessage(b, { timeoutMs: 20 }), (e: unknown) => {
    ok(e instanceof HandshakeError);
    strictEqual(e.reason, "timeout");
    ok(e.message.includes("within 20 ms"));
    return true;
  });
  strictEqual(a.state, "closed");
});

Deno.test("pairServer() with a routed first message burns the window on a malformed pair_hello", async () => {
  const windows = new PairingWindows();
  windows.arm();
  const [a, b] = createLoopbackPair();
  await a.send(encode({ v: 1, kind: "pair_hello", e: "not bytes" }));
  const first = await readHandshakeMessage(b);
  strictEqual(first.kind, "pair_hello");
  await rejects(pairServer(b, { identity: server, windows, firstMessage: first }), HandshakeError);
  strictEqual(windows.current, null);
});
