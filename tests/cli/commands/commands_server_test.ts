import { TrustStore } from "../../../src/auth/trust_store.ts";
import { main } from "../../../src/cli/main.ts";
import { runPair } from "../../../src/cli/commands/pair.ts";
import { FakeComputer } from "../../../src/computer/drivers/fake/fake_computer.ts";
import { printedCode, startServe } from "../_util/serve_harness.ts";
import { createTestDeps, type TestDeps, waitFor } from "../_util/test_deps.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";

async function tempHomes(): Promise<{ server: string; client: string; cleanup(): Promise<void> }> {
  const server = await Deno.makeTempDir({ prefix: "opendesk_srv_" });
  const client = await Deno.makeTempDir({ prefix: "opendesk_cli_" });
  return {
    server,
    client,
    cleanup: async () => {
      await Deno.remove(server, { recursive: true });
      await Deno.remove(client, { recursive: true });
    },
  };
}

async function cli(
  args: string[],
  deps: TestDeps = createTestDeps(),
): Promise<{ code: number; deps: TestDeps }> {
  const code = await main(args, deps);
  return { code, deps };
}

Deno.test("serve prints the pairing box; pair-with pairs; connect -c runs commands", async () => {
  const homes = await tempHomes();
  const serve = await startServe(homes.server, ["--approve", "auto"]);
  try {
    const out = serve.deps.stdout.text;
    assertMatch(out, /approval: auto/);
    assertMatch(out, /┌─+┐\n│ +│\n│ {3}PAIRING CODE {3}\d{3} \d{3} +│/);
    assertMatch(out, new RegExp(`opendesk pair-with 127\\.0\\.0\\.1 \\d{6} --port ${serve.port}`));
    const code = serve.code()!;
    const paired = await cli([
      "pair-with",
      "127.0.0.1",
      code,
      "--port",
      String(serve.port),
      "--name",
      "lab",
      "--home",
      homes.client,
    ]);
    assertEquals(paired.code, 0, paired.deps.stderr.text);
    assertMatch(
      paired.deps.stdout.text,
      /^Paired with 127\.0\.0\.1:\d+ \(fingerprint [0-9a-f:]{19}, backend fake\)\.\nSaved as 'lab'\. Connect with: opendesk connect lab\n$/,
    );
    assertEquals(new TrustStore(homes.client).get("lab")?.role, "remote");
    assertEquals(new TrustStore(homes.server).list().map((p) => p.role), ["controller"]);
    await waitFor(
      () => /paired with controller 'peer-[0-9a-f]{6}'/.test(serve.deps.stdout.text),
      "paired event",
    );

    const run = await cli([
      "connect",
      "lab",
      "--home",
      homes.client,
      "-c",
      "click 10 20",
      "-c",
      "type hi",
      "-c",
      "apps.list",
    ]);
    assertEquals(run.code, 0, run.deps.stderr.text);
    assertMatch(
      run.deps.stdout.text,
      /^clicked left at \(10, 20\)\ntyped 2 characters\nEditor\nTerminal\n$/,
    );
    assertMatch(run.deps.stderr.text, /^Connected to lab \(backend fake, \d+ capabilities\)\n$/);
    assertEquals(serve.fake!.typed, "hi");
    const failing = await cli([
      "connect",
      "lab",
      "--home",
      homes.client,
      "-c",
      "fs.read /nonexistent-opendesk",
    ]);
    assertEquals(failing.code, 1);
    assertMatch(failing.deps.stderr.text, /error: fs\.read failed \(not_found\)/);
  } finally {
    assertEquals(await serve.stop(), 0);
    await homes.cleanup();
  }
  assertMatch(serve.deps.stdout.text, /Shutting down…\n/);
});

Deno.test("pair-with reports a wrong code, and serve reports the burned code", async () => {
  const homes = await tempHomes();
  const serve = await startServe(homes.server);
  try {
    const right = serve.code()!;
    const wrong = right === "000000" ? "111111" : "000000";
    const result = await cli([
      "pair-with",
      "127.0.0.1",
      wrong,
      "--port",
      String(serve.port),
      "--home",
      homes.client,
    ]);
    assertEquals(result.code, 1);
    assertMatch(
      result.deps.stderr.text,
      /^error: Cannot pair with 127\.0\.0\.1:\d+: The pairing code did not match, and that code is now void: ask the person at the other machine to arm a new one \(`opendesk pair` there\)/,
    );
    await waitFor(() => serve.deps.stdout.text.includes("!! "), "the burned-code line");
    assertMatch(
      serve.deps.stdout.text,
      /!! pairing attempt from 127\.0\.0\.1.*failed.*opendesk pair/i,
    );
    const again = await cli([
      "pair-with",
      "127.0.0.1",
      right,
      "--port",
      String(serve.port),
      "--home",
      homes.client,
    ]);
    assertEquals(again.code, 1, "a burned code never works again");
    assertEquals(new TrustStore(homes.client).list().length, 0);
  } finally {
    await serve.stop();
    await homes.cleanup();
  }
});

