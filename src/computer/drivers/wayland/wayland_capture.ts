/**
 * Capture for the Wayland driver: outputs as `Display`s, the logical area a
 * request names, one encoded `Pixmap` (screencopy into a shared `od_frame`,
 * scaled inside the encoder as on X11), and the colour of one point.
 *
 * Coordinates are logical layout pixels; an output with scale s gives an
 * image s times larger, so `width`/`height` of a pixmap may exceed its
 * `logical_width`/`logical_height` before downscaling.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import type { CaptureParamsInit } from "../../methods/params.ts";
import type { Color, Display, Pixmap } from "../../types/display.ts";
import type { PixmapFormat } from "../../types/enums.ts";
import type { Point, Rect } from "../../types/geometry.ts";
import {
  type DeviceRect,
  fitImageSize,
  type ImageLimits,
  regionToDevice,
} from "../x11/coordinates.ts";
import { DEFAULT_JPEG_QUALITY, nativeFormatOf } from "../x11/_capture_flow.ts";
import type { FramePool } from "../x11/_frame_pool.ts";
import type { WaylandConnection, WaylandOutput } from "./wayland_connection.ts";

/** Outputs as wire `Display`s: ids "1", "2", … in the compositor's order, the first primary. */
export function outputsToDisplays(outputs: WaylandOutput[]): Display[] {
  return outputs.map((o, i) => ({
    id: String(i + 1),
    bounds: { x: o.x, y: o.y, width: o.width, height: o.height },
    scale_factor: o.scale,
    primary: i === 0,
    name: o.name.length > 0 ? o.name : `display-${i + 1}`,
  }));
}

/** A logical area of the layout, the output index it lies on (-1 for a region), its scale. */
export interface WaylandArea {
  /** Logical pixels. */
  rect: DeviceRect;
  /** `display_id` to report. */
  displayId: string | null;
  /** Index of the output when the whole output was asked for, else -1. */
  outputIndex: number;
  /** Buffer pixels per logical pixel. */
  scale: number;
}

/**
 * Resolves `display_id` / `region` to a logical area.
 *
 * @throws {RemoteError} `not_found` for an unknown display id, `invalid_argument` for a bad region.
 */
export function resolveArea(
  conn: WaylandConnection,
  params: { display_id?: string | null | undefined; region?: Rect | null | undefined },
): WaylandArea {
  const outputs = conn.outputs();
  const displays = outputsToDisplays(outputs);
  let index = -1;
  if (params.display_id !== null && params.display_id !== undefined) {
    index = displays.findIndex((d) => d.id === params.display_id);
    if (index < 0) {
      throw new RemoteError(
        "not_found",
        `Unknown display '${params.display_id}': the displays are ${
          displays.map((d) => `'${d.id}'`).join(", ")
        }`,
      );
    }
  }
  if (params.region) {
    const layout = conn.bounds();
    const rect = regionToDevice(params.region, layout.x + layout.width, layout.y + layout.height);
    const on = outputs.find((o) =>
      rect.x >= o.x && rect.y >= o.y && rect.x < o.x + o.width && rect.y < o.y + o.height
    );
    return {
      rect,
      displayId: index >= 0 ? displays[index]!.id : null,
      outputIndex: -1,
      scale: on?.scale ?? 1,
    };
  }
  if (index < 0) index = 0;
  const chosen = outputs[index];
  if (!chosen) {
    throw new RemoteError("not_found", "Cannot capture: the compositor reports no output");
  }
  return {
    rect: { x: chosen.x, y: chosen.y, width: chosen.width, height: chosen.height },
    displayId: displays[index]!.id,
    outputIndex: index,
    scale: chosen.scale,
  };
}

/** Encoding options shared by capture and streaming. */
export interface EncodeChoice {
  /** Encoding. */
  format: PixmapFormat;
  /** JPEG quality. */
  quality: number;
  /** Ask the compositor to draw the pointer. */
  cursor: boolean;
  /** Fewer bytes (palette PNG, optimised JPEG). */
  compact: boolean;
}

/** Reads the format/quality/cursor extension params (screencopy can always draw the pointer). */
export function encodeChoice(
  params: {
    format?: PixmapFormat | undefined;
    quality?: number | undefined;
    cursor?: boolean | undefined;
    compact?: boolean | undefined;
  },
): EncodeChoice {
  return {
    format: params.format ?? "png",
    quality: params.quality ?? DEFAULT_JPEG_QUALITY,
    cursor: params.cursor ?? false,
    compact: params.compact ?? false,
  };
}

/** The limits of a capture request. */
export function limitsOf(params: CaptureParamsInit): ImageLimits {
  return {
    downscale: params.downscale ?? true,
    max_width: params.max_width,
    max_height: params.max_height,
    max_pixels: params.max_pixels,
  };
}

/** One capture (`display.capture`) as a Pixmap. */
export async function captureOnce(
  conn: WaylandConnection,
  pool: FramePool,
  params: CaptureParamsInit,
): Promise<Pixmap> {
  const area = resolveArea(conn, params);
  const choice = encodeChoice(params);
  const size = fitImageSize(
    area.rect.width * area.scale,
    area.rect.height * area.scale,
    limitsOf(params),
  );
  return await pool.use(async (frame) => {
    const capturedAt = Date.now() / 1000;
    await conn.grab(frame.handle, area.rect, choice.cursor);
    const data = await frame.encodeScaled(nativeFormatOf(choice), size, {
      quality: choice.quality,
    });
    return {
      data,
      format: choice.format,
      width: size.width,
      height: size.height,
      logical_width: area.rect.width,
      logical_height: area.rect.height,
      display_id: area.displayId,
      captured_at: capturedAt,
    };
  });
}

/**
 * The colour at a logical point (a 1×1 screencopy).
 *
 * @throws {RemoteError} `invalid_argument` for a point outside every output.
 */
export async function pixelAt(
  conn: WaylandConnection,
  pool: FramePool,
  point: Point,
): Promise<Color> {
  const x = Math.floor(point.x), y = Math.floor(point.y);
  const inside = Number.isFinite(point.x) && Number.isFinite(point.y) &&
    conn.outputs().some((o) => x >= o.x && y >= o.y && x < o.x + o.width && y < o.y + o.height);
  if (!inside) {
    throw new RemoteError(
      "invalid_argument",
      `Point (${point.x}, ${point.y}) is outside every output of the desktop`,
    );
  }
  return await pool.use(async (frame) => {
    await conn.grab(frame.handle, { x, y, width: 1, height: 1 }, false);
    const { data } = frame.pixels(); // BGRX
    return { r: data[2]!, g: data[1]!, b: data[0]! };
  });
}
