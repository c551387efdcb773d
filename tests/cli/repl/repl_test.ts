import type { DispatcherOptions } from "../../../src/computer/methods/dispatcher.ts";
import { HostComputer } from "../../../src/computer/host/host_computer.ts";
import { PermissionDeniedError } from "../../../src/protocol/errors.ts";
import { Repl } from "../../../src/cli/repl/repl.ts";
import { replMethods } from "../../../src/cli/repl/repl_methods.ts";
import { openLoopbackSession } from "../_util/loopback_session.ts";
import { createTestDeps, type TestDeps, waitFor } from "../_util/test_deps.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";

const methods = replMethods();

async function withRepl(
  lines: string[],
  fn: (result: { deps: TestDeps; code: number; dir: string; repl: Repl }) => Promise<void> | void,
  options: DispatcherOptions = {},
  prepare?: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opendesk_repl_" });
  await prepare?.(dir);
  const loop = await openLoopbackSession(new HostComputer({ backend: "host-test" }), options);
  try {
    const deps = createTestDeps({ cwd: dir });
    const repl = new Repl({
      session: loop.session,
      methods,
      deps,
      historyFile: `${dir}/repl_history`,
      // These tests look at every line's output, so the script runs past failures.
      keepGoing: true,
    });
    deps.feed(...lines);
    deps.end();
    const code = await repl.run();
    await fn({ deps, code, dir, repl });
  } finally {
    await loop.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("Repl.run() runs ls, cat and sh against a real host backend", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/hello.txt`, "hello from the far side\n");
    await Deno.mkdir(`${dir}/sub`);
    await withRepl(
      [`ls ${dir}`, `cat ${dir}/hello.txt`, `sh echo "a  b" && exit 3`],
      ({ deps, code }) => {
        assertEquals(code, 3);
        const out = deps.stdout.text;
        assertMatch(out, /NAME\s+SIZE\s+MODIFIED\s+MODE\nsub\/.*\nhello\.txt\s+24 B/);
        assertMatch(out, /hello from the far side\n/);
        assertMatch(out, /a {2}b\n$/);
        assertMatch(deps.stderr.text, /^\[exit 3 in \d+ ms\]\n$/);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Repl.run() calls methods with the concise syntax and positionals", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withRepl([
      `fs.mkdir ${dir}/a/b`,
      `fs.write path=${dir}/a/b/f.txt data="line one"`,
      `fs.stat ${dir}/a/b/f.txt`,
      `process.exec argv=["/bin/sh", "-c", "echo $0", "zero"]`,
    ], ({ deps }) => {
      assertMatch(deps.stderr.text, /^\[exit 0 in \d+ ms\]\n$/);
      assertMatch(deps.stdout.text, /^ok\nok\n/);
      assertMatch(deps.stdout.text, /name: f\.txt\nis_dir: \n?/);
      assertMatch(deps.stdout.text, /size: 8\n/);
      assertMatch(deps.stdout.text, /zero\n$/);
    });
    assertEquals(await Deno.readTextFile(`${dir}/a/b/f.txt`), "line one");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Repl.run() reports argument errors locally, naming the parameter", async () => {
  await withRepl([
    "fs.read",
    "input.pointer action=jump point.x=1 point.y=2",
    "fs.list pth=/tmp",
    `type "unterminated`,
    "fs.lst /",
    "click 10",
  ], ({ deps, code }) => {
    assertEquals(code, 1);
    const lines = deps.stderr.text.trimEnd().split("\n");
    assertEquals(lines, [
      "error: Missing parameter 'path' (string) for fs.read: try `:help fs.read`",
      "error: Parameter 'action' must be one of move, down, up, scroll, got 'jump'",
      "error: Unknown parameter 'pth' for fs.list: expected one of path",
      'error: Unterminated quote starting at column 6: close it with "',
      "error: Unknown command 'fs.lst': did you mean fs.list? (type :help for the list)",
      "error: Missing Y: click X Y [left|right|middle] [--double]",
    ]);
    assertEquals(deps.stdout.text, "");
  });
});

