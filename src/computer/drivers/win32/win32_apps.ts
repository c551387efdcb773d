/**
 * `Win32Apps`: applications on Windows, seen through their top-level windows and started into
 * job objects. `open` launches with ShellExecuteEx (a path, a program name found on PATH or under
 * "App Paths", a document) and waits for the first window of any process of the job; `close`
 * sends WM_CLOSE to every window of the app's processes, waits, then ends the whole process tree
 * through the job (an app that was not started here is first put in a new job by pid). The
 * jobs are not kill-on-close: apps opened here outlive the server.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { NATIVE_STATUS } from "../x11/ffi.ts";
import { NativeError } from "../x11/native_error.ts";
import type { X11WindowInfo, X11Windows } from "../x11/x11_windows.ts";
import { type JobSymbols, NativeJob } from "./_native_job.ts";
import { win32AppName } from "./win32_windows.ts";

/** Options of {@linkcode Win32Apps}. */
export interface Win32AppsOptions {
  /** How long `open` waits for the app's first window, in ms. @default 10000 */
  openWaitMs?: number;
  /** How long `close` waits after WM_CLOSE before ending the processes, in ms. @default 3000 */
  closeGraceMs?: number;
}

/** Applications of the Windows desktop. */
export class Win32Apps {
  #windows: X11Windows;
  #symbols: JobSymbols;
  #options: Win32AppsOptions;
  /** Names given to `open` → the job holding what was started. */
  #launched = new Map<string, NativeJob>();

  /** Creates the view over a windows connection and the DLL's job functions. */
  constructor(windows: X11Windows, symbols: JobSymbols, options: Win32AppsOptions = {}) {
    this.#windows = windows;
    this.#symbols = symbols;
    this.#options = options;
  }

  /** Distinct names of the apps that have top-level windows, in window order. */
  async list(): Promise<string[]> {
    const names = (await this.#windows.list()).map(win32AppName).filter((n) => n.length > 0);
    return [...new Set(names)];
  }

  /** Windows of the app called `name` (executable name, pid started here, else title). */
  async windowsOf(name: string): Promise<X11WindowInfo[]> {
    const all = await this.#windows.list();
    const lower = name.toLowerCase().replace(/\.exe$/, "");
    const job = this.#launched.get(name);
    const pids = new Set(job === undefined ? [] : job.processes());
    const byName = all.filter((w) =>
      win32AppName(w).toLowerCase() === lower || w.class.toLowerCase() === lower ||
      pids.has(w.pid)
    );
    if (byName.length > 0) return byName;
    return all.filter((w) => w.title.toLowerCase().includes(lower));
  }

  /**
   * Starts `name` and waits until a window of it appears (or `openWaitMs`).
   *
   * @throws {RemoteError} `not_found` when Windows knows no such program; `internal` when every
   * process of it ended without a window.
   */
  async open(name: string, signal?: AbortSignal): Promise<void> {
    if (name.trim().length === 0 || name.includes("\0")) {
      throw new RemoteError("invalid_argument", "Cannot open an app without a name");
    }
    const job = NativeJob.create(this.#symbols, false);
    let pid: number;
    try {
      pid = await job.launch(name);
    } catch (error) {
      await job.destroy();
      if (error instanceof NativeError && error.status === NATIVE_STATUS.OD_ERR_NOT_FOUND) {
        throw new RemoteError(
          "not_found",
          `No app '${name}': give a program name on PATH, a registered app or a full path`,
          {},
          { cause: error },
        );
      }
      throw error;
    }
    if (pid === 0) {
      // An already running program took the request (a single-instance app): nothing to wait
      // for in the job, and nothing of it belongs to us.
      await job.destroy();
      return;
    }
    const previous = this.#launched.get(name);
    this.#launched.set(name, job);
    if (previous !== undefined) await previous.destroy();
    const waitMs = this.#options.openWaitMs ?? 10000;
    const window = await (signal?.aborted ? Promise.resolve(0) : job.waitWindow(waitMs));
    if (window === null && job.processes().length === 0) {
      this.#launched.delete(name);
      await job.destroy();
      throw new RemoteError("internal", `'${name}' exited without showing a window`);
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
   * Closes the app: WM_CLOSE to its windows, `closeGraceMs` to exit, then its process tree is
   * ended through the job.
   *
   * @throws {RemoteError} `not_found` when the app has no window and was not started here;
   * `timeout` when processes survive termination.
   */
  async close(name: string): Promise<void> {
    let job = this.#launched.get(name);
    const owned = job !== undefined;
    if (job === undefined) {
      const wins = await this.windowsOf(name);
      if (wins.length === 0) {
        throw new RemoteError("not_found", `No window of app '${name}': check apps.list`);
      }
      job = NativeJob.create(this.#symbols, false);
      const pids = new Set(wins.map((w) => w.pid).filter((p) => p > 0));
      const members = [...pids].filter((pid) => job!.assign(pid));
      if (members.length === 0) {
        await job.destroy();
        return; // every process exited meanwhile
      }
    }
    try {
      await job.close(this.#options.closeGraceMs ?? 3000);
      const left = job.processes();
      if (left.length > 0) {
        throw new RemoteError(
          "timeout",
          `App '${name}' did not exit: process ${left.join(", ")} survived termination`,
          { pids: left },
        );
      }
    } finally {
      if (owned) this.#launched.delete(name);
      await job.destroy();
    }
  }

  /** Releases the jobs of the apps started here; the apps keep running. */
  async release(): Promise<void> {
    const jobs = [...this.#launched.values()];
    this.#launched.clear();
    await Promise.allSettled(jobs.map((job) => job.destroy()));
  }
}
