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
import { RemoteError } from "../../src/protocol/errors.ts";
import { encodeMsgpack } from "../../src/protocol/codec.ts";
import { WebSocketConnection } from "../../src/remote/websocket_connection.ts";
import { closeStats, openRawSocket, PARTIAL_HEAD, UPGRADE_HEAD } from "./_raw_sockets.ts";
import { startServer } from "./_server_fixture.ts";

function rawSocket(port: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  ws.binaryType = "arraybuffer";
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("cannot open"));
  });
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
  // The first three refusals from one address are audited one by one, the rest summarised.
  const reasons = await rejectedReasons(fx.auditLines());
  assertEquals(reasons, Array(3).fill("auth_failed: protocol"));
  await fx.server.close();
  const summaries = (await fx.auditLines()).map((l) => JSON.parse(l)).filter((r) =>
    r.type === "connections.refused"
  );
  assertEquals(summaries.length, 1);
  assertEquals([summaries[0].remote_addr, summaries[0].count], ["127.0.0.1", 1]);
  assertEquals(summaries[0].reasons, { "auth_failed: protocol": 1 });
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

/** Per reason, how many refusals the audit log holds (one by one and summarised). */
function refusalTotals(lines: string[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const record of lines.map((l) => JSON.parse(l))) {
    if (record.type === "session.rejected") {
      const kind = String(record.reason).split(": ")[0]!;
      totals[kind] = (totals[kind] ?? 0) + 1;
    } else if (record.type === "connections.refused") {
      for (const [reason, n] of Object.entries(record.reasons as Record<string, number>)) {
        const kind = reason.split(": ")[0]!;
        totals[kind] = (totals[kind] ?? 0) + n;
      }
    }
  }
  return totals;
}

Deno.test("OpendeskServer ends silent connections at every stage by the deadline and refuses the excess per address", async () => {
  const deadlineMs = 2_000;
  const fx = await startServer({
    preAuthTimeoutMs: deadlineMs,
    maxPreAuthPerSource: 16,
    pairWhenUntrusted: false,
  });
  const alice = fx.addController("alice");
  const session = await alice.connect({ autoReconnect: false });
  // One loopback source address per stage the connection stalls in.
  const stages = [
    { source: "127.0.0.2", send: "" },
    { source: "127.0.0.3", send: PARTIAL_HEAD },
    { source: "127.0.0.4", send: UPGRADE_HEAD },
  ];
  const sockets = [];
  for (const stage of stages) {
    for (let i = 0; i < 40; i++) {
      const socket = await openRawSocket(fx.server.port, stage.source);
      if (stage.send) socket.write(stage.send);
      sockets.push(socket);
    }
  }
  let calls = 0;
  let done = false;
  const working = (async () => {
    while (!done) {
      assertEquals((await session.computer.displays()).length, 1);
      calls++;
    }
  })();
  const ended = await Promise.all(sockets.map((s) => s.ended));
  done = true;
  await working;
  const held = ended.filter((ms) => ms >= deadlineMs / 2);
  console.log(
    `120 silent connections from 3 addresses: ${calls} calls meanwhile; closed after (ms):`,
    closeStats(ended),
    "held until the deadline:",
    closeStats(held),
  );
  assert(calls > 0);
  assertEquals(fx.server.sessions().length, 1);
  await session.close();
  await fx.server.close();
  // Per address: 16 admitted and ended by the deadline, 24 refused at accept.
  assertEquals(refusalTotals(await fx.auditLines()), {
    too_many_from_source: 72,
    deadline: 32,
    auth_failed: 16,
  });
  await fx[Symbol.asyncDispose]();
});

Deno.test("OpendeskServer refuses huge params arrays and maps cheaply with invalid_argument", async () => {
  await using fx = await startServer();
  const alice = fx.addController("alice");
  // A raw Peer over the real encrypted link: opendesk's own client refuses such params itself.
  const ws = await WebSocketConnection.connect(`ws://127.0.0.1:${fx.server.port}`);
  const { connection } = await authClient(ws, {
    identity: alice.identity,
    serverKey: fx.server.identity.publicKey,
  });
  const peer = new Peer(connection, { role: "client" });
  await peer.hello();
  peer.start();
  const cases = [
    {
      name: "argv of 1M nils",
      params: { argv: new Array(1_000_000).fill(null) },
      // Refused by the decoder at the array's header, before any element is read.
      message: /^Cannot decode frame: array of 1000000 elements exceeds the limit of 65536$/,
    },
    {
      name: "env of 100k entries",
      params: {
        argv: ["true"],
        env: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`V${i}`, "x"])),
      },
      message: /^Cannot decode frame: map of 100000 entries exceeds the limit of 65536$/,
    },
    {
      name: "argv of 5,000 strings",
      params: { argv: new Array(5_000).fill("x") },
      // Decodable, and refused by the params bounds before validation.
      message: /^Invalid params for 'process.exec': 'argv' holds/,
    },
  ];
  for (const c of cases) {
    const started = performance.now();
    const error = await peer.call("process.exec", c.params).then(() => null, (e) => e);
    const ms = performance.now() - started;
    console.log(
      `${c.name}: refused after ${ms.toFixed(1)} ms round trip (encode, encrypt, decode, check)`,
    );
    assert(error instanceof RemoteError, `${c.name}: ${error}`);
    assertEquals(error.code, "invalid_argument");
    assertMatch(error.message, c.message);
  }
  // The session goes on.
  assert(await peer.call("display.displays"));
  peer.close();
});

Deno.test("OpendeskServer shows a hostile handshake kind escaped in events and the audit log", async () => {
  await using fx = await startServer({ pairWhenUntrusted: false });
  const ws = await WebSocketConnection.connect(`ws://127.0.0.1:${fx.server.port}`);
  const kind = "\x1b]0;owned\x07\r\x1b[2Kauth ok \u202Egnp.exe\u200B";
  await ws.send(encodeMsgpack({ v: 1, kind }));
  await ws.closed;
  const event = await fx.waitFor("rejected");
  const shown = "\\x1b]0;owned\\x07\\x0d\\x1b[2Kauth ok \\u{202e}gnp.exe\\u{200b}";
  assertEquals(event.message, `Handshake failed: expected auth_hello, got ${shown}`);
  const [reason] = await rejectedReasons(fx.auditLines());
  assertEquals(reason, `auth_failed: protocol`);
  // deno-lint-ignore no-control-regex
  assert(!/[\x00-\x1f\u202e\u200b]/.test(JSON.stringify(fx.events)));
});
