/**
 * `process.list` for the host: `/proc` on Linux, `ps` on other Unix systems,
 * `tasklist` on Windows.
 *
 * @module
 */

import type { Process } from "../types/process.ts";

/** True when this platform can list processes. */
export function canListProcesses(): boolean {
  return ["linux", "darwin", "freebsd", "openbsd", "netbsd", "windows"].includes(Deno.build.os);
}

/**
 * The running processes, sorted by pid.
 *
 * @example Usage
 * ```ts
 * import { listProcesses } from "./process_list.ts";
 * const mine = (await listProcesses()).find((p) => p.pid === Deno.pid);
 * ```
 */
export async function listProcesses(): Promise<Process[]> {
  if (Deno.build.os === "linux") return await listFromProc();
  if (Deno.build.os === "windows") return await listFromTasklist();
  return await listFromPs();
}

/** Reads one process from `/proc/<pid>`, or null when it is gone. */
export async function readProcProcess(pid: number): Promise<Process | null> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const open = stat.indexOf("(");
    const close = stat.lastIndexOf(")");
    const name = stat.slice(open + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    const ppid = Number(fields[1]);
    let cmdline: string[] = [];
    try {
      const raw = await Deno.readFile(`/proc/${pid}/cmdline`);
      const text = new TextDecoder().decode(raw);
      cmdline = text.split("\0");
      if (cmdline.at(-1) === "") cmdline.pop();
    } catch {
      cmdline = [];
    }
    return { pid, name, ppid: Number.isFinite(ppid) ? ppid : null, cmdline };
  } catch {
    return null;
  }
}

/** The process state letter from `/proc/<pid>/stat` (`R`, `S`, `Z`, …), or null when gone. */
export async function procState(pid: number): Promise<string | null> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? null;
  } catch {
    return null;
  }
}

async function listFromProc(): Promise<Process[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (entry.isDirectory && /^\d+$/.test(entry.name)) pids.push(Number(entry.name));
  }
  const out: Process[] = [];
  // Read in batches so a large process table does not exhaust file descriptors.
  for (let i = 0; i < pids.length; i += 64) {
    const batch = await Promise.all(pids.slice(i, i + 64).map(readProcProcess));
    for (const p of batch) if (p !== null) out.push(p);
  }
  return out.sort((a, b) => a.pid - b.pid);
}

async function listFromPs(): Promise<Process[]> {
  const { stdout } = await new Deno.Command("ps", {
    args: ["-A", "-o", "pid=,ppid=,comm="],
    stdout: "piped",
    stderr: "null",
  }).output();
  const out: Process[] = [];
  for (const line of new TextDecoder().decode(stdout).split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const name = (m[3] ?? "").trim();
    out.push({
      pid: Number(m[1]),
      name: name.split("/").at(-1) ?? name,
      ppid: Number(m[2]),
      cmdline: [],
    });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

async function listFromTasklist(): Promise<Process[]> {
  const { stdout } = await new Deno.Command("tasklist", {
    args: ["/FO", "CSV", "/NH"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const out: Process[] = [];
  for (const line of new TextDecoder().decode(stdout).split(/\r?\n/)) {
    const cells = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
    const pid = Number(cells[1]);
    if (cells[0] && Number.isInteger(pid)) {
      out.push({ pid, name: cells[0], ppid: null, cmdline: [] });
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** Pids of every descendant of `root` (children, grandchildren, …). */
export async function descendantsOf(root: number): Promise<number[]> {
  const all = await listProcesses().catch(() => [] as Process[]);
  const children = new Map<number, number[]>();
  for (const p of all) {
    if (p.ppid === null) continue;
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}
