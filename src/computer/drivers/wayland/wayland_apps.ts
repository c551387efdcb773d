/**
 * `WaylandApps`: running GUI applications as seen through their toplevels
 * (app id, and pid when sway tells it), started with the same `AppLauncher`
 * as on X11 and waited for until a new toplevel of theirs appears; closed
 * politely (close requests), then with SIGTERM after a grace period.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { AppLauncher } from "../x11/app_launcher.ts";
import type { WaylandWindow, WaylandWindows } from "./wayland_windows.ts";

/** How long `open` waits for a toplevel of the new app, in ms. */
const OPEN_WAIT_MS = 10_000;
/** How long `close` waits after the close requests before SIGTERM, in ms. */
const CLOSE_GRACE_MS = 3000;
/** How long `close` waits after SIGTERM, in ms. */
const TERM_WAIT_MS = 2000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

/** Applications of one Wayland session. */
export class WaylandApps {
  #windows: WaylandWindows;
  #launcher: AppLauncher;
  #launched = new Map<string, { pid: number; appIds: string[] }>();

  /** Creates the app view; started apps get `env` (WAYLAND_DISPLAY, PATH, XDG_*). */
  constructor(windows: WaylandWindows, env: Record<string, string>) {
    this.#windows = windows;
    this.#launcher = new AppLauncher({ env });
  }

  /** Distinct app ids of the toplevels, in window order. */
  async list(): Promise<string[]> {
    const names = (await this.#windows.list()).map((w) => w.toplevel.app_id);
    return [...new Set(names.filter((n) => n.length > 0))];
  }

  /** Toplevels of the app `name` (app id, launched pid or app ids, else title substring). */
  async windowsOf(name: string): Promise<WaylandWindow[]> {
    const all = await this.#windows.list();
    const lower = name.toLowerCase();
    const launched = this.#launched.get(name);
    const mine = all.filter((w) =>
      w.toplevel.app_id.toLowerCase() === lower ||
      (launched !== undefined &&
        (w.view?.pid === launched.pid || launched.appIds.includes(w.toplevel.app_id.toLowerCase())))
    );
    if (mine.length > 0) return mine;
    return all.filter((w) => w.toplevel.title.toLowerCase().includes(lower));
  }

  /**
   * Starts `name` and waits until a new toplevel of it appears: one whose pid
   * (on sway) or app id matches what was started; with neither known, the
   * first toplevel that appeared after the launch.
   *
   * @throws {RemoteError} `not_found` when there is no such app; `internal` when it exits at once.
   */
  async open(name: string, signal?: AbortSignal): Promise<void> {
    const before = new Set((await this.#windows.list()).map((w) => w.toplevel.id));
    const launched = await this.#launcher.launch(name);
    const base = launched.argv[0]!.split("/").pop()!.toLowerCase();
    const appIds = [base, launched.entry?.wmClass?.toLowerCase()].filter((s): s is string => !!s);
    this.#launched.set(name, { pid: launched.pid, appIds });
    const deadline = Date.now() + OPEN_WAIT_MS;
    while (Date.now() < deadline && !signal?.aborted) {
      const fresh = (await this.#windows.list()).filter((w) => !before.has(w.toplevel.id));
      const matches = fresh.filter((w) =>
        w.view?.pid === launched.pid || appIds.includes(w.toplevel.app_id.toLowerCase())
      );
      if (matches.length > 0) return;
      if (fresh.length > 0 && fresh.every((w) => w.view === null)) return;
      if (!alive(launched.pid) && launched.entry === null && fresh.length === 0) {
        throw new RemoteError("internal", `'${name}' exited right after it was started`);
      }
      await sleep(50);
    }
  }

  /**
   * Focuses the app's first window.
   *
   * @throws {RemoteError} `not_found` when the app has no window.
   */
  async focus(name: string): Promise<void> {
    const wins = await this.windowsOf(name);
    const target = wins.find((w) => !w.toplevel.minimized) ?? wins[0];
    if (target === undefined) {
      throw new RemoteError("not_found", `No window of app '${name}': check apps.list`);
    }
    await this.#windows.focus(String(target.toplevel.id));
  }

  /**
   * Closes the app: asks each of its windows to close, waits, then sends
   * SIGTERM to its processes still running (pids known on sway or from launch).
   *
   * @throws {RemoteError} `not_found` when the app has no window; `timeout` naming the pids
   *   when it is still running after SIGTERM.
   */
  async close(name: string): Promise<void> {
    const wins = await this.windowsOf(name);
    const launched = this.#launched.get(name);
    if (wins.length === 0 && launched === undefined) {
      throw new RemoteError("not_found", `No window of app '${name}': check apps.list`);
    }
    const pids = new Set(wins.map((w) => w.view?.pid ?? 0).filter((p) => p > 0));
    if (launched !== undefined) pids.add(launched.pid);
    for (const w of wins) {
      await this.#windows.close(String(w.toplevel.id)).catch((e) => {
        if (!(e instanceof RemoteError && e.code === "not_found")) throw e;
      });
    }
    const ids = new Set(wins.map((w) => w.toplevel.id));
    const done = async () =>
      [...pids].every((p) => !alive(p)) &&
      !(await this.#windows.list()).some((w) => ids.has(w.toplevel.id));
    if (await waitFor(done, CLOSE_GRACE_MS)) return void this.#launched.delete(name);
    for (const pid of pids) {
      try {
        if (alive(pid)) Deno.kill(pid, "SIGTERM");
      } catch {
        // exited meanwhile
      }
    }
    const gone = () => Promise.resolve([...pids].every((p) => !alive(p)));
    if (await waitFor(gone, TERM_WAIT_MS)) return void this.#launched.delete(name);
    const left = [...pids].filter(alive);
    throw new RemoteError(
      "timeout",
      `App '${name}' did not exit: process ${left.join(", ")} ignored the close request and ` +
        "SIGTERM; it may be hung (kill it with process tools if needed)",
      { pids: left },
    );
  }
}