Deno.test("pair-with and connect check their arguments and targets", async () => {
  const homes = await tempHomes();
  try {
    const badCode = await cli(["pair-with", "127.0.0.1", "12345", "--home", homes.client]);
    assertEquals(badCode.code, 2);
    assertMatch(
      badCode.deps.stderr.text,
      /6 digits, got '12345'\nRun `opendesk pair-with --help` for usage\n$/,
    );
    const noPeer = await cli(["connect", "--home", homes.client]);
    assertEquals(noPeer.code, 1);
    assertMatch(noPeer.deps.stderr.text, /^error: .*(default|pair-with)/);
    const unknown = await cli(["connect", "nosuchpeer", "--home", homes.client]);
    assertEquals(unknown.code, 1);
    assertMatch(unknown.deps.stderr.text, /nosuchpeer/);
    const refused = await cli([
      "pair-with",
      "127.0.0.1",
      "123456",
      "--port",
      "1",
      "--home",
      homes.client,
      "--timeout",
      "2",
    ]);
    assertEquals(refused.code, 1);
    assertMatch(
      refused.deps.stderr.text,
      /^error: Cannot reach 127\.0\.0\.1:1: nothing is listening on 127\.0\.0\.1:1 — is `opendesk serve` running there\?\n$/,
    );
  } finally {
    await homes.cleanup();
  }
});

Deno.test("serve asks on its terminal before a gated action (consent prompt)", async () => {
  const homes = await tempHomes();
  const serve = await startServe(homes.server, ["--approve", "console"], { tty: true });
  try {
    assertMatch(serve.deps.stdout.text, /approval: console/);
    const paired = await cli([
      "pair-with",
      "127.0.0.1",
      serve.code()!,
      "--port",
      String(serve.port),
      "--name",
      "lab",
      "--home",
      homes.client,
    ]);
    assertEquals(paired.code, 0, paired.deps.stderr.text);
    const running = cli([
      "connect",
      "lab",
      "--home",
      homes.client,
      "-c",
      "sh echo approved",
      "-c",
      "fs.stat /",
    ]);
    await waitFor(() => serve.deps.stderr.text.includes("Allow? [y/a/t/N]"), "the consent prompt");
    assertMatch(
      serve.deps.stderr.text,
      /\[opendesk\] peer-[0-9a-f]{6} wants to run shell: 'echo approved'\. Allow\? \[y\/a\/t\/N\] /,
    );
    serve.deps.feed("y");
    const result = await running;
    assertEquals(result.code, 0, result.deps.stderr.text);
    assertEquals(result.deps.stdout.text.split("\n")[0], "approved");
    assertMatch(result.deps.stderr.text, /\[exit 0 in \d+ ms\]/);
    const denied = cli(["connect", "lab", "--home", homes.client, "-c", "sh echo nope"]);
    await waitFor(
      () => serve.deps.stderr.text.includes("wants to run shell: 'echo nope'. Allow?"),
      "the prompt for 'echo nope'",
    );
    serve.deps.feed("n");
    const refused = await denied;
    assertEquals(refused.code, 1);
    assertMatch(
      refused.deps.stderr.text,
      /error: process\.shell was refused on the controlled machine: .*denied/,
    );
  } finally {
    await serve.stop();
    await homes.cleanup();
  }
});

Deno.test("serve without a display says so and serves files and processes", async () => {
  const homes = await tempHomes();
  const serve = await startServe(homes.server, ["--approve", "observe"], { fake: false });
  try {
    assertMatch(
      serve.deps.stderr.text,
      /^warning: Display and input are unavailable: wayland: no Wayland session \(WAYLAND_DISPLAY is not set\); x11: no X display/,
    );
    assertMatch(serve.deps.stderr.text, /win32: the Windows driver runs on Windows only/);
    assertMatch(serve.deps.stdout.text, /Serving files, processes and system information only\.\n/);
    assertMatch(serve.deps.stdout.text, /approval: observe/);
  } finally {
    assertEquals(await serve.stop(), 0);
    await homes.cleanup();
  }
});

