/**
 * Runs the Windows C test program under Wine + Xvfb: builds `opendesk.dll` (mingw), compiles
 * the test program and its helper app against it into a temp folder, starts a private Xvfb and
 * a private Wine prefix, runs the program and collects its TAP-like lines.
 *
 * Locally the Wine tests skip (with the reason printed) when mingw-w64, Wine or Xvfb is missing;
 * with CI=true they always run, so a missing prerequisite fails them.
 *
 * Wine keeps helper processes (wineserver, services.exe, ...) that hold the program's output
 * pipes open after it exits, so the run ends with `wineserver -k`, and any process still running
 * in the private prefix is then ended by its id.
 *
 * @module
 */

import { buildWindows, MINGW_CC, WINDOWS_CFLAGS } from "../../../scripts/_build_windows.ts";
import { startVirtualDisplay } from "../../../src/computer/drivers/x11/virtual_display.ts";

const HERE = new URL(".", import.meta.url).pathname;
const INCLUDE = new URL("../../../native/include", import.meta.url).pathname;

function which(command: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${command}`).isFile;
    } catch {
      return false;
    }
  });
}

function missingPrerequisite(): string | null {
  if (Deno.build.os !== "linux") return "the Wine tests run on Linux";
  if (!which(MINGW_CC)) return `no mingw-w64 compiler (${MINGW_CC}; gcc-mingw-w64-x86-64)`;
  if (!which("wine")) return "Wine is not installed (Debian packages wine, wine64)";
  if (!which("Xvfb")) return "Xvfb is not installed (Debian package xvfb)";
  return null;
}

const missing = missingPrerequisite();

/** True when the Wine tests must be skipped (never under CI=true). */
export const skipWine: boolean = missing !== null && Deno.env.get("CI") !== "true";
if (skipWine) console.log(`skipping the Wine tests: ${missing}`);

/** One result line of the C test program. */
export interface TapResult {
  ok: boolean;
  number: number;
  text: string;
}

/** What a run of the C test program printed. */
export interface WineRun {
  results: TapResult[];
  /** The N of the final "1..N" line, or null when the program ended before printing it. */
  planned: number | null;
  diagnostics: string[];
  exitCode: number;
  stderr: string;
}

async function compile(args: string[]): Promise<void> {
  const out = await new Deno.Command(MINGW_CC, { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(
      `Cannot compile the Windows test program:\n${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

/** Parses the TAP-like lines ("ok N - text", "not ok N - text", "# text", "1..N"). */
export function parseTap(stdout: string): Omit<WineRun, "exitCode" | "stderr"> {
  const results: TapResult[] = [];
  const diagnostics: string[] = [];
  let planned: number | null = null;
  for (const raw of stdout.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const result = /^(not ok|ok) (\d+) - (.*)$/.exec(line);
    if (result) {
      results.push({ ok: result[1] === "ok", number: Number(result[2]), text: result[3] ?? "" });
    } else if (/^1\.\.\d+$/.test(line)) {
      planned = Number(line.slice(3));
    } else if (line.startsWith("# ")) {
      diagnostics.push(line.slice(2));
    }
  }
  return { results, planned, diagnostics };
}

/** Processes (by id) whose environment names `prefix` as WINEPREFIX: what this run started. */
async function processesInPrefix(prefix: string): Promise<number[]> {
  const found: number[] = [];
  const needle = new TextEncoder().encode(`WINEPREFIX=${prefix}\0`);
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const env = await Deno.readFile(`/proc/${entry.name}/environ`);
      if (indexOf(env, needle) >= 0) found.push(Number(entry.name));
    } catch {
      // ended meanwhile, or not ours to read
    }
  }
  return found;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

async function runWithDeadline(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string; pump: Promise<void> }> {
  const child = new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" })
    .spawn();
  let stdout = "";
  let stderr = "";
  const read = async (stream: ReadableStream<Uint8Array>, sink: (s: string) => void) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) sink(chunk);
  };
  const pump = Promise.all([
    read(child.stdout, (s) => (stdout += s)),
    read(child.stderr, (s) => (stderr += s)),
  ]).then(() => {});
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const status = await child.status;
  clearTimeout(timer);
  return {
    code: status.signal ? 128 : status.code,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    pump,
  };
}

