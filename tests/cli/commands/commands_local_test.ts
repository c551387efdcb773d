import { Identity } from "../../../src/auth/identity.ts";
import { TrustStore } from "../../../src/auth/trust_store.ts";
import { AuditLog } from "../../../src/remote/audit_log.ts";
import { main } from "../../../src/cli/main.ts";
import { createTestDeps, type TestDeps, waitFor } from "../_util/test_deps.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "opendesk_home_" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; deps: TestDeps }> {
  const deps = createTestDeps({ env: { HOME: "/nonexistent-home", ...env } });
  const code = await main(args, deps);
  return { code, deps };
}

const key = (n: number): string => n.toString(16).padStart(2, "0").repeat(32);

Deno.test("main() exits 2 with a hint for an unknown command or option", async () => {
  const unknown = await run(["frobnicate"]);
  assertEquals(unknown.code, 2);
  assertEquals(
    unknown.deps.stderr.text,
    "error: Unknown command 'frobnicate'\nRun `opendesk help` for usage\n",
  );
  const option = await run(["peers", "--bogus"]);
  assertEquals(option.code, 2);
  assertEquals(
    option.deps.stderr.text,
    "error: Unknown option '--bogus'\nRun `opendesk peers --help` for usage\n",
  );
  const none = await run([]);
  assertEquals(none.code, 2);
  assertMatch(none.deps.stdout.text, /^opendesk \d/);
});

