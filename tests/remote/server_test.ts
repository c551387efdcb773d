import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { HandshakeError } from "../../src/auth/errors.ts";
import { TrustStore } from "../../src/auth/trust_store.ts";
import { SessionEvictedError } from "../../src/computer/client/session_evicted_error.ts";
import { RemoteError } from "../../src/protocol/errors.ts";
import { AdminClient } from "../../src/remote/admin_client.ts";
import { connect, pairWith } from "../../src/remote/client.ts";
import { FakeComputer } from "../../src/computer/drivers/fake/fake_computer.ts";
import { OpendeskServer } from "../../src/remote/server.ts";
import type { ServerEvent } from "../../src/remote/server_options.ts";
import { startServer } from "./_server_fixture.ts";

Deno.test("OpendeskServer arms pairing when untrusted; pairWith pairs, serves, and auth works afterwards", async () => {
  await using fx = await startServer();
  const armed = await fx.waitFor("pairing_armed");
  assertMatch(armed.code, /^\d{6}$/);
  const clientHome = `${fx.home}-client`;
  const session = await pairWith("127.0.0.1", armed.code, {
    port: fx.server.port,
    home: clientHome,
    mdns: false,
    name: "lab",
  });
  try {
    assertEquals(session.label, "lab");
    assertEquals(session.manifest.backend, "fake");
    assertEquals(await session.computer.cursorPosition(), await fx.computer.cursorPosition());
    const paired = await fx.waitFor("paired");
    assertMatch(paired.name, /^peer-[0-9a-f]{6}$/);
    const serverSide = new TrustStore(fx.home).get(paired.publicKeyHex)!;
    assertEquals(serverSide.role, "controller");
    const clientSide = new TrustStore(clientHome).get("lab")!;
    assertEquals([clientSide.role, clientSide.lastHost, clientSide.lastPort], [
      "remote",
      "127.0.0.1",
      fx.server.port,
    ]);
    assertEquals(fx.server.sessions().map((s) => s.mode), ["pair"]);
    assertEquals(fx.server.pairingWindow, null, "the code is single-use");
  } finally {
    await session.close();
  }
  const again = await connect("lab", { home: clientHome, mdns: false });
  try {
    assertEquals((await again.computer.displays()).length, 1);
    assertEquals(fx.server.sessions().map((s) => s.mode), ["serve"]);
  } finally {
    await again.close();
    await Deno.remove(clientHome, { recursive: true });
  }
});

Deno.test("OpendeskServer burns the code on a wrong code and refuses pairing when none is armed", async () => {
  await using fx = await startServer();
  const armed = await fx.waitFor("pairing_armed");
  const wrong = armed.code === "000000" ? "111111" : "000000";
  const clientHome = `${fx.home}-client`;
  try {
    const error = await assertRejects(
      () => pairWith("127.0.0.1", wrong, { port: fx.server.port, home: clientHome, mdns: false }),
      HandshakeError,
    );
    assertEquals(error.reason, "wrong_code");
    const burned = await fx.waitFor("pairing_burned");
    assertMatch(burned.message, /opendesk pair/);
    await assertRejects(
      () =>
        pairWith("127.0.0.1", armed.code, { port: fx.server.port, home: clientHome, mdns: false }),
      HandshakeError,
    );
    assertEquals(new TrustStore(clientHome).list(), []);
    const reasons = (await fx.auditLines()).map((l) => JSON.parse(l)).filter((r) =>
      r.type === "session.rejected"
    )
      .map((r) => r.reason);
    assertEquals(reasons, ["auth_failed: wrong_code", "pairing_not_armed"]);
  } finally {
    await Deno.remove(clientHome, { recursive: true }).catch(() => {});
  }
});

Deno.test("OpendeskServer locks out the address that burned two codes while the new code stays armed", async () => {
  await using fx = await startServer();
  const clientHome = `${fx.home}-client`;
  try {
    for (let i = 0; i < 2; i++) {
      const armed = i === 0 ? await fx.waitFor("pairing_armed") : fx.server.armPairing();
      const wrong = armed.code === "000000" ? "111111" : "000000";
      const since = fx.events.length;
      await assertRejects(
        () => pairWith("127.0.0.1", wrong, { port: fx.server.port, home: clientHome, mdns: false }),
        HandshakeError,
      );
      await fx.waitFor("pairing_burned", since);
    }
    const burns = fx.events.filter((e) => e.type === "pairing_burned");
    assertEquals(burns.length, 2);
    for (const burn of burns) {
      assertMatch(burn.message, /^Pairing attempt from 127\.0\.0\.1 failed/);
    }
    const locked = await fx.waitFor("pairing_locked");
    assertMatch(locked.message, /^Pairing attempts from 127\.0\.0\.1 are refused for 10 minutes/);
    // The address cannot even try the right code, and its attempt does not burn it.
    const window = fx.server.armPairing();
    const since = fx.events.length;
    await assertRejects(
      () =>
        pairWith("127.0.0.1", window.code, { port: fx.server.port, home: clientHome, mdns: false }),
      HandshakeError,
    );
    const refused = await fx.waitFor("rejected", since);
    assertMatch(refused.message, /^Pairing refused for 127\.0\.0\.1: pairing attempts from this/);
    assertEquals(fx.server.pairingWindow?.code, window.code);
    const reasons = (await fx.auditLines()).map((l) => JSON.parse(l)).filter((r) =>
      r.type === "session.rejected"
    ).map((r) => r.reason);
    assertEquals(reasons.at(-1), "auth_failed: pairing_locked_out");
  } finally {
    await Deno.remove(clientHome, { recursive: true }).catch(() => {});
  }
});

