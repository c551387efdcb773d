/**
 * `NativeJob`: one Windows job object of `opendesk.dll` (a process tree that ends as one). The
 * apps service starts programs into jobs so that closing an app can end every process it
 * started, and the same handle is what a host-level process runner uses for tree kills.
 *
 * Job calls that wait run on a worker thread, so the shim's per-thread error text is not
 * readable afterwards; failures are worded here from the status.
 *
 * @module
 */

import { NATIVE_STATUS } from "../x11/ffi.ts";
import { NativeError, nativeStatusName } from "../x11/native_error.ts";
import { cString, pointerFrom, readText } from "../x11/_native_util.ts";
import { WIN32_JOB_FLAG, type Win32Library } from "./ffi_symbols.ts";

/** The symbols a job uses (the fake library in the tests provides the same). */
export type JobSymbols = Pick<
  Win32Library["symbols"],
  | "od_job_create"
  | "od_job_destroy"
  | "od_job_assign"
  | "od_job_spawn"
  | "od_job_processes"
  | "od_job_terminate"
  | "od_job_wait"
  | "od_app_launch"
  | "od_app_wait_window"
  | "od_app_close"
  | "od_last_error"
>;

function fail(status: number, action: string, detail = ""): NativeError {
  return new NativeError(
    status,
    `Cannot ${action}: ${detail.length > 0 ? detail : nativeStatusName(status)}`,
  );
}

/** A job object: a process tree that can be ended as one. */
export class NativeJob {
  #symbols: JobSymbols;
  #handle: Deno.PointerObject | null;

  private constructor(symbols: JobSymbols, handle: Deno.PointerObject) {
    this.#symbols = symbols;
    this.#handle = handle;
  }

  /**
   * Creates an empty job.
   *
   * @param symbols The DLL's job functions.
   * @param killOnClose When true, `destroy()` (or this process ending) ends every process still
   * in the job; when false they outlive the handle (apps the user opened).
   */
  static create(symbols: JobSymbols, killOnClose: boolean): NativeJob {
    const out = new BigUint64Array(1);
    const status = symbols.od_job_create(killOnClose ? WIN32_JOB_FLAG.KILL_ON_CLOSE : 0, out);
    if (status !== NATIVE_STATUS.OD_OK) {
      throw fail(status, "create a job object", readText(symbols.od_last_error));
    }
    const handle = pointerFrom(out);
    if (handle === null) throw fail(NATIVE_STATUS.OD_ERR_STATE, "create a job object");
    return new NativeJob(symbols, handle);
  }

  #h(): Deno.PointerObject {
    if (this.#handle === null) throw fail(NATIVE_STATUS.OD_ERR_STATE, "use a destroyed job");
    return this.#handle;
  }

  /** Adds a running process; false when it has already exited. */
  assign(pid: number): boolean {
    const status = this.#symbols.od_job_assign(this.#h(), pid);
    if (status === NATIVE_STATUS.OD_ERR_NOT_FOUND) return false;
    if (status !== NATIVE_STATUS.OD_OK) {
      throw fail(status, `add process ${pid} to a job`, readText(this.#symbols.od_last_error));
    }
    return true;
  }

  /**
   * Opens `target` (path, program name, document or URL) with ShellExecuteEx into this job.
   *
   * @returns The new process id, or 0 when Windows handed the request to a running program.
   * @throws {NativeError} `OD_ERR_NOT_FOUND` when Windows knows no such program or file.
   */
  async launch(target: string, args = ""): Promise<number> {
    const pid = new Uint32Array(1);
    const status = await this.#symbols.od_app_launch(
      this.#h(),
      cString(target),
      args.length > 0 ? cString(args) : null,
      pid,
    );
    if (status !== NATIVE_STATUS.OD_OK) throw fail(status, `open '${target}'`);
    return pid[0] ?? 0;
  }

  /**
   * Starts a command line (CreateProcess rules) suspended, inside the job, then lets it run.
   *
   * @returns The process id.
   */
  async spawn(commandLine: string, cwd?: string): Promise<number> {
    const pid = new Uint32Array(1);
    const status = await this.#symbols.od_job_spawn(
      this.#h(),
      cString(commandLine),
      cwd === undefined ? null : cString(cwd),
      pid,
    );
    if (status !== NATIVE_STATUS.OD_OK) throw fail(status, `start '${commandLine}'`);
    return pid[0] ?? 0;
  }

  /**
   * Waits for the first visible, titled top-level window of a process in the job.
   *
   * @returns The window's handle; null when every process ended without a window or the wait
   * passed `timeoutMs`.
   */
  async waitWindow(timeoutMs: number): Promise<number | null> {
    const window = new Uint32Array(1);
    const status = await this.#symbols.od_app_wait_window(this.#h(), timeoutMs, window);
    if (status === NATIVE_STATUS.OD_OK) return window[0] ?? 0;
    if (status === NATIVE_STATUS.OD_ERR_NOT_FOUND || status === NATIVE_STATUS.OD_ERR_WIN_TIMEOUT) {
      return null;
    }
    throw fail(status, "wait for the application's window");
  }

  /** The process ids still running in the job. */
  processes(): number[] {
    let cap = 16;
    for (;;) {
      const pids = new Uint32Array(cap);
      const count = new Uint32Array(1);
      const status = this.#symbols.od_job_processes(this.#h(), pids, cap, count);
      const n = count[0] ?? 0;
      if (status === NATIVE_STATUS.OD_ERR_BUFFER_TOO_SMALL && n > cap) {
        cap = n;
        continue;
      }
      if (status !== NATIVE_STATUS.OD_OK) {
        throw fail(status, "list the job's processes", readText(this.#symbols.od_last_error));
      }
      return [...pids.subarray(0, n)];
    }
  }

  /**
   * Closes politely (WM_CLOSE to every window of the job), waits `graceMs`, then terminates
   * what is left.
   *
   * @returns True when termination was needed.
   */
  async close(graceMs: number): Promise<boolean> {
    const terminated = new Uint32Array(1);
    const status = await this.#symbols.od_app_close(this.#h(), graceMs, terminated);
    if (status !== NATIVE_STATUS.OD_OK) throw fail(status, "close the application");
    return terminated[0] === 1;
  }

  /** Ends every process of the tree now. */
  terminate(exitCode = 1): void {
    const status = this.#symbols.od_job_terminate(this.#h(), exitCode);
    if (status !== NATIVE_STATUS.OD_OK) {
      throw fail(status, "end the job's processes", readText(this.#symbols.od_last_error));
    }
  }

  /** Waits until no process is left; false after `timeoutMs`. */
  async wait(timeoutMs: number): Promise<boolean> {
    const status = await this.#symbols.od_job_wait(this.#h(), timeoutMs);
    if (status === NATIVE_STATUS.OD_OK) return true;
    if (status === NATIVE_STATUS.OD_ERR_WIN_TIMEOUT) return false;
    throw fail(status, "wait for the job's processes");
  }

  /** Releases the job (ending what still runs in it when made kill-on-close). Idempotent. */
  async destroy(): Promise<void> {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    await this.#symbols.od_job_destroy(handle);
  }
}
