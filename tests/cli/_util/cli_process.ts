/**
 * Running opendesk as its own process, for the tests that need real
 * processes (end to end, virtual sessions, real terminals): where the entry
 * point and the native library are, the `serve` command line they share,
 * reading a child's output as it grows, and waiting for a condition.
 *
 * @module
 */

import { DENO_DIR } from "./deno_dir.ts";
import { printedCode } from "./serve_harness.ts";

/** Path of the CLI's entry point, for `deno run`. */
export const MAIN: string = new URL("../../../src/cli/main.ts", import.meta.url).pathname;

/** Path of the native shim as `deno run -A scripts/build_native.ts` builds it. */
export const NATIVE_LIB: string =
  new URL("../../../build/native/libopendesk.so", import.meta.url).pathname;

/** Arguments of `deno` that run the opendesk command `args`. */
export function cliArgs(...args: string[]): string[] {
  return ["run", "-A", "--unstable-net", MAIN, ...args];
}

/**
 * Arguments of `deno` that run `opendesk serve` for `home` on 127.0.0.1, a
 * free port, without mDNS; `extra` follows (e.g. `--approve auto`).
 */
export function serveArgs(home: string, extra: string[] = []): string[] {
  return cliArgs(
    "serve",
    "--home",
    home,
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--no-mdns",
    ...extra,
  );
}

/** True when `command` is a file in one of the `PATH` directories. */
export function onPath(command: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${command}`).isFile;
    } catch {
      return false;
    }
  });
}

/** Reads a child's stream into a growing string; `done` settles at its end. */
export function collect(
  stream: ReadableStream<Uint8Array>,
): { text: () => string; done: Promise<void> } {
  let text = "";
  const decoder = new TextDecoder();
  const done = (async () => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  })();
  return { text: () => text, done };
}

/** Waits until `predicate` holds, checking every 50 ms; fails naming `what` after `timeoutMs`. */
export async function until(
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

/** Runs a command to its end and returns its standard output; throws with its stderr if it fails. */
export async function run(
  cmd: string,
  args: string[],
  envVars?: Record<string, string>,
): Promise<string> {
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

/** The whole environment of a command run in a test terminal (tmux) for `home`. */
export function terminalEnv(home: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    DENO_DIR,
    TERM: "xterm-256color",
  };
}

/** An `opendesk serve` child with its output read as it comes. */
export interface ServeChild {
  child: Deno.ChildProcess;
  out: { text: () => string; done: Promise<void> };
  err: { text: () => string; done: Promise<void> };
  /** True once the process has ended. */
  exited(): boolean;
  /** Waits until it says it listens; throws with its output when it ends first. */
  listening(): Promise<void>;
}

/** Starts `deno` with `args` (see {@linkcode serveArgs}) and exactly the environment `env`. */
export function spawnServe(args: string[], env: Record<string, string>): ServeChild {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  let exited = false;
  child.status.then(() => (exited = true));
  return {
    child,
    out,
    err,
    exited: () => exited,
    async listening(): Promise<void> {
      await until(() => /listening on ws:/.test(out.text()) || exited, "the server to listen");
      if (exited) throw new Error(`serve exited early:\n${out.text()}\n${err.text()}`);
    },
  };
}

/**
 * Runs the opendesk command `args` as its own process with exactly the environment `env`,
 * `input` (if any) as its standard input, and returns its exit code and output.
 */
export async function runOpendesk(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string | undefined; input?: string | undefined } = {},
): Promise<{ code: number; out: string; err: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgs(...args),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env,
    clearEnv: true,
    stdin: options.input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.input));
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

/**
 * Runs `pair-with` as its own process (in a terminal environment) for `clientHome`, with the
 * port and pairing code a serve printed in `serveOutput`, and names the peer `name`.
 */
export async function pairWithPrinted(
  serveOutput: string,
  clientHome: string,
  name: string,
): Promise<void> {
  const port = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(serveOutput)![1]!;
  const code = printedCode(serveOutput)!;
  await run(
    Deno.execPath(),
    cliArgs("pair-with", "127.0.0.1", code, "--port", port, "--name", name, "--home", clientHome),
    terminalEnv(clientHome),
  );
}
