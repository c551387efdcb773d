/**
 * Shared set-up for tests (and the capture benchmark) that need a real X
 * server and the native shim: the skip rule, a private Xvfb per test, and the
 * small C client in `_x_client.c` that draws scenes and reports events.
 *
 * Locally these tests skip (with the reason printed) when Xvfb, a C compiler
 * or the shim is missing; with CI=true they always run, so a missing
 * prerequisite fails them.
 *
 * @module
 */

import { buildNative } from "../../../../scripts/build_native.ts";
import {
  startVirtualDisplay,
  type VirtualDisplay,
} from "../../../../src/computer/drivers/x11/virtual_display.ts";

const CLIENT_SOURCE = new URL("./_x_client.c", import.meta.url).pathname;

function which(command: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${command}`).isFile) return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function missingPrerequisite(): string | null {
  if (Deno.build.os !== "linux") return "the X11 backend runs on Linux only";
  if (!which("Xvfb")) return "Xvfb is not installed (Debian package xvfb)";
  if (!which("cc")) return "no C compiler (cc)";
  return null;
}

const missing = missingPrerequisite();
const inCi = Deno.env.get("CI") === "true";

/** True when X11 tests must be skipped (never in CI). */
export const skipX11: boolean = missing !== null && !inCi;
if (skipX11) console.log(`skipping X11 tests: ${missing}`);

let prepared: Promise<string> | undefined;

/** Builds the shim if stale and compiles the test client once; returns the client's path. */
export function prepareNative(): Promise<string> {
  prepared ??= (async () => {
    if (missing !== null) throw new Error(`Cannot run X11 tests: ${missing}`);
    if (!Deno.env.get("OPENDESK_NATIVE_LIB")) await buildNative({ ifStale: true });
    const dir = await Deno.makeTempDir({ prefix: "opendesk-x-client-" });
    const out = `${dir}/x_client`;
    const res = await new Deno.Command("cc", {
      args: ["-O2", "-o", out, CLIENT_SOURCE, "-lX11", "-lm"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!res.success) {
      throw new Error(`Cannot compile the test X client: ${new TextDecoder().decode(res.stderr)}`);
    }
    return out;
  })();
  return prepared;
}

/** A running instance of the test client. */
export interface XClient {
  /** Every line the client printed after "ready". */
  readonly lines: string[];
  /** Waits until a printed line satisfies `match` (or times out). */
  waitFor(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Closes its stdin and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * The whole environment of the X tools a test runs: its display, PATH and a fixed locale, and
 * nothing else of the caller's (no session bus, no other display, no user settings).
 */
function xEnv(display: string): Record<string, string> {
  return { DISPLAY: display, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", LANG: "C.UTF-8" };
}

/** Starts the test client in `mode` on `display` and waits for its "ready" line. */
export async function startClient(display: string, args: string[]): Promise<XClient> {
  const path = await prepareNative();
  const child = new Deno.Command(path, {
    args,
    env: xEnv(display),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stdin = child.stdin.getWriter();
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const pump = (async () => {
    let buffered = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line === "ready") ready();
        else lines.push(line);
        for (const w of waiters.splice(0)) w();
      }
    }
    ready();
  })();
  await readyPromise;
  const stop = async () => {
    await stdin.close().catch(() => {});
    await child.status;
    await pump;
  };
  const waitFor = async (match: (line: string) => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for a client line; last lines: ` +
            JSON.stringify(lines.slice(-5)),
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(wake);
          if (i >= 0) waiters.splice(i, 1);
          resolve();
        }, Math.min(left, 100));
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push(wake);
      });
    }
  };
  return { lines, waitFor, stop };
}

/** Runs `fn` with a fresh Xvfb of the given size, stopped afterwards. */
export async function withXvfb<T>(
  fn: (xvfb: VirtualDisplay) => Promise<T>,
  size: { width: number; height: number; extraArgs?: string[] } = { width: 640, height: 480 },
): Promise<T> {
  await prepareNative();
  const xvfb = await startVirtualDisplay(size);
  try {
    return await fn(xvfb);
  } finally {
    await xvfb.stop();
  }
}

/** Runs a command with DISPLAY set; returns its stdout (throws on failure). */
export async function runX(display: string, command: string, args: string[]): Promise<string> {
  const res = await new Deno.Command(command, {
    args,
    env: xEnv(display),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(res.stderr);
  if (!res.success) throw new Error(`${command} ${args.join(" ")} failed: ${err}`);
  return new TextDecoder().decode(res.stdout);
}
