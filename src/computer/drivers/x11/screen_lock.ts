/**
 * `lockScreen`: locks the session with the first locker that works, trying
 * `loginctl lock-session`, `xdg-screensaver lock`, `dm-tool lock`,
 * `gnome-screensaver-command -l`, `xscreensaver-command -lock` and
 * `light-locker-command -l` in turn and checking exit codes.
 *
 * `xset s activate` is deliberately not tried: it blanks the screen without
 * locking it, and reporting that as a lock would be false.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";

/** The lock commands, in the order they are tried. */
export const LOCK_COMMANDS: ReadonlyArray<readonly string[]> = [
  ["loginctl", "lock-session"],
  ["xdg-screensaver", "lock"],
  ["dm-tool", "lock"],
  ["gnome-screensaver-command", "-l"],
  ["xscreensaver-command", "-lock"],
  ["light-locker-command", "-l"],
];

/** Options of {@linkcode lockScreen} and {@linkcode availableLockers}. */
export interface LockScreenOptions {
  /** Environment of the commands (PATH decides which exist). @default Deno.env */
  env?: Record<string, string>;
  /** Per-command time limit, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** The lock commands to try, in order (a Wayland session has its own). @default LOCK_COMMANDS */
  commands?: ReadonlyArray<readonly string[]>;
}

function findOnPath(command: string, env: Record<string, string>): string | null {
  for (const dir of (env.PATH ?? "").split(":")) {
    if (dir.length === 0) continue;
    try {
      const info = Deno.statSync(`${dir}/${command}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return `${dir}/${command}`;
    } catch {
      // not here
    }
  }
  return null;
}

/** The lock commands present on PATH (decides whether `power.lock` is advertised). */
export function availableLockers(options: LockScreenOptions = {}): string[] {
  const env = options.env ?? Deno.env.toObject();
  return (options.commands ?? LOCK_COMMANDS).filter(([cmd]) => findOnPath(cmd!, env) !== null).map((
    c,
  ) => c.join(" "));
}

/**
 * Locks the screen.
 *
 * @returns The command that locked it.
 * @throws {RemoteError} `capability_unsupported`-like `internal` error listing every command
 *   tried and how it failed, when none worked.
 */
export async function lockScreen(options: LockScreenOptions = {}): Promise<string> {
  const env = options.env ?? Deno.env.toObject();
  const tried: string[] = [];
  const commands = options.commands ?? LOCK_COMMANDS;
  for (const argv of commands) {
    const [cmd, ...args] = argv;
    const path = findOnPath(cmd!, env);
    if (path === null) continue;
    const child = new Deno.Command(path, {
      args,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }, options.timeoutMs ?? 5000);
    const out = await child.output();
    clearTimeout(timer);
    if (out.success) return argv.join(" ");
    const err = new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? "";
    tried.push(`'${argv.join(" ")}' exited with ${out.code}${err ? ` (${err})` : ""}`);
  }
  throw new RemoteError(
    "internal",
    tried.length === 0
      ? "Cannot lock the screen: no screen locker is installed (tried " +
        `${commands.map((c) => `'${c[0]}'`).join(", ")}); install one, e.g. xscreensaver`
      : `Cannot lock the screen: every locker failed: ${tried.join("; ")}`,
  );
}
