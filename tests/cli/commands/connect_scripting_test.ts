/**
 * `opendesk connect` as a script step: exit statuses, what goes to standard
 * output and standard error, and stopping at the first failing line. A real
 * `serve` (in-process, fake desktop) over the encrypted loopback link; the
 * shell commands run for real.
 */
import { main } from "../../../src/cli/main.ts";
import { connect } from "../../../src/remote/client.ts";
import { startServe } from "../_util/serve_harness.ts";
import { createTestDeps, type TestDeps } from "../_util/test_deps.ts";
import { assertEquals, assertMatch } from "../_util/assert.ts";

async function cli(args: string[], input?: string[]): Promise<{ code: number; deps: TestDeps }> {
  const deps = createTestDeps();
  if (input) {
    deps.feed(...input);
    deps.end();
  }
  const code = await main(args, deps);
  return { code, deps };
}

async function withPairedServer(
  fn: (connect: (...args: string[]) => string[], serverHome: string) => Promise<void>,
): Promise<void> {
  const serverHome = await Deno.makeTempDir({ prefix: "opendesk_srv_" });
  const clientHome = await Deno.makeTempDir({ prefix: "opendesk_cli_" });
  const serve = await startServe(serverHome, ["--approve", "auto"]);
  try {
    const paired = await cli([
      "pair-with",
      "127.0.0.1",
      serve.code()!,
      "--port",
      String(serve.port),
      "--name",
      "lab",
      "--home",
      clientHome,
    ]);
    assertEquals(paired.code, 0, paired.deps.stderr.text);
    await fn((...args) => ["connect", "lab", "--home", clientHome, ...args], serverHome);
  } finally {
    assertEquals(await serve.stop(), 0);
    await Deno.remove(serverHome, { recursive: true });
    await Deno.remove(clientHome, { recursive: true });
  }
}

Deno.test("connect -c exits with the remote command's exit status", async () => {
  await withPairedServer(async (connect) => {
    const cases: { line: string; code: number; stdout: string }[] = [
      { line: "sh exit 3", code: 3, stdout: "" },
      { line: "sh echo out; echo err >&2; exit 7", code: 7, stdout: "out\n" },
      { line: "sh echo fine", code: 0, stdout: "fine\n" },
      { line: 'process.exec argv=["/bin/sh", "-c", "exit 4"]', code: 4, stdout: "" },
    ];
    for (const { line, code, stdout } of cases) {
      const run = await cli(connect("-c", line));
      assertEquals(run.code, code, `${line}: ${run.deps.stderr.text}`);
      assertEquals(run.deps.stdout.text, stdout, line);
      assertMatch(run.deps.stderr.text, /^Connected to lab \(backend fake, \d+ capabilities\)\n/);
      assertMatch(run.deps.stderr.text, new RegExp(`\\[exit ${code} in \\d+ ms\\]\\n$`));
    }
    const stderrOfCommand = await cli(connect("-c", "sh echo err >&2"));
    assertMatch(stderrOfCommand.deps.stderr.text, /\nerr\n\[exit 0 in \d+ ms\]\n$/);
  });
});

Deno.test("connect stops a script at its first failing line unless --keep-going", async () => {
  await withPairedServer(async (connect) => {
    const script = ["sh echo one", "fs.read /nonexistent-opendesk-file", "sh echo two"];
    const stopped = await cli(connect(), script);
    assertEquals(stopped.code, 1);
    assertEquals(stopped.deps.stdout.text, "one\n");
    assertMatch(stopped.deps.stderr.text, /error: fs\.read failed \(not_found\)/);
    assertMatch(
      stopped.deps.stderr.text,
      /Stopped at the failing line: fs\.read \/nonexistent-opendesk-file\n$/,
    );

    const kept = await cli(connect("--keep-going"), script);
    assertEquals(kept.code, 1);
    assertEquals(kept.deps.stdout.text, "one\ntwo\n");

    const remoteFailure = await cli(connect(), ["sh exit 5", "sh echo never"]);
    assertEquals(remoteFailure.code, 5);
    assertEquals(remoteFailure.deps.stdout.text, "");

    const oneShot = await cli(connect("-c", "sh exit 2", "-c", "sh echo never"));
    assertEquals([oneShot.code, oneShot.deps.stdout.text], [2, ""]);
    const oneShotKept = await cli(
      connect("--keep-going", "-c", "sh exit 2", "-c", "sh echo after"),
    );
    assertEquals([oneShotKept.code, oneShotKept.deps.stdout.text], [2, "after\n"]);
  });
});

