/** `serve` start-up: a busy port fails first, and the exposure note. */
import { main } from "../../../src/cli/main.ts";
import { exposureNote } from "../../../src/cli/commands/server_events.ts";
import { startServe } from "../_util/serve_harness.ts";
import { createTestDeps } from "../_util/test_deps.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";

Deno.test("serve on a port in use fails before starting a virtual display", async () => {
  const home = await Deno.makeTempDir({ prefix: "opendesk_srv_" });
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (busy.addr as Deno.NetAddr).port;
    const deps = createTestDeps();
    const code = await main([
      "serve",
      "--home",
      home,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--no-mdns",
      "--virtual-display",
      "640x480",
    ], deps);
    assertEquals(code, 1);
    assertEquals(
      deps.stderr.text,
      `error: Cannot listen on port ${port}: it is in use (is another \`opendesk serve\` ` +
        "running?); stop it or pick another port with --port\n",
    );
    assert(!deps.stdout.text.includes("virtual display"), deps.stdout.text);
  } finally {
    busy.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("exposureNote() says who can reach the server and how to restrict it", () => {
  const cases: { host: string; mdns: boolean; note: string | null }[] = [
    {
      host: "0.0.0.0",
      mdns: true,
      note: "note: serve listens on every network interface of this machine and announces " +
        "itself to the local network (mDNS); only paired controllers get a session. To " +
        "restrict it: --host 127.0.0.1 (this machine only) and --no-mdns",
    },
    {
      host: "::",
      mdns: false,
      note: "note: serve listens on every network interface of this machine; only paired " +
        "controllers get a session. To restrict it: --host 127.0.0.1 (this machine only)",
    },
    {
      host: "127.0.0.1",
      mdns: true,
      note: "note: serve announces itself to the local network (mDNS); only paired " +
        "controllers get a session. To restrict it: --no-mdns",
    },
    { host: "127.0.0.1", mdns: false, note: null },
  ];
  for (const { host, mdns, note } of cases) assertEquals(exposureNote(host, mdns), note);
});

Deno.test("serve on all interfaces prints the exposure note after the listening line", async () => {
  const home = await Deno.makeTempDir({ prefix: "opendesk_srv_" });
  const serve = await startServe(home, ["--host", "0.0.0.0"]);
  try {
    assertMatch(
      serve.deps.stdout.text,
      /listening on ws:\/\/0\.0\.0\.0:\d+ .*\n\[[\d:]+\] note: serve listens on every network interface/,
    );
  } finally {
    assertEquals(await serve.stop(), 0);
    await Deno.remove(home, { recursive: true });
  }
});
