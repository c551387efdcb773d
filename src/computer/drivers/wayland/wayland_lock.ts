/**
 * Screen lock on Wayland: `swaylock -f` (it returns once the screen is
 * locked, through the compositor's session-lock protocol) and logind's
 * `loginctl lock-session`, which needs a logind session to lock
 * (`XDG_SESSION_ID`) and a locker listening for it. A locker is advertised
 * only when it can work here.
 *
 * @module
 */

import { availableLockers, lockScreen } from "../x11/screen_lock.ts";

/** Lock commands of a Wayland session, in the order they are tried. */
export const WAYLAND_LOCK_COMMANDS: ReadonlyArray<readonly string[]> = [
  ["swaylock", "-f"],
  ["loginctl", "lock-session"],
];

/** The lockers usable in `env`, and why none is when the list is empty. */
export function waylandLockers(env: Record<string, string>): { lockers: string[]; reason: string } {
  const commands = WAYLAND_LOCK_COMMANDS.filter(([cmd]) =>
    cmd !== "loginctl" || (env.XDG_SESSION_ID ?? "") !== ""
  );
  const lockers = availableLockers({ env, commands });
  return {
    lockers,
    reason: "swaylock is not installed, and there is no logind session (XDG_SESSION_ID is " +
      "unset) for `loginctl lock-session` to lock",
  };
}

/** Locks the session with the first usable locker. */
export async function lockWaylandScreen(env: Record<string, string>): Promise<void> {
  const commands = WAYLAND_LOCK_COMMANDS.filter(([cmd]) =>
    cmd !== "loginctl" || (env.XDG_SESSION_ID ?? "") !== ""
  );
  await lockScreen({ env, commands });
}