Deno.test("connect to a paired machine whose server stopped says nothing listens, at once", async () => {
  const serverHome = await Deno.makeTempDir({ prefix: "opendesk_srv_" });
  const clientHome = await Deno.makeTempDir({ prefix: "opendesk_cli_" });
  try {
    const serve = await startServe(serverHome, ["--approve", "auto"]);
    const paired = await cli([
      "pair-with",
      "127.0.0.1",
      serve.code()!,
      "--port",
      String(serve.port),
      "--name",
      "lab",
      "--home",
      clientHome,
    ]);
    assertEquals(paired.code, 0, paired.deps.stderr.text);
    assertEquals(await serve.stop(), 0);
    // A 60 s connect deadline: the refusal must not wait for it (nor for an mDNS browse).
    const run = await cli([
      "connect",
      "lab",
      "--home",
      clientHome,
      "--timeout",
      "60",
      "-c",
      "sh true",
    ]);
    assertEquals(run.code, 1);
    assertEquals(
      run.deps.stderr.text,
      `error: Cannot reach lab: nothing is listening on 127.0.0.1:${serve.port} — ` +
        "is `opendesk serve` running there?\n",
    );
  } finally {
    await Deno.remove(serverHome, { recursive: true });
    await Deno.remove(clientHome, { recursive: true });
  }
});

Deno.test("--json prints one JSON document per result: connect -c, peers, describe", async () => {
  await withPairedServer(async (connect) => {
    const run = await cli(
      connect("--json", "--keep-going", "-c", "sh printf hi", "-c", "fs.stat /nonexistent-od"),
    );
    assertEquals(run.code, 1);
    const docs = run.deps.stdout.text.trimEnd().split("\n").map((l) => JSON.parse(l));
    assertEquals(docs.length, 2);
    assertEquals(docs[0].method, "process.shell");
    assertEquals(docs[0].result.returncode, 0);
    assertEquals(atob(docs[0].result.stdout.$base64), "hi");
    assertEquals(docs[1].method, "fs.stat");
    assertEquals(docs[1].error.code, "not_found");

    const home = connect()[3]!;
    const peers = await cli(["peers", "--json", "--home", home]);
    const [peer, ...more] = peers.deps.stdout.text.trimEnd().split("\n").map((l) => JSON.parse(l));
    assertEquals(more, []);
    assertEquals([peer.name, peer.role, peer.last_host, peer.default], [
      "lab",
      "remote",
      "127.0.0.1",
      false,
    ]);
    assertEquals(peer.public_key.length, 64);

    const describe = await cli(["describe", "--json", "--home", home]);
    assertEquals(JSON.parse(describe.deps.stdout.text), { description: "" });
  });
});

Deno.test("connect after the server unpaired this controller says it was refused, and why", async () => {
  await withPairedServer(async (connect, serverHome) => {
    const home = connect()[3]!;
    const peers = await cli(["peers", "--json", "--home", serverHome]);
    const controller = JSON.parse(peers.deps.stdout.text.trim().split("\n")[0]!);
    const removed = await cli(["peers", "remove", controller.name, "--home", serverHome]);
    assertEquals(removed.code, 0, removed.deps.stderr.text);
    const run = await cli(["connect", "lab", "--home", home, "-c", "sh true"]);
    assertEquals(run.code, 1);
    assertMatch(
      run.deps.stderr.text,
      /^error: Cannot connect to lab: lab refused this controller: either it no longer trusts this controller \(it was unpaired there\) or its identity changed/,
    );
  });
});

Deno.test("a second connection of the same controller leaves an interactive session alone unless --takeover", async () => {
  await withPairedServer(async (connectArgs) => {
    const home = connectArgs()[3]!;
    const repl = await connect("lab", { home, interactive: true, takeover: false, mdns: false });
    try {
      const evictions: string[] = [];
      using _ = repl.onPush((topic, payload) => {
        if (topic === "session.evicted") evictions.push(String(payload.reason));
      });
      const refused = await cli(connectArgs("-c", "sh echo second"));
      assertEquals(refused.code, 1);
      assertMatch(
        refused.deps.stderr.text,
        /another session of this controller \(.*\) is open and interactive; connect with --takeover/,
      );
      assertEquals(refused.deps.stdout.text, "");
      // The interactive session was not touched.
      const still = await repl.call("fs.stat", { path: "/" });
      assertEquals(still?.is_dir, true);

      const taken = await cli(connectArgs("--takeover", "-c", "sh echo second"));
      assertEquals([taken.code, taken.deps.stdout.text], [0, "second\n"], taken.deps.stderr.text);
      assertEquals(await repl.closed.then(() => evictions), ["replaced"]);
    } finally {
      await repl.close();
    }
  });
});

Deno.test("a connection that says nothing about takeover replaces the session, as the original's does", async () => {
  await withPairedServer(async (connectArgs) => {
    const home = connectArgs()[3]!;
    const first = await connect("lab", { home, interactive: true, mdns: false });
    const second = await connect("lab", { home, mdns: false, autoReconnect: false });
    try {
      assertMatch(await first.closed, /replaced/);
      assertEquals((await second.call("fs.stat", { path: "/" }))?.is_dir, true);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
