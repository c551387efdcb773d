/**
 * `X11Apps`: running GUI applications as seen through their windows
 * (WM_CLASS, _NET_WM_PID), started with `AppLauncher`, focused through EWMH
 * and closed politely (close requests, then SIGTERM after a grace period).
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { AppLauncher } from "./app_launcher.ts";
import type { X11WindowInfo, X11Windows } from "./x11_windows.ts";

/** Options of {@linkcode X11Apps}. */
export interface X11AppsOptions {
  /** Started apps get this environment (DISPLAY, PATH, XDG_*). @default Deno.env */
  env?: Record<string, string>;
  /** How long `open` waits for a window of the new app, in ms. @default 10000 */
  openWaitMs?: number;
  /** How long `close` waits after the close requests before SIGTERM, in ms. @default 3000 */
  closeGraceMs?: number;
  /** How long `close` waits after SIGTERM, in ms. @default 2000 */
  termWaitMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) [ZX]/.test(stat); // zombies have exited
  } catch {
    return false;
  }
}

/** The app name a window belongs to (WM_CLASS class, else instance). */
export function appNameOf(w: X11WindowInfo): string {
  return w.class || w.instance || "";
}

/**
 * Applications on one X display.
 *
 * @example Usage
 * ```ts ignore
 * import { X11Apps } from "./x11_apps.ts";
 * import { X11Windows } from "./x11_windows.ts";
 * const apps = new X11Apps(await X11Windows.open(":99"));
 * console.log(await apps.list());
 * ```
 */
export class X11Apps {
  #windows: X11Windows;
  #launcher: AppLauncher;
  #options: X11AppsOptions;
  /** Names given to `open` → what was started, so `close(name)` finds it by pid too. */
  #launched = new Map<string, { pid: number; wmClass: string | null }>();

  /** Creates the app view over a windows connection. */
  constructor(windows: X11Windows, options: X11AppsOptions = {}) {
    this.#windows = windows;
    this.#launcher = new AppLauncher(options.env === undefined ? {} : { env: options.env });
    this.#options = options;
  }

  /** Distinct names of the apps that have top-level windows, in window order. */
  async list(): Promise<string[]> {
    const names = (await this.#windows.list()).map(appNameOf).filter((n) => n.length > 0);
    return [...new Set(names)];
  }

  /** Windows of the app called `name` (WM_CLASS, launched pid, else title substring). */
  async windowsOf(name: string): Promise<X11WindowInfo[]> {
    const all = await this.#windows.list();
    const lower = name.toLowerCase();
    const launched = this.#launched.get(name);
    const byClass = all.filter((w) =>
      w.class.toLowerCase() === lower || w.instance.toLowerCase() === lower ||
      (launched !== undefined &&
        (w.pid === launched.pid ||
          (launched.wmClass !== null && w.class.toLowerCase() === launched.wmClass.toLowerCase())))
    );
    if (byClass.length > 0) return byClass;
    return all.filter((w) => w.title.toLowerCase().includes(lower));
  }

  /**
   * Starts `name` and waits until a new window of it appears (or `openWaitMs`):
   * windows that existed before the launch do not count, so another instance
   * already open does not end the wait early.
   *
   * @throws {RemoteError} `not_found` when there is no such app.
   */
  async open(name: string, signal?: AbortSignal): Promise<void> {
    const before = new Set((await this.#windows.list()).map((w) => w.id));
    const launched = await this.#launcher.launch(name);
    this.#launched.set(name, { pid: launched.pid, wmClass: launched.entry?.wmClass ?? null });
    const base = launched.argv[0]!.split("/").pop()!.toLowerCase();
    const wmClass = launched.entry?.wmClass ?? null;
    const deadline = Date.now() + (this.#options.openWaitMs ?? 10000);
    while (Date.now() < deadline && !signal?.aborted) {
      const wins = await this.#windows.list();
      if (
        wins.some((w) =>
          !before.has(w.id) && (w.pid === launched.pid || w.instance.toLowerCase() === base ||
            w.class.toLowerCase() === base ||
            (wmClass !== null && w.class.toLowerCase() === wmClass.toLowerCase()))
        )
      ) return;
      if (!alive(launched.pid) && launched.entry === null) {
        throw new RemoteError("internal", `'${name}' exited right after it was started`);
      }
      await sleep(100);
    }
  }

  /**
   * Focuses the app's first window (un-minimizing it).
   *
   * @throws {RemoteError} `not_found` when the app has no window.
   */
  async focus(name: string): Promise<void> {
    const wins = await this.windowsOf(name);
    const target = wins.find((w) => !w.minimized) ?? wins[0];
    if (target === undefined) {
      throw new RemoteError("not_found", `No window of app '${name}': check apps.list`);
    }
    await this.#windows.focus(target.id);
  }

  /**
   * Closes the app: asks each of its windows to close, waits `closeGraceMs`,
   * sends SIGTERM to processes still running, waits `termWaitMs`.
   *
   * @throws {RemoteError} `not_found` when the app has no window; `timeout` naming the pids
   *   when the app is still running after SIGTERM.
   */
  async close(name: string): Promise<void> {
    const wins = await this.windowsOf(name);
    const launched = this.#launched.get(name);
    if (wins.length === 0 && launched === undefined) {
      throw new RemoteError("not_found", `No window of app '${name}': check apps.list`);
    }
    const pids = new Set(wins.map((w) => w.pid).filter((p) => p > 0));
    if (launched !== undefined) pids.add(launched.pid);
    for (const w of wins) {
      await this.#windows.requestClose(w.id).catch((e) => {
        if (!(e instanceof RemoteError && e.code === "not_found")) throw e;
      });
    }
    const ids = new Set(wins.map((w) => w.id));
    const done = async () =>
      [...pids].every((p) => !alive(p)) &&
      !(await this.#windows.list()).some((w) => ids.has(w.id));
    if (await this.#waitFor(done, this.#options.closeGraceMs ?? 3000)) return this.#forget(name);
    for (const pid of pids) {
      try {
        if (alive(pid)) Deno.kill(pid, "SIGTERM");
      } catch {
        // exited meanwhile
      }
    }
    const gone = () => Promise.resolve([...pids].every((p) => !alive(p)));
    if (await this.#waitFor(gone, this.#options.termWaitMs ?? 2000)) return this.#forget(name);
    const left = [...pids].filter(alive);
    throw new RemoteError(
      "timeout",
      `App '${name}' did not exit: process ${left.join(", ")} ignored the close request and ` +
        "SIGTERM; it may be hung (kill it with process tools if needed)",
      { pids: left },
    );
  }

  #forget(name: string): void {
    this.#launched.delete(name);
  }

  async #waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (await check()) return true;
      if (Date.now() >= deadline) return false;
      await sleep(50);
    }
  }
}
