/**
 * `sleep`: waits `ms` milliseconds, or less when `signal` aborts (it then
 * resolves early rather than rejecting: callers check `signal.aborted`).
 * The one abortable wait of the code base.
 *
 * @module
 */

/**
 * Resolves after `ms` milliseconds or as soon as `signal` aborts.
 *
 * @param ms Milliseconds to wait; 0 or less resolves at once.
 * @param signal Ends the wait early.
 * @returns A promise that never rejects.
 * @example Usage
 * ```ts
 * import { sleep } from "./sleep.ts";
 * await sleep(1);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
