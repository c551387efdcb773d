/**
 * Helpers of `startVirtualSession`: finding a service's program, starting it
 * with the session's environment, reading the first line it prints (its
 * readiness signal), and stopping it together with everything it started.
 *
 * @module
 */

import { descendantsOf, procState } from "../../host/process_list.ts";

/** A started service process. */
export interface SessionService {
  /** What it is, for messages (e.g. "the session bus"). */
  readonly name: string;
  readonly child: Deno.ChildProcess;
}

/** The first executable among `candidates` (absolute paths, or names looked up on `PATH`). */
export function findProgram(candidates: readonly string[], path: string): string | null {
  for (const candidate of candidates) {
    const options = candidate.includes("/")
      ? [candidate]
      : path.split(":").filter((d) => d.length > 0).map((d) => `${d}/${candidate}`);
    for (const file of options) {
      try {
        const info = Deno.statSync(file);
        if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** util-linux's setpriv, which can make a service die with this process. */
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"];

/** The argv prefix that makes a program end with this process (`[]` without setpriv). */
export function dieWithParent(): string[] {
  const setpriv = findProgram(SETPRIV, "");
  return setpriv === null ? [] : [setpriv, "--pdeathsig", "TERM", "--"];
}

/**
 * Starts `program` with exactly `env`; stdout piped when the caller reads a
 * readiness line. Through `setpriv --pdeathsig TERM` when it is installed, so
 * that the service ends even when this process is killed without a chance to
 * stop it (SIGKILL, a crash).
 */
export function spawnService(
  name: string,
  program: string,
  args: readonly string[],
  env: Record<string, string>,
  readStdout = false,
): SessionService {
  const [launcher, ...prefix] = dieWithParent();
  const child = new Deno.Command(launcher ?? program, {
    args: launcher === undefined ? [...args] : [...prefix, program, ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: readStdout ? "piped" : "null",
    stderr: "null",
  }).spawn();
  return { name, child };
}

/** The first line `stream` prints, or null when it ends or `timeoutMs` passes first. */
export async function firstLine(
  stream: ReadableStream<Uint8Array>,
  timeoutMs: number,
): Promise<string | null> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((
    resolve,
  ) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    while (!text.includes("\n")) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === null || next.done) return null;
      text += next.value;
    }
    return text.slice(0, text.indexOf("\n")).trim();
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}

async function gone(pid: number): Promise<boolean> {
  const state = await procState(pid);
  return state === null || state === "Z" || state === "X";
}

/** Waits until every pid has exited, up to `ms`; returns those still running. */
async function waitGone(pids: readonly number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left: number[] = [];
    for (const pid of pids) if (!(await gone(pid))) left.push(pid);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function signal(pid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Stops `services` (newest first) and every process they started: SIGTERM,
 * then SIGKILL for whatever still runs after `graceMs`. The descendants are
 * recorded before anything is signalled, since orphans lose their parent link.
 */
export async function stopServices(
  services: readonly SessionService[],
  graceMs = 2000,
): Promise<void> {
  const tree: number[] = [];
  for (const s of services) tree.push(...await descendantsOf(s.child.pid));
  const all = [...services].reverse().map((s) => s.child.pid).concat(tree);
  for (const pid of all) signal(pid, "SIGTERM");
  const left = await waitGone(all, graceMs);
  for (const pid of left) signal(pid, "SIGKILL");
  await Promise.all(services.map((s) => s.child.status));
  await waitGone(left, graceMs);
}
