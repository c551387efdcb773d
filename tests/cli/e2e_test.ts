/**
 * End to end, as a person would run it: the real `opendesk serve` process
 * (on its own virtual X display when Xvfb and the native shim are there),
 * `opendesk pair-with` with the code it printed, and `opendesk connect` with
 * a scripted REPL session (screenshot, click, type, ls, sh).
 */
import { decodePng } from "../../src/cli/render/_png_decode.ts";
import { readAudit } from "../../src/remote/audit_reader.ts";
import { printedCode } from "./_util/serve_harness.ts";
import { assert, assertEquals, assertMatch } from "./_util/assert.ts";
import { DENO_DIR } from "./_util/deno_dir.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const NATIVE_LIB = new URL("../../build/native/libopendesk.so", import.meta.url).pathname;
const CI = Deno.env.get("CI") === "true";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => exists(`${dir}/${command}`));
}

/** Why the desktop part cannot run here, or null. */
function desktopMissing(): string | null {
  if (Deno.build.os !== "linux") return "not Linux";
  if (!onPath("Xvfb")) return "Xvfb is not installed";
  if (!exists(NATIVE_LIB)) {
    return "the native shim is not built (deno run -A scripts/build_native.ts)";
  }
  return null;
}

function env(home: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    OPENDESK_IMAGES: "none",
    DENO_DIR,
  };
}

async function cli(
  args: string[],
  home: string,
  cwd: string,
  input?: string,
): Promise<{ code: number; out: string; err: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", MAIN, ...args],
    cwd,
    env: env(home),
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
  const decoder = new TextDecoder();
  return {
    code: output.code,
    out: decoder.decode(output.stdout),
    err: decoder.decode(output.stderr),
  };
}

/** Reads a child's stream into a growing string. */
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

const missing = desktopMissing();
if (missing && !CI) console.log(`e2e: the desktop part (virtual display) is skipped: ${missing}`);

Deno.test("opendesk serve, pair-with and connect work end to end as separate processes", async () => {
  if (missing && CI) {
    throw new Error(`CI=true but the desktop prerequisites are missing: ${missing}`);
  }
  const desktop = missing === null;
  const serverHome = await Deno.makeTempDir({ prefix: "opendesk_e2e_srv_" });
  const clientHome = await Deno.makeTempDir({ prefix: "opendesk_e2e_cli_" });
  const work = await Deno.makeTempDir({ prefix: "opendesk_e2e_work_" });
  await Deno.writeTextFile(`${work}/remote-note.txt`, "note\n");
  const serve = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      MAIN,
      "serve",
      "--home",
      serverHome,
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--no-mdns",
      "--approve",
      "auto",
      ...(desktop ? ["--virtual-display", "800x600"] : []),
    ],
    env: { ...env(serverHome), ...(desktop ? { OPENDESK_NATIVE_LIB: NATIVE_LIB } : {}) },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = collect(serve.stdout);
  const err = collect(serve.stderr);
  let stopped = false;
  let exited = false;
  serve.status.then(() => (exited = true));
  try {
    await until(() => printedCode(out.text()) !== undefined || exited, "the pairing code");
    if (exited) throw new Error(`serve exited early:\n${out.text()}\n${err.text()}`);
    const port = Number(/listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out.text())![1]);
    const code = printedCode(out.text())!;
    if (!desktop) assertMatch(err.text(), /Display and input are unavailable/);

    const paired = await cli(
      [
        "pair-with",
        "127.0.0.1",
        code,
        "--port",
        String(port),
        "--name",
        "e2e",
        "--home",
        clientHome,
      ],
      clientHome,
      work,
    );
    assertEquals(paired.code, 0, paired.err);
    assertMatch(paired.out, /Saved as 'e2e'\. Connect with: opendesk connect e2e/);

    const script = [
      "screenshot shot.png",
      "click 100 120",
      `type "hello e2e"`,
      `ls ${work}`,
      "sh echo from-the-shell",
      ":quit",
    ].join("\n") + "\n";
    const session = await cli(
      ["connect", "e2e", "--home", clientHome, "--keep-going"],
      clientHome,
      work,
      script,
    );
    assertMatch(session.out, /remote-note\.txt\s+5 B/);
    assertMatch(session.out, /from-the-shell\n/);
    assertMatch(session.err, /\[exit 0 in \d+ ms\]\n/);
    if (desktop) {
      assertEquals(session.code, 0, session.err);
      assertMatch(session.err, /^\[exit 0 in \d+ ms\]\n$/);
      assertMatch(
        session.out,
        new RegExp(`saved ${work}/shot\\.png \\(png 800×600, logical 800×600, `),
      );
      assertMatch(session.out, /clicked left at \(100, 120\)\ntyped 9 characters\n/);
      const image = decodePng(await Deno.readFile(`${work}/shot.png`));
      assertEquals([image.width, image.height], [800, 600]);
      const display = /virtual display (:\d+)/.exec(out.text())![1]!;
      const where = await new Deno.Command("xdotool", {
        args: ["getmouselocation"],
        env: { DISPLAY: display, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
        clearEnv: true,
      }).output();
      assertMatch(new TextDecoder().decode(where.stdout), /^x:100 y:120 /);
    } else {
      assertMatch(session.err, /error: display\.capture is not available there: .*\(see :caps\)/);
    }

    serve.kill("SIGINT");
    stopped = true;
    const status = await serve.status;
    await Promise.all([out.done, err.done]);
    assertEquals(status.code, 0, err.text());
    assertMatch(out.text(), /Shutting down…/);
    const audit = await readAudit(serverHome);
    const methods = audit.filter((r) => r.type === "call").map((r) => String(r.method));
    assert(methods.includes("process.shell"), methods.join());
    assert(methods.includes("fs.list"), methods.join());
    if (desktop) {
      assert(methods.includes("input.pointer") && methods.includes("input.text"), methods.join());
    }
  } finally {
    if (!stopped && !exited) {
      serve.kill("SIGKILL");
      await serve.status;
      await Promise.allSettled([out.done, err.done]);
    }
    for (const dir of [serverHome, clientHome, work]) await Deno.remove(dir, { recursive: true });
  }
});
