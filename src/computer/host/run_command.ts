/**
 * Runs a child process for `process.shell` and `process.exec`: its own
 * process group (through `setsid` where available) so that a timeout, a
 * cancellation or an output overflow kills the whole tree; output capped at
 * the payload limit; the environment merged over the server's.
 *
 * @module
 */

import { AbortError, RemoteError } from "../../protocol/errors.ts";
import { expandPath } from "./_paths.ts";
import { formatBytes } from "../limits.ts";
import { descendantsOf } from "./process_list.ts";
import { guardProcessTree, type ProcessTreeGuard } from "../drivers/win32/process_tree_guard.ts";
import type { CompletedCommand } from "../types/process.ts";

/** Options of {@linkcode runCommand}. */
export interface RunCommandOptions {
  /** Seconds before the tree is killed and `timeout` is reported; null = no limit. */
  timeout: number | null;
  /** Working directory (`~`-expanded); null = the server's. */
  cwd: string | null;
  /** Variables merged over the server's environment. */
  env: Record<string, string> | null;
  /** Bytes written to the child's stdin, then closed; null = no stdin. */
  stdin: Uint8Array | null;
  /** Largest combined stdout + stderr size. */
  maxOutputBytes: number;
  /** Kills the tree and rejects with `AbortError` when aborted. */
  signal?: AbortSignal | undefined;
  /** How the command is named in messages. */
  label: string;
}

let setsidPath: string | null | undefined;

function findSetsid(): string | null {
  if (setsidPath !== undefined) return setsidPath;
  setsidPath = null;
  if (Deno.build.os === "windows") return null;
  for (const candidate of ["/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid"]) {
    try {
      if (Deno.statSync(candidate).isFile) {
        setsidPath = candidate;
        break;
      }
    } catch {
      // not here
    }
  }
  return setsidPath;
}

/** Resolves a program name on PATH; null when it cannot be found. */
function resolveProgram(program: string, pathVar: string | undefined): string | null {
  const isWindows = Deno.build.os === "windows";
  if (program.includes("/") || (isWindows && program.includes("\\"))) {
    try {
      return Deno.statSync(program).isFile ? program : null;
    } catch {
      return null;
    }
  }
  const exts = isWindows ? ["", ".exe", ".cmd", ".bat", ".com"] : [""];
  for (const dir of (pathVar ?? "").split(isWindows ? ";" : ":")) {
    if (dir === "") continue;
    for (const ext of exts) {
      const candidate = `${dir}${isWindows ? "\\" : "/"}${program}${ext}`;
      try {
        if (Deno.statSync(candidate).isFile) return candidate;
      } catch {
        // keep looking
      }
    }
  }
  return null;
}

/**
 * Runs `argv` to completion.
 *
 * @throws {RemoteError} `not_found` (program or cwd), `timeout`, `invalid_argument` (output too large)
 * @throws {AbortError} when `signal` aborts (the process tree is killed first)
 */
export async function runCommand(
  argv: string[],
  options: RunCommandOptions,
): Promise<CompletedCommand> {
  const [program, ...args] = argv;
  if (program === undefined || program === "") {
    throw new RemoteError("invalid_argument", "Cannot run command: 'argv' is empty");
  }
  options.signal?.throwIfAborted();
  let cwd: string | undefined;
  if (options.cwd !== null) {
    cwd = expandPath(options.cwd);
    const info = await Deno.stat(cwd).catch(() => null);
    if (info === null) {
      throw new RemoteError(
        "not_found",
        `Cannot run command: the working directory '${options.cwd}' does not exist`,
        { cwd: options.cwd },
      );
    }
    if (!info.isDirectory) {
      throw new RemoteError(
        "invalid_argument",
        `Cannot run command: the working directory '${options.cwd}' is not a directory`,
        { cwd: options.cwd },
      );
    }
  }
  const pathVar = options.env?.PATH ?? Deno.env.get("PATH");
  if (resolveProgram(program, pathVar) === null) {
    throw new RemoteError("not_found", `Cannot run command: program '${program}' was not found`, {
      program,
    });
  }
  const setsid = findSetsid();
  const child = new Deno.Command(setsid ?? program, {
    args: setsid ? argv : args,
    ...(cwd === undefined ? {} : { cwd }),
    ...(options.env === null ? {} : { env: options.env }),
    stdin: options.stdin === null ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Windows has no process groups: the tree is a job object the child joins right away.
  const guard = Deno.build.os === "windows" ? guardProcessTree(child.pid) : null;
  const started = performance.now();
  let stop: "timeout" | "abort" | "overflow" | null = null;
  let killing: Promise<void> | null = null;
  const killTree = (reason: "timeout" | "abort" | "overflow"): void => {
    if (stop !== null) return;
    stop = reason;
    killing = killProcessTree(child, setsid !== null, guard);
  };
  const timer = options.timeout === null
    ? undefined
    : setTimeout(() => killTree("timeout"), options.timeout * 1000);
  const onAbort = (): void => killTree("abort");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let total = 0;
  const collect = async (stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream) {
      total += chunk.length;
      if (total > options.maxOutputBytes) {
        killTree("overflow");
        continue;
      }
      chunks.push(chunk);
    }
    return chunks;
  };
  try {
    const writing = options.stdin === null ? Promise.resolve() : writeStdin(child, options.stdin);
    const [out, err, status] = await Promise.all([
      collect(child.stdout),
      collect(child.stderr),
      child.status,
      writing,
    ]).then(([o, e, s]) => [o, e, s] as const);
    await killing;
    if (stop === "timeout") {
      throw new RemoteError(
        "timeout",
        `Command timed out after ${options.timeout} s and was killed: '${options.label}'`,
        { timeout: options.timeout },
      );
    }
    if (stop === "abort") throw new AbortError(`Command cancelled and killed: '${options.label}'`);
    if (stop === "overflow") {
      throw new RemoteError(
        "invalid_argument",
        `Command output exceeded the limit of ${
          formatBytes(options.maxOutputBytes)
        } and the command was killed: '${options.label}'; redirect its output to a file and fetch it with fs.read 'offset'/'length'`,
        { limit: options.maxOutputBytes },
      );
    }
    const returncode = status.signal === null ? status.code : -(status.code - 128);
    return {
      returncode,
      stdout: concat(out),
      stderr: concat(err),
      duration: (performance.now() - started) / 1000,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    await guard?.release();
  }
}

async function writeStdin(child: Deno.ChildProcess, data: Uint8Array): Promise<void> {
  const writer = child.stdin.getWriter();
  try {
    await writer.write(data);
    await writer.close();
  } catch {
    // the child exited without reading all of its input
  }
}

/**
 * Kills the child, its process group (or on Windows its job object) and every descendant found
 * in the process table.
 */
async function killProcessTree(
  child: Deno.ChildProcess,
  ownGroup: boolean,
  guard: ProcessTreeGuard | null,
): Promise<void> {
  guard?.terminate();
  const descendants = await descendantsOf(child.pid);
  const kill = (pid: number): void => {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  if (ownGroup) kill(-child.pid);
  try {
    child.kill("SIGKILL");
  } catch {
    // already exited
  }
  for (const pid of descendants) kill(pid);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The argv that runs `command` through the platform shell. */
export function shellArgv(command: string): string[] {
  if (Deno.build.os === "windows") return ["cmd.exe", "/d", "/s", "/c", command];
  return ["/bin/sh", "-c", command];
}
