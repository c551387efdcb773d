import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { readAdminMessage } from "../../src/remote/_admin_framing.ts";
import { AdminServer, AdminSocketInUseError } from "../../src/remote/admin_server.ts";
import { handlers, SESSION, withHome } from "./_admin_fixtures.ts";
import { AdminClient } from "../../src/remote/admin_client.ts";

Deno.test("AdminServer answers list, kill, kill_all, pair and status", () =>
  withHome(async (home) => {
    const log: string[] = [];
    const server = await AdminServer.start(home, handlers(log));
    try {
      assertEquals((await Deno.stat(server.path)).mode! & 0o777, 0o600);
      assertEquals((await Deno.stat(home)).mode! & 0o777, 0o700);
      const client = new AdminClient(home);
      assertEquals(await client.list(), [SESSION]);
      assertEquals(await client.kill("1a2b3c4d"), true);
      assertEquals(await client.kill("ffffffff"), false);
      assertEquals(await client.killAll(), 1);
      assertEquals(await client.killPeer("laptop"), 1);
      assertEquals(await client.pair("654321"), { code: "654321", expiresAt: 1700000300 });
      assertEquals((await client.status()).pid, 42);
      assertEquals(await client.request({ op: "kill" }), { ok: false, error: "missing 'id'" });
      assertEquals(await client.request({ op: "reboot" }), {
        ok: false,
        error: "unknown op 'reboot'",
      });
      assertEquals(await client.request({ op: "kill", id: "ffffffff" }), { ok: false, killed: 0 });
      assertEquals(log, [
        "kill 1a2b3c4d admin_disconnect",
        "kill ffffffff admin_disconnect",
        "kill_all admin_disconnect",
        "kill 1a2b3c4d unpaired",
        "kill ffffffff admin_disconnect",
      ]);
    } finally {
      await server.close();
    }
    let exists = true;
    await Deno.stat(`${home}/admin.sock`).catch(() => (exists = false));
    assertEquals(exists, false, "the socket file is removed on close");
  }));

Deno.test("AdminServer.start() refuses a live socket and replaces a stale one", () =>
  withHome(async (home) => {
    const first = await AdminServer.start(home, handlers([]));
    try {
      await assertRejects(
        () => AdminServer.start(home, handlers([])),
        AdminSocketInUseError,
        "already running",
      );
    } finally {
      await first.close();
    }
    // A stale socket file: left behind by a server that was killed.
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `const l = Deno.listen({ transport: "unix", path: "${home}/admin.sock" }); console.log("up"); await l.accept();`,
      ],
      stdout: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    await reader.read();
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel();
    assert((await Deno.lstat(`${home}/admin.sock`)).isSocket);
    const second = await AdminServer.start(home, handlers([]));
    try {
      assertEquals((await new AdminClient(home).list()).length, 1);
    } finally {
      await second.close();
    }
  }));

Deno.test("AdminServer answers malformed requests with ok: false and keeps serving", () =>
  withHome(async (home) => {
    const server = await AdminServer.start(home, handlers([]));
    try {
      const cases = [
        {
          name: "oversized length",
          bytes: new Uint8Array([0xff, 0xff, 0xff, 0xff]),
          error: /exceeds the limit/,
        },
        { name: "not msgpack", bytes: new Uint8Array([0, 0, 0, 1, 0xc1]), error: /not msgpack/ },
        { name: "not a map", bytes: new Uint8Array([0, 0, 0, 1, 0x01]), error: /expected a map/ },
      ];
      for (const c of cases) {
        const conn = await Deno.connect({ transport: "unix", path: server.path });
        await conn.write(c.bytes);
        const res = await readAdminMessage(conn);
        conn.close();
        assertEquals(res.ok, false, c.name);
        assert(c.error.test(String(res.error)), `${c.name}: ${res.error}`);
      }
      assertEquals((await new AdminClient(home).list()).length, 1);
    } finally {
      await server.close();
    }
  }));
