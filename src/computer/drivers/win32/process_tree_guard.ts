/**
 * Process-tree kill on Windows for `process.shell` / `process.exec`: Windows has no process
 * groups, so the host's runner puts the child it spawned into a job object right after spawning
 * (every process the child starts from then on joins the job) and ends the job on timeout,
 * cancellation or output overflow. Before this, only the direct child died there.
 *
 * The job is not kill-on-close: when the command ends normally, programs it started in the
 * background keep running, as they do on Linux. A grandchild started in the moment between
 * spawn and assignment stays outside the job (`od_job_spawn` closes that gap, but it cannot give
 * the runner the pipes `Deno.Command` gives).
 *
 * @module
 */

import { openNativeLibrary } from "../native_library.ts";
import { type JobSymbols, NativeJob } from "./_native_job.ts";
import { win32Symbols } from "./ffi_symbols.ts";

/** A spawned process's tree, held in a job object. */
export interface ProcessTreeGuard {
  /** Ends every process of the tree (the child and what it started). */
  terminate(): void;
  /** Lets go of the job; the processes keep running. */
  release(): Promise<void>;
}

/**
 * Puts `pid` into a new job object.
 *
 * @param pid The process just spawned.
 * @param symbols The DLL's job functions. @default the opened `opendesk.dll`
 * @returns The guard, or null when the DLL cannot be loaded or the process has already exited
 * (the runner then kills only the child, as before).
 */
export function guardProcessTree(
  pid: number,
  symbols?: JobSymbols,
): ProcessTreeGuard | null {
  let job: NativeJob;
  try {
    job = NativeJob.create(symbols ?? openNativeLibrary(win32Symbols).symbols, false);
  } catch {
    // No DLL, no --allow-ffi, or no job: the runner keeps its kill of the child alone.
    return null;
  }
  let joined = false;
  try {
    joined = job.assign(pid);
  } catch {
    joined = false;
  }
  if (!joined) {
    void job.destroy();
    return null;
  }
  return {
    terminate: () => {
      try {
        job.terminate(1);
      } catch {
        // the tree has already ended
      }
    },
    release: () => job.destroy(),
  };
}
