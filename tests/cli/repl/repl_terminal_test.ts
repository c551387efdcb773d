/**
 * The REPL in a real terminal (tmux): Tab completion of methods and
 * parameter names, history with the Up key, and a server push printed on
 * its own line. The server and the controller are real processes.
 */
import { printedCode } from "../_util/serve_harness.ts";
import { assert, assertMatch } from "../_util/assert.ts";
import { DENO_DIR } from "../_util/deno_dir.ts";

const MAIN = new URL("../../../src/cli/main.ts", import.meta.url).pathname;
const CI = Deno.env.get("CI") === "true";
const hasTmux = (() => {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();
if (!hasTmux && !CI) console.log("repl terminal test skipped: tmux is not installed");

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
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test({
  name:
    "Repl in a real terminal completes with Tab, recalls history, prints pushes on their own line",
  ignore: !hasTmux && !CI,
  fn: async () => {
    const serverHome = await Deno.makeTempDir({ prefix: "opendesk_tty_srv_" });
    const clientHome = await Deno.makeTempDir({ prefix: "opendesk_tty_cli_" });
    const socket = `opendesk-test-${crypto.randomUUID().slice(0, 8)}`;
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
      ],
      env: env(serverHome),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    let out = "";
    const reading = (async () => {
      for await (const chunk of serve.stdout) out += new TextDecoder().decode(chunk);
    })();
    const tmux = (...args: string[]): Promise<string> => run("tmux", ["-L", socket, ...args]);
    const pane = (): Promise<string> => tmux("capture-pane", "-p", "-t", "repl");
    try {
      await until(() => printedCode(out) !== undefined, "the pairing code");
      const port = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]!;
      await run(Deno.execPath(), [
        "run",
        "-A",
        "--unstable-net",
        MAIN,
        "pair-with",
        "127.0.0.1",
        printedCode(out)!,
        "--port",
        port,
        "--name",
        "box",
        "--home",
        clientHome,
      ], env(clientHome));
      const command = [
        Deno.execPath(),
        "run",
        "-A",
        "--unstable-net",
        MAIN,
        "connect",
        "box",
        "--home",
        clientHome,
      ]
        .map((w) => `'${w}'`).join(" ");
      const vars = Object.entries(env(clientHome)).map(([k, v]) => `${k}='${v}'`).join(" ");
      await tmux(
        "new-session",
        "-d",
        "-s",
        "repl",
        "-x",
        "150",
        "-y",
        "40",
        `env -i ${vars} ${command}; sleep 30`,
      );
      await until(async () => (await pane()).includes("opendesk:box>"), "the prompt");
      assertMatch(await pane(), /Connected to box \(local\/\w+\)\. Tab completes/);

      await tmux("send-keys", "-t", "repl", "fs.li", "Tab");
      await until(
        async () => (await pane()).includes("opendesk:box> fs.list"),
        "method completion",
      );
      await tmux("send-keys", "-t", "repl", " pa", "Tab");
      await until(
        async () => (await pane()).includes("opendesk:box> fs.list path="),
        "parameter completion",
      );
      // The controller's home (the server's own home is protected and would need approval).
      await tmux("send-keys", "-t", "repl", clientHome, "Enter");
      await until(async () => /identity\.key/.test(await pane()), "the listing");

      await tmux("send-keys", "-t", "repl", "Up");
      await until(
        async () => (await pane()).trimEnd().endsWith(`opendesk:box> fs.list path=${clientHome}`),
        "history recall",
      );
      await tmux("send-keys", "-t", "repl", "C-u");
      // A Tab amid other keys (one burst, as readline sees a paste) completes or does nothing;
      // it never inserts a TAB character into the line.
      await tmux("send-keys", "-t", "repl", 'sh echo "[', "Tab", 'x"', "Enter");
      await until(async () => /^\[exit 0 in \d+ ms\]$/m.test(await pane()), "the shell's answer");
      assertMatch(await pane(), /^opendesk:box> sh echo "\[x"\n\[x\n/m);
      await tmux("send-keys", "-t", "repl", "sh echo par");
      await until(
        async () => (await pane()).trimEnd().endsWith("opendesk:box> sh echo par"),
        "typed input",
      );

      await run(
        Deno.execPath(),
        ["run", "-A", MAIN, "disconnect", "--home", serverHome],
        env(serverHome),
      );
      await until(
        async () =>
          /\[box\] the controlled machine ended this session: the person at that machine ended it/
            .test(
              await pane(),
            ),
        "the push",
      );
      const lines = (await pane()).split("\n");
      const notice = lines.find((l) => l.includes("the controlled machine ended this session"))!;
      assert(notice.startsWith("[box] "), `the push starts its own line: '${notice}'`);
      await until(async () => /The session with box ended/.test(await pane()), "the ending");
      const history = await Deno.readTextFile(`${clientHome}/repl_history`);
      assertMatch(history, new RegExp(`^fs\\.list path=${clientHome}\\n`));
    } finally {
      await run("tmux", ["-L", socket, "kill-server"]).catch(() => "");
      serve.kill("SIGINT");
      await serve.status;
      await reading;
      await Deno.remove(serverHome, { recursive: true });
      await Deno.remove(clientHome, { recursive: true });
    }
  },
});
