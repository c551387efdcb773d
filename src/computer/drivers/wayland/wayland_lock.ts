/**
 * Screen lock on Wayland: `swaylock -f` (it forks once the screen is locked,
 * through the compositor's session-lock protocol, and its parent exits 0)
 * and logind's `loginctl lock-session`, which needs a logind session to lock
 * (`XDG_SESSION_ID`) and a locker listening for it. A locker is advertised
 * only when it can work here.
 *
 * The lockers run without pipes: swaylock's forked child lives on for as
 * long as the screen is locked and would hold a pipe open.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";

/** Lock commands of a Wayland session, in the order they are tried. */
export const WAYLAND_LOCK_COMMANDS: ReadonlyArray<readonly string[]> = [
  ["swaylock", "-f"],
  ["loginctl", "lock-session"],
];

/** How long one locker may take to lock, in ms. */
const LOCK_TIMEOUT_MS = 5000;

/** Whether `command` is an executable file in one of `env.PATH`'s folders. */
function onPath(command: string, env: Record<string, string>): boolean {
  for (const dir of (env.PATH ?? "").split(":")) {
    if (dir.length === 0) continue;
    try {
      const info = Deno.statSync(`${dir}/${command}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

function usable(env: Record<string, string>): string[][] {
  return WAYLAND_LOCK_COMMANDS.filter(([cmd]) =>
    (cmd !== "loginctl" || (env.XDG_SESSION_ID ?? "") !== "") && onPath(cmd!, env)
  ).map((c) => [...c]);
}

/** The lockers usable in `env`, and why none is when the list is empty. */
export function waylandLockers(env: Record<string, string>): { lockers: string[]; reason: string } {
  return {
    lockers: usable(env).map((c) => c.join(" ")),
    reason: "swaylock is not installed, and there is no logind session (XDG_SESSION_ID is " +
      "unset) for `loginctl lock-session` to lock",
  };
}

/**
 * Locks the session with the first usable locker that exits 0.
 *
 * @throws {RemoteError} `internal`, listing each locker tried and how it failed.
 */
export async function lockWaylandScreen(env: Record<string, string>): Promise<string> {
  const tried: string[] = [];
  for (const [cmd, ...args] of usable(env)) {
    const child = new Deno.Command(cmd!, {
      args,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }, LOCK_TIMEOUT_MS);
    const status = await child.status;
    clearTimeout(timer);
    const name = [cmd, ...args].join(" ");
    if (status.success) return name;
    tried.push(
      status.signal === "SIGKILL"
        ? `'${name}' did not lock within ${LOCK_TIMEOUT_MS} ms`
        : `'${name}' exited with ${status.code}`,
    );
  }
  throw new RemoteError(
    "internal",
    tried.length === 0
      ? "Cannot lock the screen: no Wayland screen locker is usable here (install swaylock)"
      : `Cannot lock the screen: every locker failed: ${tried.join("; ")}`,
  );
}