Deno.test("serve --driver fake says which driver it chose and why", async () => {
  const homes = await tempHomes();
  const serve = await startServe(homes.server, ["--driver", "fake"], { fake: false });
  try {
    assertMatch(
      serve.deps.stdout.text,
      /Using desktop driver 'fake' \(asked for with --driver\)\.\n/,
    );
    assertEquals(serve.deps.stderr.text.includes("unavailable"), false);
  } finally {
    assertEquals(await serve.stop(), 0);
    await homes.cleanup();
  }
});

Deno.test("serve --driver with an unknown name is a usage error naming the drivers", async () => {
  const homes = await tempHomes();
  const run = await cli(["serve", "--home", homes.server, "--driver", "quartz", "--no-mdns"]);
  try {
    assertEquals(run.code, 2);
    assertMatch(
      run.deps.stderr.text,
      /Unknown desktop driver 'quartz': this build has wayland, x11, win32, fake/,
    );
  } finally {
    await homes.cleanup();
  }
});

Deno.test("sessions lists the active session and disconnect ends it; the REPL says why", async () => {
  const homes = await tempHomes();
  const serve = await startServe(homes.server, ["--approve", "auto"]);
  try {
    assertEquals(
      (await cli([
        "pair-with",
        "127.0.0.1",
        serve.code()!,
        "--port",
        String(serve.port),
        "--name",
        "lab",
        "--home",
        homes.client,
      ])).code,
      0,
    );
    const replDeps = createTestDeps();
    const repl = main(["connect", "lab", "--home", homes.client], replDeps);
    replDeps.feed("sh echo in-session");
    await waitFor(() => replDeps.stdout.text.includes("in-session"), "the REPL session");
    const listed = await cli(["sessions", "--home", homes.server]);
    assertEquals(listed.code, 0);
    assertMatch(
      listed.deps.stdout.text,
      /^ID\s+PEER\s+ADDRESS\s+MODE\s+AGE\n[0-9a-f]{8}\s+peer-[0-9a-f]{6}\s+127\.0\.0\.1:\d+\s+(serve|pair)\s/,
    );
    const oldName = /peer-[0-9a-f]{6}/.exec(listed.deps.stdout.text)![0];
    const renamed = await cli(["peers", "rename", oldName, "desk", "--home", homes.server]);
    assertEquals(renamed.code, 0, renamed.deps.stderr.text);
    const relisted = (await cli(["sessions", "--home", homes.server])).deps.stdout.text;
    assertMatch(
      relisted,
      /^ID\s+PEER\s+ADDRESS\s+MODE\s+AGE\n[0-9a-f]{8}\s+desk\s+127\.0\.0\.1:\d+\s+(serve|pair)\s+\d+ s\n$/,
    );
    const json = (await cli(["sessions", "--json", "--home", homes.server])).deps.stdout.text;
    const doc = JSON.parse(json);
    assertEquals([doc.peer_name, doc.mode, typeof doc.age_seconds], ["desk", "serve", "number"]);
    const kicked = await cli(["disconnect", "--home", homes.server]);
    assertEquals([kicked.code, kicked.deps.stdout.text], [0, "Disconnected 1 session(s)\n"]);
    assertEquals(await repl, 1);
    assertMatch(
      replDeps.stderr.text,
      /the controlled machine ended this session: the person at that machine ended it \(`opendesk disconnect` there\)\n/,
    );
    assertMatch(
      replDeps.stderr.text,
      /The session with lab ended: the person at that machine ended it/,
    );
    assert(!replDeps.stderr.text.includes("admin_disconnect"), replDeps.stderr.text);
    assertEquals(
      (await cli(["sessions", "--home", homes.server])).deps.stdout.text,
      "No active session\n",
    );
    const none = await cli(["disconnect", "nope1234", "--home", homes.server]);
    assertEquals(none.code, 1);
  } finally {
    await serve.stop();
    await homes.cleanup();
  }
});

