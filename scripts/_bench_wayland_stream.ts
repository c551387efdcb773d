/**
 * The stream rows of `bench:capture --driver wayland`: a 200×200 animation
 * drawn at 30 fps by a real Wayland client (GTK, `animation.py`), streamed
 * with `display.subscribe` (full output, delta, PNG, fps 30) through the real
 * server process, pairing and encryption; every frame number the app drew is
 * read back from the delivered pixels, so distinct frames and drops are
 * counted exactly.
 *
 * @module
 */

import type { Computer } from "../src/computer/computer.ts";
import type { Sway } from "../tests/native/wayland/_sway_fixture.ts";
import {
  ANIMATION_FPS,
  type AnimationSeen,
  readAnimation,
  startAnimation,
} from "../tests/computer/drivers/wayland/_animation.ts";

/** What the animation row measured. */
export interface AnimationFigures {
  /** Frames the app drew. */
  drawn: number;
  /** Of those, frames delivered (distinct numbers seen). */
  delivered: number;
  /** The app's own frame rate over the run. */
  appFps: number;
  /** Delivered distinct frames per second of the app's run. */
  deliveredFps: number;
  /** Payload bytes per second. */
  kbPerSecond: number;
  /** The longest run of consecutive frames lost. */
  longestGap: number;
}

/** Streams `seconds` of the animation; counts what arrives. */
export async function benchAnimation(
  sway: Sway,
  computer: Computer,
  seconds: number,
): Promise<AnimationFigures> {
  const anim = await startAnimation(sway);
  const abort = new AbortController();
  try {
    const n = Math.round(seconds * ANIMATION_FPS);
    const frames = computer.subscribeDisplay(
      { fps: ANIMATION_FPS, delta: true, downscale: false },
      { signal: abort.signal },
    );
    let started: Promise<number> | undefined;
    const deadline = setTimeout(() => abort.abort(), (seconds + 30) * 1000);
    const seen: AnimationSeen = { numbers: [], frames: 0, bytes: 0 };
    await readAnimation(frames, (s) => {
      // The first frame (the whole screen) is in: start the animation.
      started ??= anim.run(n);
      return s.numbers.includes(n);
    }, seen).catch((error) => {
      // The deadline: count what came (frame n never did).
      if (!abort.signal.aborted) throw error;
    });
    clearTimeout(deadline);
    const appSeconds = await started!;
    const distinct = new Set(seen.numbers.filter((k) => k >= 1 && k <= n));
    let gap = 0, longestGap = 0;
    for (let k = 1; k <= n; k++) {
      gap = distinct.has(k) ? 0 : gap + 1;
      longestGap = Math.max(longestGap, gap);
    }
    const appFps = (n - 1) / appSeconds;
    return {
      drawn: n,
      delivered: distinct.size,
      appFps,
      deliveredFps: appFps * distinct.size / n,
      kbPerSecond: seen.bytes / appSeconds / 1024,
      longestGap,
    };
  } finally {
    abort.abort();
    await anim.stop();
  }
}
