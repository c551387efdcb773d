/**
 * `opendesk serve --virtual-display WxH --wm` as a separate process: it runs
 * a whole private desktop (Xvfb, session bus, AT-SPI, openbox) and leaves no
 * process behind when it exits.
 */
import { listProcesses, procState } from "../../../src/computer/host/process_list.ts";
import { startVirtualDisplay } from "../../../src/computer/drivers/x11/virtual_display.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";
import { DENO_DIR } from "../_util/deno_dir.ts";
import { printedCode } from "../_util/serve_harness.ts";

const MAIN = new URL("../../../src/cli/main.ts", import.meta.url).pathname;
const NATIVE_LIB = new URL("../../../build/native/libopendesk.so", import.meta.url).pathname;
const CI = Deno.env.get("CI") === "true";

function onPath(command: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${command}`).isFile;
    } catch {
      return false;
    }
  });
}

function missing(): string | null {
  if (Deno.build.os !== "linux") return "not Linux";
  for (const tool of ["Xvfb", "dbus-daemon", "openbox"]) {
    if (!onPath(tool)) return `${tool} is not installed (see scripts/setup.sh)`;
  }
  try {
    Deno.statSync(NATIVE_LIB);
  } catch {
    return "the native shim is not built (deno run -A scripts/build_native.ts)";
  }
  return null;
}

const why = missing();
if (why && !CI) console.log(`skipping serve --virtual-display tests: ${why}`);

/** Reads a stream into a growing string. */
function collect(stream: ReadableStream<Uint8Array>): { text: () => string; done: Promise<void> } {
  let text = "";
  const decoder = new TextDecoder();
  const done = (async () => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  })();
  return { text: () => text, done };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs an opendesk command as its own process; `input` is its stdin. */
async function cli(args: string[], home: string, input?: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", MAIN, ...args, "--home", home],
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, DENO_DIR },
    clearEnv: true,
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
  }
  const output = await child.output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assertEquals(output.code, 0, text);
  return text;
}

/** Every process below `root`, with its command line. */
async function tree(root: number): Promise<Array<{ pid: number; cmd: string }>> {
  const all = await listProcesses();
  const out: Array<{ pid: number; cmd: string }> = [];
  const stack = [root];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    for (const p of all) {
      if (p.ppid === parent) {
        out.push({ pid: p.pid, cmd: p.cmdline.join(" ") || p.name });
        stack.push(p.pid);
      }
    }
  }
  return out;
}

Deno.test({
  name: "opendesk serve --virtual-display --wm runs a private desktop and stops all of it",
  ignore: why !== null && !CI,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "opendesk_vs_srv_" });
    const serve = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--unstable-net",
        MAIN,
        "serve",
        "--home",
        home,
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--no-mdns",
        "--approve",
        "auto",
        "--virtual-display",
        "800x600",
        "--wm",
      ],
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: home,
        DENO_DIR,
        OPENDESK_NATIVE_LIB: NATIVE_LIB,
        // The outer session's variables must not reach the private one.
        AT_SPI_BUS_ADDRESS: "unix:path=/nonexistent/outer-a11y-bus",
        XDG_SESSION_ID: "outer",
        DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/outer-bus",
      },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = collect(serve.stdout);
    const err = collect(serve.stderr);
    let exited = false;
    serve.status.then(() => (exited = true));
    try {
      await until(() => /listening on ws:/.test(out.text()) || exited, "the server to listen");
      if (exited) throw new Error(`serve exited early:\n${out.text()}\n${err.text()}`);
      assertMatch(out.text(), /virtual display :\d+ \(800x600\) started/);
      const port = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out.text())![1]!;
      await until(() => printedCode(out.text()) !== undefined, "the pairing code");
      const client = await Deno.makeTempDir({ prefix: "opendesk_vs_cli_" });
      try {
        const code = printedCode(out.text())!;
        await cli(["pair-with", "127.0.0.1", code, "--port", port, "--name", "vs"], client);
        // Commands run in the served session: its display, bus and runtime directory.
        const session = await cli(
          ["connect", "vs"],
          client,
          [
            "sh xdotool getdisplaygeometry",
            'sh echo "runtime=$XDG_RUNTIME_DIR"',
            'sh echo "outer=${AT_SPI_BUS_ADDRESS-unset},${XDG_SESSION_ID-unset}"',
            "sh dbus-send --session --print-reply --dest=org.freedesktop.DBus / " +
            "org.freedesktop.DBus.ListNames",
            ":quit",
          ].join("\n") + "\n",
        );
        assertMatch(session, /^800 600$/m);
        assertMatch(session, /^runtime=\/.*opendesk-session-[^/\s]+$/m);
        assertMatch(session, /"org\.a11y\.Bus"/);
        assertMatch(session, /^outer=unset,unset$/m);
      } finally {
        await Deno.remove(client, { recursive: true });
      }
      const started = await tree(serve.pid);
      const commands = started.map((p) => p.cmd).join("\n");
      for (const part of [/Xvfb/, /dbus-daemon --session/, /at-spi-bus-launcher/, /openbox/]) {
        assertMatch(commands, part);
      }
      serve.kill("SIGINT");
      const status = await serve.status;
      await Promise.all([out.done, err.done]);
      assertEquals(status.code, 0, err.text());
      const left: string[] = [];
      for (const p of started) {
        const state = await procState(p.pid);
        if (state !== null && state !== "Z" && state !== "X") left.push(`${p.pid} ${p.cmd}`);
      }
      assertEquals(left, [], "no process of the session is left after serve exits");
      assert(!/warning: no (session bus|AT-SPI)/.test(err.text()), err.text());
    } finally {
      if (!exited) serve.kill("SIGKILL");
      await serve.status;
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name: "opendesk serve names each absent capability's reason and remedy at start-up",
  ignore: why !== null && !CI,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "opendesk_abs_srv_" });
    // The only program on PATH: loginctl as it answers without systemd-logind.
    await Deno.writeTextFile(
      `${home}/loginctl`,
      "#!/bin/sh\necho 'System has not been booted with systemd as init system.' >&2\nexit 1\n",
      { mode: 0o755 },
    );
    const xvfb = await startVirtualDisplay({
      width: 640,
      height: 480,
      extraArgs: ["-extension", "XTEST", "-extension", "RANDR"],
    });
    const serve = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--unstable-net",
        MAIN,
        "serve",
        "--home",
        home,
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--no-mdns",
      ],
      env: {
        PATH: home,
        HOME: home,
        DENO_DIR,
        OPENDESK_NATIVE_LIB: NATIVE_LIB,
        DISPLAY: xvfb.display,
      },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = collect(serve.stdout);
    const err = collect(serve.stderr);
    let exited = false;
    serve.status.then(() => (exited = true));
    try {
      await until(() => /listening on ws:/.test(out.text()) || exited, "the server to listen");
      if (exited) throw new Error(`serve exited early:\n${out.text()}\n${err.text()}`);
      const lines = err.text().split("\n").filter((l) => l.startsWith("absent: "));
      const expected = [
        /^absent: display\.multi_monitor: the X server lacks the RandR extension/,
        /^absent: input\.pointer, input\.keyboard, input\.text: the X server lacks the XTEST extension/,
        /^absent: ui\.tree, ui\.actions, notifications\.list: no session bus .*--virtual-display WxH/,
        /^absent: power\.lock: no screen locker can lock this session: 'loginctl show-session auto --property=Id' failed: System has not been booted .*\(run inside a systemd-logind session\)$/,
      ];
      assertEquals(lines.length, expected.length, err.text());
      expected.forEach((pattern, i) => assertMatch(lines[i]!, pattern));
      assert(!/opendesk does not implement/.test(err.text()), "unimplemented ones are not listed");
      serve.kill("SIGINT");
      assertEquals((await serve.status).code, 0, err.text());
    } finally {
      if (!exited) serve.kill("SIGKILL");
      await serve.status;
      await Promise.all([out.done, err.done]);
      await xvfb.stop();
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name: "opendesk serve --virtual-display's session ends with the server even when it is killed",
  ignore: why !== null && !CI,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "opendesk_vs_kill_" });
    const serve = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-net", MAIN, "serve", "--home", home, "--host", "127.0.0.1"]
        .concat(["--port", "0", "--no-mdns", "--virtual-display", "640x480", "--wm"]),
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: home,
        DENO_DIR,
        OPENDESK_NATIVE_LIB: NATIVE_LIB,
      },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = collect(serve.stdout);
    const err = collect(serve.stderr);
    let exited = false;
    serve.status.then(() => (exited = true));
    let runtimeDir = "";
    try {
      await until(() => /listening on ws:/.test(out.text()) || exited, "the server to listen");
      if (exited) throw new Error(`serve exited early:\n${out.text()}\n${err.text()}`);
      const started = await tree(serve.pid);
      runtimeDir = /unix:path=(\S+)\/bus/.exec(started.map((p) => p.cmd).join("\n"))?.[1] ?? "";
      assertMatch(started.map((p) => p.cmd).join("\n"), /openbox/);
      serve.kill("SIGKILL"); // no chance to stop anything itself
      await serve.status;
      await Promise.all([out.done, err.done]);
      const alive = async () => {
        const left: string[] = [];
        for (const p of started) {
          const state = await procState(p.pid);
          if (state !== null && state !== "Z" && state !== "X") left.push(`${p.pid} ${p.cmd}`);
        }
        return left;
      };
      // The services get SIGTERM from the kernel when the server dies; wait until they exit.
      const deadline = Date.now() + 10_000;
      let left = await alive();
      while (left.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await alive();
      }
      assertEquals(left, [], "every process of the session ended with the server");
    } finally {
      if (!exited) serve.kill("SIGKILL");
      await serve.status;
      await Deno.remove(home, { recursive: true });
      if (runtimeDir.includes("opendesk-session-")) {
        await Deno.remove(runtimeDir, { recursive: true }).catch(() => {});
      }
    }
  },
});