/**
 * Builds everything, runs the C test program (with `groups`, e.g. "capture,keys", or all) under
 * a fresh Xvfb and Wine prefix, and cleans up.
 */
export async function runWineTests(groups = ""): Promise<WineRun> {
  if (missing !== null) throw new Error(`Cannot run the Wine tests: ${missing}`);
  const { library } = await buildWindows({ ifStale: true });
  const dir = await Deno.makeTempDir({ prefix: "opendesk-wine-" });
  const xvfb = await startVirtualDisplay({ width: 1280, height: 800 });
  const prefix = `${dir}/prefix`;
  const env = {
    WINEPREFIX: prefix,
    WINEDEBUG: "-all",
    WINEDLLOVERRIDES: "mscoree,mshtml=", // no Mono / Gecko install prompts
    DISPLAY: xvfb.display,
    // No session bus: otherwise Wine autolaunches a dbus-daemon that outlives the run and
    // holds the program's output pipes open.
    DBUS_SESSION_BUS_ADDRESS: "disabled:",
  };
  try {
    await Deno.copyFile(library, `${dir}/opendesk.dll`);
    const sources: string[] = [];
    for await (const e of Deno.readDir(HERE)) {
      if (e.name.endsWith(".c") && e.name !== "child_app.c") sources.push(`${HERE}${e.name}`);
    }
    await compile([
      ...WINDOWS_CFLAGS,
      "-Wformat",
      `-I${INCLUDE}`,
      "-o",
      `${dir}/win32_test.exe`,
      ...sources.sort(),
      `${dir}/opendesk.dll`,
      "-luser32",
      "-lgdi32",
      "-lole32",
      "-loleaut32",
      "-luuid",
    ]);
    await compile(["-O2", "-mwindows", "-o", `${dir}/child_app.exe`, `${HERE}child_app.c`]);
    // The first start creates the prefix (about 8 s idle, much longer under load).
    const boot = await runWithDeadline("wineboot", ["-i"], env, 300_000);
    await wineserverKill(env, prefix, boot.pump);
    const run = await runWithDeadline("wine", [`${dir}/win32_test.exe`, groups], env, 300_000);
    await wineserverKill(env, prefix, run.pump);
    return { ...parseTap(run.stdout), exitCode: run.code, stderr: run.stderr };
  } finally {
    await xvfb.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Ends the prefix's wineserver and helpers; then waits for the output pipes to close. */
async function wineserverKill(
  env: Record<string, string>,
  prefix: string,
  pump: Promise<void>,
): Promise<void> {
  await new Deno.Command("wineserver", { args: ["-k"], env, stdout: "null", stderr: "null" })
    .output().catch(() => {});
  // Wait until that server has really exited: a `wine` started while it is still going down
  // connects to it and dies with "wineserver crashed" (seen under load).
  const waiting = new Deno.Command("wineserver", {
    args: ["-w"],
    env,
    stdout: "null",
    stderr: "null",
  }).spawn();
  let waitTimer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    waiting.status,
    new Promise((resolve) => (waitTimer = setTimeout(resolve, 30_000))),
  ]);
  clearTimeout(waitTimer);
  try {
    waiting.kill("SIGKILL");
  } catch {
    // already ended
  }
  await waiting.status;
  const closed = await Promise.race([
    pump.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000)),
  ]);
  if (closed) return;
  for (const pid of await processesInPrefix(prefix)) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  // A helper outside the prefix's environment may still hold the pipes: do not wait for it.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([pump, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
  clearTimeout(timer);
}
