/**
 * `display.subscribe` for `NativeComputer`: frames at the requested rate,
 * captured only when the consumer asks for the next one (a slow consumer
 * gets the newest screen, never a backlog), and with the `delta` extension
 * only the changed areas (tile comparison in the shim) as non-key frames.
 *
 * @module
 */

import { sleep } from "../../../protocol/sleep.ts";
import type { SubscribeDisplayParamsInit } from "../../methods/params.ts";
import type { DisplayFrame, Pixmap } from "../../types/display.ts";
import type { PixmapFormat } from "../../types/enums.ts";
import type { ImageLimits } from "./coordinates.ts";
import type { NativeLibrary } from "./ffi.ts";
import { encodeChoice, grabScaled, nativeFormatOf, resolveCaptureArea } from "./_capture_flow.ts";
import type { NativeDisplay } from "./native_display.ts";
import { NativeDiff, NativeFrame, type PixelRect } from "./native_frame.ts";

/** Highest frame rate a stream runs at (advertised as `limits["display.stream"].max_fps`). */
export const MAX_STREAM_FPS = 60;
/** Tile edge of the delta comparison, in image pixels. */
export const DELTA_TILE_SIZE = 64;
/** A delta tick that changed at least this share of the image is sent as a keyframe. */
const KEYFRAME_SHARE = 0.5;

/** Frame numbering of one stream, shared by its ticks. */
export interface StreamCounters {
  /** Number of the next frame sent. */
  frameNumber: number;
  /** Delta frames sent since the last keyframe. */
  sinceKey: number;
}

/** What one tick captured: the area (logical), the image size it was scaled to, when. */
export interface StreamTick {
  readonly area: { readonly rect: { width: number; height: number }; displayId: string | null };
  readonly size: { width: number; height: number };
  readonly capturedAt: number;
}

/**
 * Turns the image `frame` holds into the frames of one tick: the whole image
 * without `diff`; with it, nothing when nothing changed, a keyframe when one
 * is due or at least half the image changed, else one delta frame per
 * changed rectangle. Every native driver's stream uses it.
 */
export async function* emitTick(
  frame: NativeFrame,
  diff: NativeDiff | null,
  choice: { format: PixmapFormat; quality: number; compact?: boolean },
  tick: StreamTick,
  counters: StreamCounters,
  keyEvery: number | undefined,
): AsyncGenerator<DisplayFrame> {
  const { area, size, capturedAt } = tick;
  const pixmapOf = async (rect: PixelRect | null): Promise<Pixmap> => {
    const part = rect ?? { x: 0, y: 0, width: size.width, height: size.height };
    const data = await frame.encode(nativeFormatOf(choice), {
      quality: choice.quality,
      ...(rect ? { area: rect } : {}),
    });
    return {
      data,
      format: choice.format,
      width: part.width,
      height: part.height,
      logical_width: Math.round(part.width * area.rect.width / size.width),
      logical_height: Math.round(part.height * area.rect.height / size.height),
      display_id: area.displayId,
      captured_at: capturedAt,
    };
  };
  if (!diff) {
    yield { pixmap: await pixmapOf(null), frame_number: counters.frameNumber++, keyframe: true };
    return;
  }
  const forceKey = counters.frameNumber === 0 ||
    (keyEvery !== undefined && counters.sinceKey >= keyEvery);
  const rects = await diff.update(frame, forceKey);
  if (rects.length === 0) return;
  const changed = rects.reduce((sum, r) => sum + r.width * r.height, 0);
  if (forceKey || changed >= KEYFRAME_SHARE * size.width * size.height) {
    yield { pixmap: await pixmapOf(null), frame_number: counters.frameNumber++, keyframe: true };
    counters.sinceKey = 0;
    return;
  }
  for (const rect of rects) {
    const pixmap = await pixmapOf(rect);
    yield { pixmap, frame_number: counters.frameNumber++, keyframe: false, patch: { ...rect } };
    counters.sinceKey++;
  }
}

/**
 * The frame stream. Ends when `signal` aborts or the consumer stops iterating.
 *
 * @param display The open display.
 * @param lib The shim.
 * @param params `display.subscribe` params (with opendesk's extension params).
 * @param signal Stops the stream.
 */
export async function* streamDisplay(
  display: NativeDisplay,
  lib: NativeLibrary,
  params: SubscribeDisplayParamsInit,
  signal?: AbortSignal,
): AsyncGenerator<DisplayFrame> {
  const fps = Math.min(Math.max(params.fps ?? 30, 1), MAX_STREAM_FPS);
  const choice = encodeChoice(display, params);
  const limits: ImageLimits = {
    downscale: params.downscale ?? true,
    max_width: params.max_width,
    max_height: params.max_height,
    max_pixels: params.max_pixels,
  };
  const keyEvery = params.keyframe_interval;
  const frame = new NativeFrame(lib);
  const diff = params.delta ? new NativeDiff(lib, DELTA_TILE_SIZE) : null;
  try {
    let next = performance.now();
    const counters: StreamCounters = { frameNumber: 0, sinceKey: 0 };
    while (!signal?.aborted) {
      await sleep(next - performance.now(), signal);
      if (signal?.aborted) break;
      next = Math.max(next + 1000 / fps, performance.now());
      const area = resolveCaptureArea(display, params);
      const capturedAt = Date.now() / 1000;
      const size = await grabScaled(display, frame, area.rect, limits, choice.cursor);
      yield* emitTick(frame, diff, choice, { area, size, capturedAt }, counters, keyEvery);
    }
  } finally {
    frame.destroy();
    diff?.destroy();
  }
}

/**
 * Runs a driver's stream so that it ends when the caller's signal aborts or
 * when the driver closes (it aborts every controller in `streams`).
 *
 * @param streams The driver's open streams (the controller is added while it runs).
 * @param signal The caller's signal.
 * @param run Starts the stream with the signal that stops it.
 */
export async function* stoppableStream<T>(
  streams: Set<AbortController>,
  signal: AbortSignal | undefined,
  run: (stop: AbortSignal) => AsyncGenerator<T>,
): AsyncGenerator<T> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  streams.add(stop);
  try {
    yield* run(stop.signal);
  } finally {
    streams.delete(stop);
    signal?.removeEventListener("abort", onAbort);
  }
}
