/**
 * `display.subscribe` for the Wayland driver: screencopy with damage
 * (`copy_with_damage`), so a frame is produced only when the compositor
 * reports a change and a static screen costs nothing. The frame rate is a
 * ceiling; with the `delta` extension only the changed tiles are sent (the
 * same tile comparison and keyframe rule as the X11 driver).
 *
 * @module
 */

import { sleep } from "../../../protocol/sleep.ts";
import type { SubscribeDisplayParamsInit } from "../../methods/params.ts";
import type { DisplayFrame, Pixmap } from "../../types/display.ts";
import { fitImageSize } from "../x11/coordinates.ts";
import { DELTA_TILE_SIZE, MAX_STREAM_FPS } from "../x11/_display_stream.ts";
import type { NativeLibrary } from "../x11/ffi.ts";
import { NativeDiff, NativeFrame, type PixelRect } from "../x11/native_frame.ts";
import { encodeChoice, limitsOf, resolveArea } from "./wayland_capture.ts";
import type { WaylandConnection } from "./wayland_connection.ts";
import type { WaylandStream } from "./wayland_stream_handle.ts";

/** A delta tick that changed at least this share of the image is sent as a keyframe. */
const KEYFRAME_SHARE = 0.5;
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
    let next = performance.now();
    let frameNumber = 0;
    let sinceKey = 0;
    while (!signal?.aborted) {
      await sleep(next - performance.now(), signal);
      if (signal?.aborted) break;
      if (!await nextDamage(stream, frame, signal)) break;
      next = Math.max(next + 1000 / fps, performance.now());
      const capturedAt = Date.now() / 1000;
      const area = first.outputIndex >= 0 ? first : resolveArea(conn, params);
      if (first.outputIndex < 0) await conn.grab(frame.handle, area.rect, choice.cursor);
      const image = frame.pixels();
      const size = fitImageSize(image.width, image.height, limits);
      if (size.width !== image.width || size.height !== image.height) {
        await frame.scale(size.width, size.height);
      }
      const pixmapOf = async (rect: PixelRect | null): Promise<Pixmap> => {
        const part = rect ?? { x: 0, y: 0, width: size.width, height: size.height };
        const data = await frame.encode(choice.format, {
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
        yield { pixmap: await pixmapOf(null), frame_number: frameNumber++, keyframe: true };
        continue;
      }
      const forceKey = frameNumber === 0 || (keyEvery !== undefined && sinceKey >= keyEvery);
      const rects = await diff.update(frame, forceKey);
      if (rects.length === 0) continue;
      const changed = rects.reduce((sum, r) => sum + r.width * r.height, 0);
      if (forceKey || changed >= KEYFRAME_SHARE * size.width * size.height) {
        yield { pixmap: await pixmapOf(null), frame_number: frameNumber++, keyframe: true };
        sinceKey = 0;
        continue;
      }
      for (const rect of rects) {
        const pixmap = await pixmapOf(rect);
        yield { pixmap, frame_number: frameNumber++, keyframe: false, patch: { ...rect } };
        sinceKey++;
      }
    }
  } finally {
    frame.destroy();
    diff?.destroy();
    await stream.close();
  }
}
