/**
 * Screen locking: which lockers can really lock this session, and locking
 * with the first of them.
 *
 * A locker counts only when the service behind it answers: `loginctl` needs a
 * running logind that knows the session, `dm-tool` a LightDM seat, and the
 * screensaver commands their daemon (each is asked a harmless question
 * first). A command merely present on PATH is not enough: without its
 * service it fails, and advertising `power.lock` then would be false.
 *
 * Deliberately not used: `xset s activate` blanks the screen without locking
 * it, and `xdg-screensaver lock` falls back to exactly that when no daemon it
 * knows is running (the daemons it would hand over to are probed directly).
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";

/** A lock command and the question that shows its service is there. */
interface Locker {
  /** The command that locks, e.g. `["xscreensaver-command", "-lock"]`. */
  lock: readonly string[];
  /** A harmless command that exits 0 only when the lock would work (`$SESSION` is replaced). */
  probe: readonly string[];
  /** An environment variable the locker needs, when it needs one. */
  needsEnv?: string;
  /** What to install or run when it is absent. */
  remedy: string;
}

/** The lockers, in the order they are tried. */
const LOCKERS: readonly Locker[] = [
  {
    lock: ["loginctl", "lock-session"],
    probe: ["loginctl", "show-session", "$SESSION", "--property=Id"],
    remedy: "run inside a systemd-logind session",
  },
  {
    lock: ["dm-tool", "lock"],
    probe: ["dm-tool", "list-seats"],
    needsEnv: "XDG_SEAT_PATH",
    remedy: "log in through LightDM",
  },
  {
    lock: ["gnome-screensaver-command", "-l"],
    probe: ["gnome-screensaver-command", "-q"],
    remedy: "start gnome-screensaver",
  },
  {
    lock: ["xscreensaver-command", "-lock"],
    probe: ["xscreensaver-command", "-version"],
    remedy: "start the daemon: xscreensaver -no-splash &",
  },
  {
    lock: ["light-locker-command", "-l"],
    probe: ["light-locker-command", "-q"],
    remedy: "start light-locker",
  },
];

/** Options of {@linkcode probeLockers} and {@linkcode lockScreen}. */
export interface LockScreenOptions {
  /** Environment of the commands (PATH decides which exist). @default Deno.env */
  env?: Record<string, string>;
  /** Per-command time limit, in milliseconds. @default 5000 */
  timeoutMs?: number;
}

/** What {@linkcode probeLockers} found. */
export interface LockerProbe {
  /** Lock commands that can work, in the order `lockScreen` tries them, e.g. `"loginctl lock-session"`. */
  usable: string[];
  /** Why no locker can work (empty when one can), with what to install or run. */
  reason: string;
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

/** Runs `argv` with a time limit; returns its exit code (null when killed) and first stderr line. */
async function run(
  path: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; error: string }> {
  const child = new Deno.Command(path, {
    args: [...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const error = new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? "";
  return { code: killed ? null : out.code, error };
}

/** Why one locker cannot work, or "" when it can. */
async function checkLocker(
  locker: Locker,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<string> {
  const [cmd, ...args] = locker.probe;
  const path = findOnPath(cmd!, env);
  if (path === null) return "";
  if (locker.needsEnv !== undefined && !env[locker.needsEnv]) {
    return `'${locker.lock.join(" ")}' needs ${locker.needsEnv} (${locker.remedy})`;
  }
  const session = env.XDG_SESSION_ID || "auto";
  const res = await run(path, args.map((a) => a === "$SESSION" ? session : a), env, timeoutMs);
  if (res.code === 0) return "";
  const why = res.code === null ? "did not answer" : res.error || `exited with ${res.code}`;
  return `'${locker.probe.join(" ").replace("$SESSION", session)}' ${
    res.code === null ? why : `failed: ${why}`
  } (${locker.remedy})`;
}

/**
 * Asks every installed locker whether its service answers (all at once).
 *
 * @returns The lockers that can work and, when none can, why.
 */
export async function probeLockers(options: LockScreenOptions = {}): Promise<LockerProbe> {
  const env = options.env ?? Deno.env.toObject();
  const installed = LOCKERS.filter((l) => findOnPath(l.lock[0]!, env) !== null);
  const why = await Promise.all(
    installed.map((l) => checkLocker(l, env, options.timeoutMs ?? 5000)),
  );
  const usable = installed.filter((_, i) => why[i] === "").map((l) => l.lock.join(" "));
  if (usable.length > 0) return { usable, reason: "" };
  const reason = installed.length === 0
    ? `no screen locker is installed (looked for ${
      LOCKERS.map((l) => `'${l.lock[0]}'`).join(", ")
    }); install and start one, e.g. xscreensaver (xscreensaver -no-splash &)`
    : `no screen locker can lock this session: ${why.join("; ")}`;
  return { usable, reason };
}

/**
 * Locks the screen with the first of `lockers` (as found by `probeLockers`)
 * that exits 0.
 *
 * @returns The command that locked it.
 * @throws {RemoteError} `internal` listing every command tried and how it failed.
 */
export async function lockScreen(
  lockers: readonly string[],
  options: LockScreenOptions = {},
): Promise<string> {
  const env = options.env ?? Deno.env.toObject();
  const tried: string[] = [];
  for (const name of lockers) {
    const locker = LOCKERS.find((l) => l.lock.join(" ") === name);
    const path = locker ? findOnPath(locker.lock[0]!, env) : null;
    if (locker === undefined || path === null) {
      tried.push(`'${name}' is no longer installed`);
      continue;
    }
    const res = await run(path, locker.lock.slice(1), env, options.timeoutMs ?? 5000);
    if (res.code === 0) return name;
    const how = res.code === null ? "did not finish in time" : `exited with ${res.code}`;
    tried.push(`'${name}' ${how}${res.error ? ` (${res.error})` : ""}`);
  }
  throw new RemoteError(
    "internal",
    `Cannot lock the screen: every locker failed: ${tried.join("; ")}`,
  );
}