Deno.test("OpendeskServer answers a second controller with the busy HELLO", async () => {
  await using fx = await startServer();
  const alice = fx.addController("alice");
  const bob = fx.addController("bob");
  const first = await alice.connect();
  try {
    const error = await assertRejects(() => bob.connect(), RemoteError);
    assertEquals(error.code, "busy");
    assertEquals(
      error.message,
      "server is busy: alice is the active controller. Disconnect them to take over.",
    );
    assertEquals(
      (await first.computer.displays()).length,
      1,
      "the active controller keeps working",
    );
    const rejected = (await fx.auditLines()).map((l) => JSON.parse(l)).find((r) =>
      r.type === "session.rejected"
    );
    assertEquals([rejected.reason, rejected.peer.name], ["busy: alice", "bob"]);
  } finally {
    await first.close();
  }
});

Deno.test("OpendeskServer evicts a same-key session with reason replaced", async () => {
  await using fx = await startServer();
  const alice = fx.addController("alice");
  const old = await alice.connect({ autoReconnect: false });
  const pushes: string[] = [];
  using _ = old.onPush((topic, payload) => pushes.push(`${topic}:${payload.reason}`));
  const fresh = await alice.connect();
  try {
    assertEquals(await old.closed, "evicted by the server (replaced)");
    assertEquals(pushes, ["session.evicted:replaced"]);
    await assertRejects(() => old.computer.displays(), SessionEvictedError);
    assertEquals((await fresh.computer.displays()).length, 1);
    assertEquals(fx.server.sessions().length, 1);
  } finally {
    await old.close();
    await fresh.close();
  }
});

Deno.test("OpendeskServer refuses a remote-role key and serves the admin socket", async () => {
  await using fx = await startServer();
  const alice = fx.addController("alice");
  const session = await alice.connect({ autoReconnect: false });
  const admin = new AdminClient(fx.home);
  const [listed] = await admin.list();
  assertEquals([listed!.peer_name, listed!.peer_pubkey_hex, listed!.mode], [
    "alice",
    alice.identity.publicKeyHex,
    "serve",
  ]);
  const status = await admin.status();
  // Armed at start (no controller was trusted then).
  assertEquals([status.port, status.sessions, status.pairing.armed], [fx.server.port, 1, true]);
  const since = fx.events.length;
  const pair = await admin.pair();
  assertMatch(pair.code, /^\d{6}$/);
  assertEquals((await fx.waitFor("pairing_armed", since)).code, pair.code);
  assertEquals(await admin.kill(listed!.id), true);
  assertEquals(await session.closed, "evicted by the server (admin_disconnect)");
  assertEquals(await admin.kill(listed!.id), false);
  // H4: a key trusted only as `remote` on the server is not served.
  new TrustStore(fx.home).setRole("alice", "remote");
  const error = await assertRejects(() => alice.connect({ autoReconnect: false }), HandshakeError);
  assertEquals(error.reason, "unexpected_peer");
  await session.close();
});

Deno.test("OpendeskServer.close() closes sessions with code 1001 and no eviction push", async () => {
  const fx = await startServer();
  const alice = fx.addController("alice");
  const session = await alice.connect({ autoReconnect: false });
  const pushes: string[] = [];
  using _ = session.onPush((topic) => pushes.push(topic));
  await fx[Symbol.asyncDispose]();
  assertEquals(
    await session.closed,
    "connection lost: Connection closed by the peer with code 1001: server shutting down",
  );
  assertEquals(session.evictedReason, null);
  assertEquals(pushes, []);
  await session.close();
});

Deno.test("connect() resolves host:port, ws://…#key, and refuses wss://", async () => {
  await using fx = await startServer();
  const alice = fx.addController("alice");
  const key = fx.server.identity.publicKeyHex;
  for (const target of [`127.0.0.1:${fx.server.port}`, `ws://127.0.0.1:${fx.server.port}#${key}`]) {
    const session = await connect(target, { home: alice.home, mdns: false });
    assertEquals(session.label, "server", target);
    await session.close();
  }
  await assertRejects(
    () => connect(`wss://127.0.0.1:1#${key}`, { home: alice.home, mdns: false }),
    Error,
    "wss://",
  );
  assert(fx.events.some((e) => e.type === "listening"));
});

Deno.test("OpendeskServer.start() warns about legacy trust entries and does not arm pairing for them", async () => {
  const home = await Deno.makeTempDir();
  const events: ServerEvent[] = [];
  new TrustStore(home).add("ab".repeat(32), "old-laptop", "");
  const server = await OpendeskServer.start({
    home,
    computer: new FakeComputer(),
    host: "127.0.0.1",
    port: 0,
    mdns: false,
    onEvent: (e) => events.push(e),
  });
  try {
    const warning = events.find((e) => e.type === "warning");
    assertMatch(warning && "message" in warning ? warning.message : "", /'old-laptop' has no role/);
    assertEquals(server.pairingWindow, null);
    assertEquals(server.policy.mode, "observe", "no prompter: observe");
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
});