Deno.test("Repl.run() words remote errors with their code and a hint", async () => {
  await withRepl([
    "fs.read /nonexistent/opendesk-test-file",
    "screenshot",
  ], ({ deps }) => {
    const err = deps.stderr.text;
    assertMatch(err, /^error: fs\.stat|^error: fs\.read failed \(not_found\): /m);
    assertMatch(err, /error: display\.capture is not available there: .*\(see :caps\)/);
  });
});

Deno.test("Repl.run() shows a policy refusal as refused on the controlled machine", async () => {
  await withRepl(["sh true"], ({ deps }) => {
    assertMatch(
      deps.stderr.text,
      /^error: process\.shell was refused on the controlled machine: testbox → no\n$/,
    );
  }, {
    policy: () => Promise.reject(new PermissionDeniedError("testbox → no")),
  });
});

Deno.test("Repl.run() answers :help, :help keys, :caps, :raw and :timing", async () => {
  await withRepl([
    ":help",
    ":help input.pointer",
    ":help keys",
    ":caps",
    ":timing on",
    "process.list",
    ":timing",
    ":raw on",
    `fs.stat /`,
    ":raw last",
    ":quit",
    "sh echo never-run",
  ], ({ deps, code }) => {
    assertEquals(code, 0);
    const out = deps.stdout.text;
    assertMatch(out, /commands:\n {2}click X Y/);
    assertMatch(out, /ui\.action +.*\(also ui\.perform\)/);
    assertMatch(out, /input\.pointer \(action\)\n/);
    assertMatch(out, /event: \{action, point, button.*\(required\)/);
    assertMatch(out, /action: "move" \| "down" \| "up" \| "scroll" \(required\)/);
    assertMatch(out, /key names \(case-insensitive/);
    assertMatch(out, /fn: accepted and ignored on X11/);
    assertMatch(out, /backend: host-test {2}protocol 0\.1/);
    assertMatch(
      out,
      /absent \(why, and what to install or run\):\n {2}display\.capture, display\.multi_monitor, .*: this server has no desktop driver \(no display connection\)\n {2}input\.pen, .*ocr, .*: opendesk does not implement it yet\n/,
    );
    assertMatch(out, /timing on\n/);
    assertMatch(out, /METHOD\s+CALLS\s+P50\s+MEAN\s+MAX\nprocess\.list\s+1\s/);
    assertMatch(out, /raw on\n\{\n {2}"path": "\/",/);
    assert(!out.includes("never-run"), "lines after :quit are not run");
    assertMatch(deps.stderr.text, /\(process\.list: [\d.]+ (ms|µs|s)\)/);
  });
});

Deno.test("Repl.run() writes the history file with mode 0600", async () => {
  await withRepl(["fs.stat /", "  ", "# a comment", ":caps"], async ({ dir }) => {
    assertEquals(await Deno.readTextFile(`${dir}/repl_history`), "fs.stat /\n:caps\n");
    assertEquals((await Deno.stat(`${dir}/repl_history`)).mode! & 0o777, 0o600);
  });
});

Deno.test("Repl.run() moves files with get and put, chunked for big files", async () => {
  const remoteDir = await Deno.makeTempDir();
  try {
    const big = new Uint8Array(9 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff;
    await Deno.writeFile(`${remoteDir}/big.bin`, big);
    await withRepl([
      `get ${remoteDir}/big.bin`,
      `put big.bin ${remoteDir}/copy.bin`,
      `get ${remoteDir}/missing.bin`,
    ], async ({ deps, dir, repl }) => {
      assertMatch(deps.stdout.text, new RegExp(`saved ${dir}/big\\.bin \\(${big.length} bytes\\)`));
      assertMatch(
        deps.stdout.text,
        new RegExp(`wrote ${remoteDir}/copy\\.bin \\(${big.length} bytes\\)`),
      );
      assertMatch(deps.stderr.text, /big\.bin \[#{24}\] 100% 9\.0 MiB\/9\.0 MiB/);
      assertMatch(deps.stderr.text, /error: fs\.stat failed \(not_found\)/);
      assertEquals(await Deno.readFile(`${dir}/big.bin`), big);
      assertEquals(repl.state.timings.get("fs.read")?.length, 3);
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assertEquals(names, ["big.bin", "repl_history"]);
    });
    assertEquals(await Deno.readFile(`${remoteDir}/copy.bin`), big);
  } finally {
    await Deno.remove(remoteDir, { recursive: true });
  }
});

Deno.test("Repl.run() says clearly that the connection was lost and exits 1", async () => {
  const dir = await Deno.makeTempDir();
  const loop = await openLoopbackSession(new HostComputer());
  try {
    const deps = createTestDeps({ cwd: dir });
    const repl = new Repl({ session: loop.session, methods, deps });
    deps.feed("fs.stat /");
    const running = repl.run();
    await waitFor(() => repl.state.timings.get("fs.stat")?.length === 1, "the first fs.stat");
    loop.server.close("server going away");
    deps.feed("fs.stat /");
    const code = await running;
    assertEquals(code, 1);
    assertMatch(deps.stderr.text, /\[testbox\] connection lost: /);
    assertMatch(
      deps.stderr.text,
      /The connection to testbox ended \(.*\); run `opendesk connect` again/,
    );
  } finally {
    await loop.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Repl.run() reconnects after a lost connection when it can", async () => {
  const dir = await Deno.makeTempDir();
  const first = await openLoopbackSession(new HostComputer());
  let second: Awaited<ReturnType<typeof openLoopbackSession>> | undefined;
  try {
    const deps = createTestDeps({ cwd: dir });
    const repl = new Repl({
      session: first.session,
      methods,
      deps,
      reconnect: async () => {
        second = await openLoopbackSession(new HostComputer(), { label: "testbox" });
        return second.session;
      },
      keepGoing: true,
    });
    const running = repl.run();
    first.server.close("restart");
    await first.client.closed;
    deps.feed("fs.stat /");
    await waitFor(() => deps.stderr.text.includes("Reconnected to testbox"), "the reconnection");
    deps.feed("sh echo after-reconnect");
    deps.end();
    assertEquals(await running, 1, "the line that met the lost connection failed");
    assertMatch(deps.stderr.text, /Reconnecting to testbox…\nReconnected to testbox/);
    assertMatch(deps.stdout.text, /after-reconnect\n/);
  } finally {
    await first.close();
    await second?.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Repl put sends a file bigger than one frame in parts joined on the far side", async () => {
  const remoteDir = await Deno.makeTempDir();
  try {
    await withRepl(
      [`put huge.bin ${remoteDir}/`],
      async ({ deps }) => {
        assertEquals(deps.stderr.text.includes("error"), false, deps.stderr.text);
        assertMatch(
          deps.stdout.text,
          new RegExp(`wrote ${remoteDir}/huge\\.bin \\(${HUGE.length} bytes\\)`),
        );
        assertEquals(await Deno.readFile(`${remoteDir}/huge.bin`), HUGE);
        assertEquals([...Deno.readDirSync(remoteDir)].map((e) => e.name), ["huge.bin"]);
      },
      {},
      async (dir) => await Deno.writeFile(`${dir}/huge.bin`, HUGE),
    );
  } finally {
    await Deno.remove(remoteDir, { recursive: true });
  }
});

const HUGE = (() => {
  const data = new Uint8Array(26 * 1024 * 1024 + 5);
  for (let i = 0; i < data.length; i += 1000) data[i] = (i / 1000) & 0xff;
  return data;
})();
