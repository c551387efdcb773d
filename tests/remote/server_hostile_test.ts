/**
 * Bad input against a live server over real loopback WebSockets: text
 * frames, oversized messages, garbage before and after the handshake, a
 * key-only impersonator (H3), and a thousand connections that never speak.
 */

import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { authClient } from "../../src/auth/auth_handshake.ts";
import { encodeHandshakeMessage } from "../../src/auth/handshake_messages.ts";
import { Identity } from "../../src/auth/identity.ts";
import { Peer } from "../../src/protocol/peer.ts";
import { WebSocketConnection } from "../../src/remote/websocket_connection.ts";
import { startServer } from "./_server_fixture.ts";

function rawSocket(port: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  ws.binaryType = "arraybuffer";
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("cannot open"));
  });
}

/**
 * Settles like `promise`, or fails naming `what` (and `state()`) after 60 s: a hang becomes a
 * clear failure, generous enough for a loaded machine.
 */
async function bounded<T>(promise: Promise<T>, what: string, state = () => ""): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after 60 s: ${what} ${state()}`)), 60_000);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

function closeOf(ws: WebSocket): Promise<CloseEvent> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(new CloseEvent("close"));
  return new Promise((resolve) => ws.addEventListener("close", (e) => resolve(e), { once: true }));
}

async function rejectedReasons(lines: Promise<string[]>): Promise<string[]> {
  return (await lines).map((l) => JSON.parse(l)).filter((r) => r.type === "session.rejected").map((
    r,
  ) => r.reason);
}

Deno.test("OpendeskServer closes on text frames (1003), oversized handshake messages (1009) and garbage", async () => {
  await using fx = await startServer({ pairWhenUntrusted: false });
  const cases = [
    { name: "text frame", send: "hello" as string | Uint8Array, code: 1003 },
    { name: "oversized", send: new Uint8Array(2048), code: 1009 },
    { name: "garbage", send: crypto.getRandomValues(new Uint8Array(50)), code: 1000 },
    { name: "a map without kind", send: new Uint8Array([0x81, 0xa1, 0x76, 0x01]), code: 1000 },
  ];
  for (const c of cases) {
    const ws = await rawSocket(fx.server.port);
    const closed = closeOf(ws);
    ws.send(c.send);
    assertEquals((await closed).code, c.code, c.name);
  }
  const reasons = await rejectedReasons(fx.auditLines());
  assertEquals(reasons.length, 4);
  for (const reason of reasons) assertMatch(reason, /^auth_failed: protocol$/);
});

Deno.test("OpendeskServer: a client that knows only the public key cannot evict the controller (H3)", async () => {
  await using fx = await startServer();
  const alice = fx.addController("alice");
  const session = await alice.connect({ autoReconnect: false });
  // The impersonator sends alice's public key (it travels in clear) but holds another private key.
  const ws = await WebSocketConnection.connect(`ws://127.0.0.1:${fx.server.port}`);
  const ephemeral = Identity.generate();
  await ws.send(
    encodeHandshakeMessage({
      kind: "auth_hello",
      e: ephemeral.publicKey,
      s: alice.identity.publicKey,
    }),
  );
  const offer = await ws.receive();
  assertEquals(offer.byteLength, 79, "trusted key: a full auth_offer");
  // Without alice's private key it cannot derive the session keys: its HELLO fails to decrypt.
  await ws.send(crypto.getRandomValues(new Uint8Array(81)));
  await ws.closed;
  assertEquals((await session.computer.displays()).length, 1, "alice keeps working");
  assertEquals(session.isClosed, false);
  assertEquals(fx.server.sessions().length, 1);
  const reasons = await rejectedReasons(fx.auditLines());
  assertEquals(reasons.length, 1);
  assertMatch(reasons[0]!, /^handshake_error: no valid HELLO/);
  await session.close();
});

Deno.test("OpendeskServer ends a session whose frames stop decrypting, and serves the next one", async () => {
  await using fx = await startServer();
  const alice = fx.addController("alice");
  const ws = await WebSocketConnection.connect(`ws://127.0.0.1:${fx.server.port}`);
  const { connection } = await authClient(ws, {
    identity: alice.identity,
    serverKey: fx.server.identity.publicKey,
  });
  const peer = new Peer(connection, { role: "client" });
  await peer.hello();
  peer.start();
  assert(await peer.call("display.displays"));
  await ws.send(crypto.getRandomValues(new Uint8Array(100)));
  await peer.closed;
  const closed = await fx.waitFor("session_closed");
  assertMatch(closed.reason, /integrity|error/);
  const next = await alice.connect({ autoReconnect: false });
  assertEquals((await next.computer.displays()).length, 1);
  await next.close();
});

Deno.test("OpendeskServer closes 1000 silent connections at their deadline while the controller keeps working", async () => {
  await using fx = await startServer({ handshakeTimeoutMs: 1500, pairWhenUntrusted: false });
  const alice = fx.addController("alice");
  const session = await alice.connect({ autoReconnect: false });
  const sockets = await bounded(
    Promise.all(Array.from({ length: 1000 }, () => rawSocket(fx.server.port))),
    "opening 1000 sockets",
  );
  const allClosed = bounded(
    Promise.all(sockets.map(closeOf)),
    "the server closing 1000 silent connections",
    () => `${sockets.filter((ws) => ws.readyState !== WebSocket.CLOSED).length} still open`,
  );
  let calls = 0;
  let done = false;
  const working = (async () => {
    while (!done) {
      assertEquals((await session.computer.displays()).length, 1);
      calls++;
    }
  })();
  // The controller's calls are awaited on every path, so a failure of the wait below is reported
  // as itself, not as a call cut off by the server's shutdown afterwards.
  const worked = working.then(() => null, (error: unknown) => error);
  try {
    await allClosed;
  } finally {
    done = true;
    await worked;
  }
  const workError = await worked;
  if (workError !== null) throw workError;
  assert(calls > 10, `only ${calls} calls went through`);
  assertEquals(fx.server.sessions().length, 1);
  const reasons = await rejectedReasons(fx.auditLines());
  assertEquals(reasons.length, 1000);
  assert(
    reasons.every((r) => r === "auth_failed: timeout"),
    reasons.find((r) => r !== "auth_failed: timeout"),
  );
  await session.close();
});
