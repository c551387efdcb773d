/**
 * `display.subscribe` for the Wayland driver: screencopy with damage
 * (`copy_with_damage`), so a frame is produced only when the compositor
 * reports a change and a static screen costs nothing. With the `delta`
 * extension only the changed tiles are sent (the same tile comparison and
 * keyframe rule as the X11 driver).
 *
 * Pacing follows the changes, not a clock: the shim keeps a copy pending at
 * all times, so a change is copied when the compositor shows it, and a frame
 * is sent as soon as it is in and the rate allows. The frame rate is a
 * ceiling on average: a frame may go up to one interval early after a late
 * one (an app drawing at the stream's rate jitters around it, and waiting
 * for a fixed tick would drop its frames). A frame that must wait for the
 * rate is replaced by a newer one that arrives meanwhile; at most one waits.
 *
 * @module
 */

import { sleep } from "../../../protocol/sleep.ts";
import type { SubscribeDisplayParamsInit } from "../../methods/params.ts";
import type { DisplayFrame } from "../../types/display.ts";
import { fitImageSize } from "../x11/coordinates.ts";
import {
  DELTA_TILE_SIZE,
  emitTick,
  MAX_STREAM_FPS,
  type StreamCounters,
} from "../x11/_display_stream.ts";
import type { NativeLibrary } from "../x11/ffi.ts";
import { NativeDiff, NativeFrame } from "../x11/native_frame.ts";
import { encodeChoice, limitsOf, resolveArea } from "./wayland_capture.ts";
import type { WaylandConnection } from "./wayland_connection.ts";
import type { WaylandStream } from "./wayland_stream_handle.ts";

/** How long one wait for damage lasts before the stop signal is checked again, in ms. */
const DAMAGE_WAIT_MS = 200;

/** Waits until the output changed (true) or the signal aborted (false). */
async function nextDamage(
  stream: WaylandStream,
  frame: NativeFrame,
  signal?: AbortSignal,
): Promise<boolean> {
  while (!signal?.aborted) {
    if (await stream.next(frame.handle, DAMAGE_WAIT_MS) > 0) return true;
  }
  return false;
}

/**
 * The frame stream. Ends when `signal` aborts or the consumer stops iterating.
 *
 * @param conn The compositor connection.
 * @param lib The shim opened with the X11 table (frames, encoders, diff).
 * @param params `display.subscribe` params (with opendesk's extension params).
 * @param signal Stops the stream.
 */
export async function* streamDisplay(
  conn: WaylandConnection,
  lib: NativeLibrary,
  params: SubscribeDisplayParamsInit,
  signal?: AbortSignal,
): AsyncGenerator<DisplayFrame> {
  const fps = Math.min(Math.max(params.fps ?? 30, 1), MAX_STREAM_FPS);
  const choice = encodeChoice(params);
  const limits = limitsOf(params);
  const keyEvery = params.keyframe_interval;
  const first = resolveArea(conn, params);
  const outputs = conn.outputs();
  // A region streams the output holding its top-left corner; damage there triggers a grab.
  const outputIndex = first.outputIndex >= 0 ? first.outputIndex : Math.max(
    0,
    outputs.findIndex((o) =>
      first.rect.x >= o.x && first.rect.y >= o.y && first.rect.x < o.x + o.width &&
      first.rect.y < o.y + o.height
    ),
  );
  const stream = await conn.openStream(outputIndex, choice.cursor);
  const frame = new NativeFrame(lib);
  const diff = params.delta ? new NativeDiff(lib, DELTA_TILE_SIZE) : null;
  try {
    const interval = 1000 / fps;
    let due = performance.now(); // the earliest time the next frame may be sent
    const counters: StreamCounters = { frameNumber: 0, sinceKey: 0 };
    while (!signal?.aborted) {
      if (!await nextDamage(stream, frame, signal)) break;
      let capturedAt = Date.now() / 1000;
      if (due > performance.now()) {
        await sleep(due - performance.now(), signal);
        if (signal?.aborted) break;
        // A newer image that came in meanwhile replaces the waiting one.
        if (await stream.next(frame.handle, 0) > 0) capturedAt = Date.now() / 1000;
      }
      due = Math.max(due + interval, performance.now() - interval);
      const area = first.outputIndex >= 0 ? first : resolveArea(conn, params);
      if (first.outputIndex < 0) await conn.grab(frame.handle, area.rect, choice.cursor);
      const image = frame.pixels();
      const size = fitImageSize(image.width, image.height, limits);
      if (size.width !== image.width || size.height !== image.height) {
        await frame.scale(size.width, size.height);
      }
      yield* emitTick(frame, diff, choice, { area, size, capturedAt }, counters, keyEvery);
    }
  } finally {
    frame.destroy();
    diff?.destroy();
    await stream.close();
  }
}
