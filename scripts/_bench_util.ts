/**
 * Timing helpers shared by the capture benchmarks (`bench_capture.ts` and
 * `bench_capture_wayland.ts`): percentiles, timed runs, and draining a frame
 * stream for a while.
 *
 * @module
 */

import type { DisplayFrame } from "../src/computer/types/display.ts";

/** The `p` quantile (0-1) of `samples`. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/** Runs `fn` once untimed, then `runs` times; returns each run's milliseconds. */
export async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Consumes a stream for `seconds`; returns frames, payload bytes and distinct capture ticks. */
export async function drain(
  open: (signal: AbortSignal) => AsyncIterable<DisplayFrame>,
  seconds: number,
  skipFirst: boolean,
): Promise<{ frames: number; bytes: number; ticks: number; elapsed: number }> {
  const abort = new AbortController();
  const stream = open(abort.signal);
  const stop = Date.now() + seconds * 1000;
  let frames = 0, bytes = 0, first = true;
  const ticks = new Set<number>();
  const start = performance.now();
  const it = stream[Symbol.asyncIterator]();
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const left = stop - Date.now();
    if (left <= 0) break;
    const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), left)));
    const next = it.next();
    const got = await Promise.race([next, timeout]);
    clearTimeout(timer);
    if (got === null) {
      abort.abort();
      await next.catch(() => {});
      break;
    }
    if (got.done) break;
    if (first && skipFirst) {
      first = false;
      continue;
    }
    first = false;
    frames++;
    bytes += got.value.pixmap.data.length;
    ticks.add(got.value.pixmap.captured_at);
  }
  abort.abort();
  await it.return?.(undefined);
  return { frames, bytes, ticks: ticks.size, elapsed: (performance.now() - start) / 1000 };
}