Deno.test("main() version prints the version", async () => {
  const { code, deps } = await run(["version"]);
  assertEquals(code, 0);
  assertMatch(deps.stdout.text, /^opendesk 0\.\d+\.\d+ \(protocol v1, deno \d/);
});

Deno.test("runDescribe() sets, shows and clears description.txt", async () => {
  await withHome(async (home) => {
    assertMatch((await run(["describe", "--home", home])).deps.stdout.text, /No description set/);
    assertEquals((await run(["describe", "Lab", "box", "--home", home])).code, 0);
    assertEquals(await Deno.readTextFile(`${home}/description.txt`), "Lab box\n");
    assertEquals((await run(["describe", "--home", home])).deps.stdout.text, "Lab box\n");
    assertEquals((await run(["describe", "x", "--clear", "--home", home])).code, 2);
    assertEquals((await run(["describe", "--clear"], { OPENDESK_HOME: home })).code, 0);
    assertMatch((await run(["describe", "--home", home])).deps.stdout.text, /No description set/);
  });
});

Deno.test("runPeers() lists, renames, describes, sets roles and defaults", async () => {
  await withHome(async (home) => {
    const store = new TrustStore(home);
    store.add(key(0x7b), "laptop", "controller");
    store.add(key(0x10), "office", "remote");
    store.add(key(0x22), "old", "");
    const steps: Array<[string[], number, RegExp]> = [
      [["peers", "rename", "laptop", "work-laptop"], 0, /^Renamed laptop to work-laptop\n$/],
      [["peers", "default", "office"], 0, /^Default peer: office\n$/],
      [["peers", "default"], 0, /^office\n$/],
      [
        ["peers", "describe", "office", "The", "build", "box"],
        0,
        /^Described office: The build box\n$/,
      ],
      [["peers", "describe", "office"], 0, /^The build box\n$/],
      [
        ["peers", "role", "old", "controller"],
        0,
        /old is now a controller: it may control this machine/,
      ],
      [["peers", "role", "old", "boss"], 2, /^$/],
      [["peers", "rename", "nobody", "x"], 1, /^$/],
    ];
    for (const [args, code, out] of steps) {
      const result = await run([...args, "--home", home]);
      assertEquals(result.code, code, `${args.join(" ")}: ${result.deps.stderr.text}`);
      assertMatch(result.deps.stdout.text, out);
    }
    const list = await run(["peers", "--home", home]);
    assertMatch(list.deps.stdout.text, /NAME\s+ROLE\s+FINGERPRINT\s+LAST ADDRESS\s+DESCRIPTION\n/);
    assertMatch(list.deps.stdout.text, /work-laptop\s+controller\s+7b7b:7b7b:7b7b:7b7b/);
    assertMatch(list.deps.stdout.text, /office \*\s+remote\s+1010:1010:1010:1010\s+The build box/);
    assertMatch(list.deps.stdout.text, /old\s+controller/);
    assert(!list.deps.stdout.text.includes("legacy"));
    assertEquals(new TrustStore(home).get("work-laptop")?.role, "controller");
  });
});

Deno.test("runPeers() names legacy entries and how to settle them", async () => {
  await withHome(async (home) => {
    new TrustStore(home).add(key(0x22), "old", "");
    const { deps } = await run(["peers", "list", "--home", home]);
    assertMatch(deps.stdout.text, /old\s+legacy/);
    assertMatch(
      deps.stdout.text,
      /1 legacy entry is trusted both ways; settle with `opendesk peers role NAME controller\|remote`/,
    );
  });
});

Deno.test("runPeers() reports a corrupt trust file and leaves it untouched", async () => {
  await withHome(async (home) => {
    await Deno.writeTextFile(`${home}/trusted-peers.json`, "[{broken");
    const { code, deps } = await run(["peers", "--home", home]);
    assertEquals(code, 1);
    assertMatch(deps.stderr.text, /^error: Cannot read trusted peers from .*trusted-peers\.json/);
    assertEquals(await Deno.readTextFile(`${home}/trusted-peers.json`), "[{broken");
  });
});

Deno.test("runUnpair() removes the peer even when no server runs", async () => {
  await withHome(async (home) => {
    const store = new TrustStore(home);
    store.add(key(0x7b), "laptop", "controller");
    store.setDefaultPeer("laptop");
    const { code, deps } = await run(["unpair", "laptop", "--home", home]);
    assertEquals([code, deps.stdout.text], [0, "No longer trusting laptop\n"]);
    assertEquals(new TrustStore(home).list().length, 0);
    assertEquals(new TrustStore(home).defaultPeer(), null);
    const again = await run(["peers", "remove", "laptop", "--home", home]);
    assertEquals(again.code, 1);
    assertMatch(again.deps.stderr.text, /laptop/);
  });
});

Deno.test("runSessions() and runDisconnect() say that no server runs", async () => {
  await withHome(async (home) => {
    for (const command of ["sessions", "disconnect"]) {
      const { code, deps } = await run([command, "--home", home]);
      assertEquals(code, 1);
      assertEquals(
        deps.stderr.text,
        `error: No opendesk server is running for ${home}: start one with \`opendesk serve\`\n`,
      );
    }
  });
});

Deno.test("runAudit() prints records, filters by peer and limit, and checks --date", async () => {
  await withHome(async (home) => {
    const identity = Identity.generate();
    const log = new AuditLog(home);
    log.sessionOpened({ key: identity.publicKey, name: "laptop" }, {
      sessionId: "abcd1234",
      remoteAddr: "127.0.0.1:5000",
      mode: "serve",
    });
    log.call({ key: identity.publicKey, name: "laptop" }, {
      sessionId: "abcd1234",
      method: "input.text",
      summary: "type 2 chars: 'hi'",
    });
    log.call({ key: key(1), name: "other" }, {
      sessionId: "ffff0000",
      method: "fs.read",
      summary: "read file: /etc/hosts",
    });
    await log.close();
    const all = await run(["audit", "--home", home]);
    assertEquals(all.code, 0);
    const lines = all.deps.stdout.text.trimEnd().split("\n");
    assertEquals(lines.length, 3);
    assertMatch(lines[1]!, /call\s+laptop {2}type 2 chars: 'hi' {2}ok/);
    const filtered = await run(["audit", "--peer", "oth", "--home", home]);
    assertEquals(filtered.deps.stdout.text.trimEnd().split("\n").length, 1);
    const limited = await run(["audit", "--limit", "1", "--json", "--home", home]);
    assertEquals(JSON.parse(limited.deps.stdout.text).peer.name, "other");
    const empty = await run(["audit", "--date", "2001-01-01", "--home", home]);
    assertEquals([empty.code, empty.deps.stderr.text], [0, "No audit records for 2001-01-01\n"]);
    assertEquals((await run(["audit", "--date", "yesterday", "--home", home])).code, 2);
  });
});

Deno.test("runAudit() --follow prints new records until interrupted", async () => {
  await withHome(async (home) => {
    const deps = createTestDeps();
    const running = main(["audit", "-f", "--home", home], deps);
    await waitFor(() => deps.stderr.text.includes("Following the audit log"), "the follow banner");
    // The follower takes the file's size just after the banner, at a moment the test cannot
    // see: append a record until one is printed (each append lands after some point in time,
    // so one lands after the follower's start), within a bound.
    const deadline = Date.now() + 10_000;
    while (!deps.stdout.text.includes("session.rejected")) {
      if (Date.now() > deadline) throw new Error("audit --follow printed no appended record");
      const log = new AuditLog(home);
      log.sessionRejected({ key: null, name: "" }, {
        remoteAddr: "10.9.9.9:1",
        reason: "auth_failed: untrusted_peer",
      });
      await log.close();
      await waitFor(() => deps.stdout.text.includes("session.rejected"), "a record", 2_000)
        .catch(() => {});
    }
    deps.interrupt();
    assertEquals(await running, 0);
    assertMatch(
      deps.stdout.text,
      /session\.rejected\s+-\s+remote_addr=10\.9\.9\.9:1\s+reason=auth_failed: untrusted_peer/,
    );
  });
});
