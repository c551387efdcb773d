/**
 * A real `opendesk serve` process on a headless sway, paired with the
 * opendesk client of this process (the real pairing handshake, encrypted
 * WebSocket on 127.0.0.1), and a line reader for helper processes. Used by
 * the Wayland end-to-end test and `bench:capture --driver wayland`.
 */

import { pairWith } from "../../../../src/remote/client.ts";
import type { ClientSession } from "../../../../src/remote/client_session.ts";
import { DENO_DIR } from "../../../cli/_util/deno_dir.ts";
import { printedCode } from "../../../cli/_util/serve_harness.ts";
import type { Sway } from "../../../native/wayland/_sway_fixture.ts";

const MAIN = new URL("../../../../src/cli/main.ts", import.meta.url).pathname;
const NATIVE_LIB = new URL("../../../../build/native/libopendesk.so", import.meta.url).pathname;

/** Reads a stream into a growing string. */
export function collect(stream: ReadableStream<Uint8Array>): {
  text: () => string;
  done: Promise<void>;
} {
  let text = "";
  const decoder = new TextDecoder();
  const done = (async () => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  })();
  return { text: () => text, done };
}

/** Waits until `predicate` holds (checked as output arrives), or fails after `timeoutMs`. */
export async function until(
  predicate: () => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The running server and the paired session. */
export interface ServeOnSway {
  /** The controller's session. */
  session: ClientSession;
  /** What serve printed on stdout so far. */
  stdout: () => string;
  /** What serve printed on stderr so far. */
  stderr: () => string;
  /** Closes the session, stops serve with SIGINT and returns its exit code. */
  stop(): Promise<number>;
}

/** Starts `opendesk serve` on `sway` (no DISPLAY: only Wayland) and pairs with it. */
export async function serveOnSway(sway: Sway): Promise<ServeOnSway> {
  const root = await Deno.makeTempDir({ prefix: "opendesk-wayland-e2e-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      MAIN,
      "serve",
      "--home",
      `${root}/server`,
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--no-mdns",
      "--approve",
      "auto",
    ],
    env: { ...sway.env, HOME: root, DENO_DIR, OPENDESK_NATIVE_LIB: NATIVE_LIB },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  let exited = false;
  child.status.then(() => (exited = true));
  const stopChild = async (): Promise<number> => {
    try {
      child.kill("SIGINT");
    } catch {
      // already exited
    }
    const status = await child.status;
    await Promise.all([out.done, err.done]);
    await Deno.remove(root, { recursive: true }).catch(() => {});
    return status.code;
  };
  try {
    await until(() => printedCode(out.text()) !== undefined || exited, "the pairing code", 60_000);
    if (exited) throw new Error(`serve exited early:\n${out.text()}\n${err.text()}`);
    const port = Number(/listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out.text())![1]);
    const session = await pairWith(`127.0.0.1:${port}`, printedCode(out.text())!, {
      home: `${root}/client`,
      name: "sway",
      mdns: false,
      autoReconnect: false,
    });
    return {
      session,
      stdout: out.text,
      stderr: err.text,
      async stop(): Promise<number> {
        await session.close();
        return await stopChild();
      },
    };
  } catch (error) {
    await stopChild();
    throw error;
  }
}

/** A child process whose stdout is read line by line and whose stdin takes lines. */
export interface LineProcess {
  /** Resolves with the next line that matches `pattern`. */
  line(pattern: RegExp, what: string): Promise<string>;
  /** Writes one line to the child's stdin. */
  send(line: string): Promise<void>;
  /** Closes stdin and waits for the child. */
  stop(): Promise<void>;
}

/** Starts `argv` with `env` and reads its output lines. */
export function spawnLines(argv: string[], env: Record<string, string>): LineProcess {
  const child = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = collect(child.stdout);
  let seen = 0;
  const writer = child.stdin.getWriter();
  return {
    async line(pattern, what) {
      let found: string | undefined;
      await until(() => {
        const lines = out.text().split("\n").slice(0, -1);
        for (; seen < lines.length && found === undefined; seen++) {
          if (pattern.test(lines[seen]!)) found = lines[seen]!;
        }
        return found !== undefined;
      }, what);
      return found!;
    },
    send: (line) => writer.write(new TextEncoder().encode(`${line}\n`)),
    async stop() {
      await writer.close().catch(() => {});
      await child.status;
      await out.done;
    },
  };
}
