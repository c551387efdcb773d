import assert from "node:assert/strict";
import { HostComputer } from "../../../src/computer/host/host_computer.ts";
import { runCommand } from "../../../src/computer/host/run_command.ts";
import { AbortError, type RemoteError } from "../../../src/protocol/errors.ts";
import { livePidsWith, openSession, rejection, tempDir, waitUntil, within } from "../_session.ts";

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function marker(): string {
  // A unique sleep duration identifies this test's processes in /proc.
  return `31${Math.floor(Math.random() * 1e6)}`;
}

Deno.test("process.shell runs through /bin/sh and reports returncode, stdout, stderr and duration", async () => {
  await using s = await openSession(new HostComputer());
  const started = performance.now();
  const done = await s.remote.shell("echo out; echo err >&2; exit 3");
  const elapsedSeconds = (performance.now() - started) / 1000;
  assert.equal(done.returncode, 3);
  assert.equal(text(done.stdout), "out\n");
  assert.equal(text(done.stderr), "err\n");
  // In seconds: positive and within the call's own round trip (whatever the machine's load).
  assert.ok(done.duration > 0 && done.duration <= elapsedSeconds, `duration ${done.duration}`);
  const killed = await s.remote.shell("kill -9 $$");
  assert.equal(killed.returncode, -9);
});

Deno.test("process.shell merges env over the server's environment and honours cwd (with ~)", async () => {
  await using dir = await tempDir();
  await using s = await openSession(new HostComputer());
  const done = await s.remote.shell(
    'printf "%s|%s|%s" "$OPENDESK_T" "$(pwd)" "${PATH:+has-path}"',
    {
      env: { OPENDESK_T: "v1" },
      cwd: dir.path,
    },
  );
  assert.equal(text(done.stdout), `v1|${await Deno.realPath(dir.path)}|has-path`);
  const home = await s.remote.shell("pwd", { cwd: "~" });
  assert.equal(text(home.stdout).trim(), await Deno.realPath(Deno.env.get("HOME")!));
});

Deno.test("process.exec passes argv without a shell and feeds stdin bytes", async () => {
  await using s = await openSession(new HostComputer());
  const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 256);
  const cat = await s.remote.exec(["cat"], { stdin: bytes });
  assert.equal(cat.returncode, 0);
  assert.deepEqual(cat.stdout, bytes);
  const literal = await s.remote.exec(["printf", "%s", "$HOME; rm -rf /"]);
  assert.equal(text(literal.stdout), "$HOME; rm -rf /");
});

Deno.test("process.exec and process.shell report bad programs and directories clearly", async () => {
  await using s = await openSession(new HostComputer());
  const cases: [() => Promise<unknown>, string, RegExp][] = [
    [
      () => s.remote.exec(["opendesk-no-such-program"]),
      "not_found",
      /program 'opendesk-no-such-program' was not found/,
    ],
    [
      () => s.remote.exec(["ls"], { cwd: "/nonexistent/dir" }),
      "not_found",
      /working directory '\/nonexistent\/dir' does not exist/,
    ],
    [
      () => s.remote.shell("true", { cwd: "/etc/hostname" }),
      "invalid_argument",
      /is not a directory/,
    ],
  ];
  for (const [run, expected, message] of cases) {
    const error = await rejection(run);
    assert.equal((error as unknown as RemoteError).code, expected, error.message);
    assert.match(error.message, message);
  }
});

Deno.test("process.shell timeout kills the whole process tree and answers timeout", async () => {
  const tag = marker();
  await using s = await openSession(new HostComputer());
  // The sleeps last for weeks: only the 0.5 s timeout can end the call (bounded against a hang).
  const error = await within(
    rejection(() =>
      s.remote.shell(`sleep ${tag} & sleep ${tag} & sh -c 'sleep ${tag}'; echo never`, {
        timeout: 0.5,
      })
    ),
    "the timed-out shell",
  );
  assert.equal((error as unknown as RemoteError).code, "timeout");
  assert.match(error.message, /timed out after 0\.5 s/);
  assert.ok(
    await waitUntil(async () => (await livePidsWith(`sleep\0${tag}`)).length === 0),
    "children survived",
  );
});

Deno.test("process.exec timeout also kills children that started their own session", async () => {
  const tag = marker();
  await using s = await openSession(new HostComputer());
  const error = await rejection(() =>
    s.remote.exec(["sh", "-c", `setsid sleep ${tag} & sleep ${tag}`], { timeout: 0.4 })
  );
  assert.equal((error as unknown as RemoteError).code, "timeout");
  assert.ok(
    await waitUntil(async () => (await livePidsWith(`sleep\0${tag}`)).length === 0),
    "children survived",
  );
});

Deno.test("A cancelled process.exec kills the process on the server", async () => {
  const tag = marker();
  await using s = await openSession(new HostComputer());
  const controller = new AbortController();
  const running = s.remote.exec(["sh", "-c", `sleep ${tag}; sleep ${tag}`], {}, {
    signal: controller.signal,
  });
  assert.ok(
    await waitUntil(async () => (await livePidsWith(`sleep\0${tag}`)).length > 0),
    "never started",
  );
  controller.abort();
  const error = await rejection(() => running);
  assert.ok(error instanceof AbortError, String(error));
  assert.ok(
    await waitUntil(async () => (await livePidsWith(`sleep\0${tag}`)).length === 0),
    "process survived",
  );
});

Deno.test("runCommand() rejects with AbortError and kills the tree when the signal aborts", async () => {
  const tag = marker();
  const controller = new AbortController();
  const running = runCommand(["sh", "-c", `sleep ${tag} & wait`], {
    timeout: null,
    cwd: null,
    env: null,
    stdin: null,
    maxOutputBytes: 1024,
    signal: controller.signal,
    label: "test",
  });
  assert.ok(await waitUntil(async () => (await livePidsWith(`sleep\0${tag}`)).length > 0));
  controller.abort();
  assert.ok((await rejection(() => running)) instanceof AbortError);
  assert.ok(await waitUntil(async () => (await livePidsWith(`sleep\0${tag}`)).length === 0));
});

Deno.test("process.shell output over the limit is stopped with invalid_argument naming the limit", async () => {
  await using s = await openSession(new HostComputer({ maxPayloadBytes: 64 * 1024 }));
  // `yes` never ends: only the output limit can end the call (bounded against a hang).
  const error = await within(
    rejection(() => s.remote.shell("yes opendesk-flood")),
    "the flooding shell",
  );
  assert.equal((error as unknown as RemoteError).code, "invalid_argument");
  assert.match(error.message, /exceeded the limit of 65536 bytes/);
  assert.match(error.message, /fs\.read/);
  assert.ok(await waitUntil(async () => (await livePidsWith("opendesk-flood")).length === 0));
  const fits = await s.remote.shell("head -c 60000 /dev/zero");
  assert.equal(fits.stdout.length, 60000);
});

Deno.test("process.list lists real processes with pid, name, ppid and cmdline", async () => {
  await using s = await openSession(new HostComputer());
  const list = await s.remote.processes();
  const me = list.find((p) => p.pid === Deno.pid);
  assert.ok(me, "the test process is listed");
  assert.equal(
    me.ppid,
    Number((await Deno.readTextFile(`/proc/${Deno.pid}/stat`)).split(") ")[1]!.split(" ")[1]),
  );
  assert.ok(me.cmdline.some((arg) => arg.includes("deno")), me.cmdline.join(" "));
  assert.ok(list.some((p) => p.pid === 1));
});