Deno.test("pair arms a window on the running server through the admin socket", async () => {
  const homes = await tempHomes();
  const serve = await startServe(homes.server, ["--approve", "auto"]);
  try {
    const first = serve.code()!;
    assertEquals(
      (await cli([
        "pair-with",
        "127.0.0.1",
        first,
        "--port",
        String(serve.port),
        "--name",
        "a",
        "--home",
        homes.client,
      ])).code,
      0,
    );
    const armed = await cli(["pair", "--code", "424242", "--home", homes.server]);
    assertEquals(armed.code, 0, armed.deps.stderr.text);
    assertMatch(armed.deps.stdout.text, /PAIRING CODE {3}424 242/);
    assertMatch(armed.deps.stdout.text, new RegExp(`port ${serve.port}`));
    const second = await Deno.makeTempDir();
    try {
      const paired = await cli([
        "pair-with",
        "127.0.0.1",
        "424242",
        "--port",
        String(serve.port),
        "--home",
        second,
      ]);
      assertEquals(paired.code, 0, paired.deps.stderr.text);
    } finally {
      await Deno.remove(second, { recursive: true });
    }
    assertEquals(new TrustStore(homes.server).list().length, 2);
    assertEquals((await cli(["pair", "--code", "12", "--home", homes.server])).code, 2);
  } finally {
    await serve.stop();
    await homes.cleanup();
  }
});

Deno.test("pair without a running server serves until the new controller's session ends", async () => {
  const homes = await tempHomes();
  const deps = createTestDeps();
  const fake = new FakeComputer();
  const running = runPair(
    [
      "--home",
      homes.server,
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--no-mdns",
      "--approve",
      "auto",
      "--timeout",
      "60",
    ],
    deps,
    { backend: () => Promise.resolve({ computer: fake, reason: null }) },
  );
  try {
    await waitFor(() => printedCode(deps.stdout.text) !== undefined, "the pairing box");
    assertMatch(
      deps.stdout.text,
      /^No server is running here; serving until the controller has paired\.\n/,
    );
    const port = Number(/listening on ws:\/\/[^:]+:(\d+)/.exec(deps.stdout.text)![1]);
    const paired = await cli([
      "pair-with",
      "127.0.0.1",
      printedCode(deps.stdout.text)!,
      "--port",
      String(port),
      "--home",
      homes.client,
    ]);
    assertEquals(paired.code, 0, paired.deps.stderr.text);
    assertEquals(await running, 0);
    assertMatch(deps.stdout.text, /paired with controller/);
    assert(new TrustStore(homes.server).list().length === 1);
  } finally {
    deps.interrupt();
    deps.end();
    await running.catch(() => 0);
    await homes.cleanup();
  }
});

Deno.test("pair-with reports success when the paired machine is busy with another session", async () => {
  const homes = await tempHomes();
  const serve = await startServe(homes.server, ["--approve", "auto"]);
  const second = await Deno.makeTempDir({ prefix: "opendesk_cli2_" });
  try {
    const first = await cli([
      "pair-with",
      "127.0.0.1",
      serve.code()!,
      "--port",
      String(serve.port),
      "--name",
      "lab",
      "--home",
      homes.client,
    ]);
    assertEquals(first.code, 0, first.deps.stderr.text);
    const replDeps = createTestDeps();
    const repl = main(["connect", "lab", "--home", homes.client], replDeps);
    replDeps.feed("sh echo in-session");
    await waitFor(() => replDeps.stdout.text.includes("in-session"), "the first session");
    const armed = await cli(["pair", "--code", "515151", "--home", homes.server]);
    assertEquals(armed.code, 0, armed.deps.stderr.text);
    const paired = await cli([
      "pair-with",
      "127.0.0.1",
      "515151",
      "--port",
      String(serve.port),
      "--name",
      "lab2",
      "--home",
      second,
    ]);
    assertEquals(paired.code, 0, paired.deps.stderr.text);
    assertMatch(
      paired.deps.stdout.text,
      /^Paired with 127\.0\.0\.1:\d+ \(fingerprint [0-9a-f:]{19}\)\.\nSaved as 'lab2'\./,
    );
    assertMatch(paired.deps.stderr.text, /^note: the machine is busy right now/);
    assertEquals(new TrustStore(second).get("lab2")?.role, "remote");
    replDeps.end();
    assertEquals(await repl, 0);
  } finally {
    await serve.stop();
    await homes.cleanup();
    await Deno.remove(second, { recursive: true });
  }
});
