/**
 * A real `opendesk serve` in its own process for the end-to-end benchmark
 * rows, and `opendesk connect` runs against it, both through the CLI a user
 * types. The two homes trust each other ahead of time (as `pair-with` would
 * leave them), so every connection runs the real authentication handshake
 * and encryption.
 *
 * @module
 */

import { Identity } from "../src/auth/identity.ts";
import { TrustStore } from "../src/auth/trust_store.ts";

const MAIN = new URL("../src/cli/main.ts", import.meta.url).pathname;

/** A running `opendesk serve` and what a controller needs to reach it. */
export interface ServeChild {
  /** `ws://127.0.0.1:<port>#<server key>`. */
  target: string;
  /** The controller's home. */
  clientHome: string;
  /** The server process id (for its memory figures). */
  pid: number;
  /** The X display of `--virtual-display`, e.g. `:1`. */
  display?: string;
  stop(): Promise<void>;
}

/** The command line that runs the opendesk CLI with `args`. */
export function opendeskArgs(args: string[]): [string, string[]] {
  return [Deno.execPath(), ["run", "-A", "--unstable-net", MAIN, ...args]];
}

/**
 * Starts `opendesk serve --approve auto --no-mdns` on 127.0.0.1 with fresh homes.
 * `OPENDESK_BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of the server there.
 */
export async function startServe(extra: string[] = []): Promise<ServeChild> {
  const root = await Deno.makeTempDir({ prefix: "opendesk-bench-serve-" });
  const serverHome = `${root}/server`;
  const clientHome = `${root}/client`;
  const server = Identity.loadOrCreate(serverHome);
  const client = Identity.loadOrCreate(clientHome);
  new TrustStore(serverHome).add(client.publicKeyHex, "bench", "controller");
  const [cmd, plain] = opendeskArgs([
    "serve",
    "--home",
    serverHome,
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--approve",
    "auto",
    "--no-mdns",
    ...extra,
  ]);
  const profileDir = Deno.env.get("OPENDESK_BENCH_CPU_PROF");
  const args = profileDir
    ? [...plain.slice(0, 3), "--cpu-prof", `--cpu-prof-dir=${profileDir}`, ...plain.slice(3)]
    : plain;
  const child = new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: Deno.env.get("OPENDESK_BENCH_SERVE_STDERR") ? "inherit" : "null",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let port: string | undefined;
  while (port === undefined) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`opendesk serve ended before listening:\n${seen}`);
    seen += value;
    port = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(seen)?.[1];
  }
  // Keep draining its output so the server never blocks on a full pipe.
  (async () => {
    while (!(await lines.read()).done) { /* drained */ }
  })().catch(() => {});
  const display = /virtual display (:\d+)/.exec(seen)?.[1];
  return {
    ...(display === undefined ? {} : { display }),
    target: `ws://127.0.0.1:${port}#${server.publicKeyHex}`,
    clientHome,
    pid: child.pid,
    async stop(): Promise<void> {
      child.kill("SIGINT"); // serve shuts down cleanly (and a CPU profile is written)
      await child.status;
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** Peak and current resident memory of a process in bytes (Linux `/proc`), or null. */
export function processMemory(pid: number): { peak: number; now: number } | null {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kib = (name: string): number =>
      Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1]);
    return { peak: kib("VmHWM") * 1024, now: kib("VmRSS") * 1024 };
  } catch {
    return null;
  }
}
