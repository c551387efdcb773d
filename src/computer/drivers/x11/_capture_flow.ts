/**
 * Capture for `NativeComputer`: monitors as `Display`s, the area a capture
 * request names, and one encoded `Pixmap`.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import type { CaptureParamsInit } from "../../methods/params.ts";
import { type Color, colorFromRgb, type Display, type Pixmap } from "../../types/display.ts";
import type { Point } from "../../types/geometry.ts";
import type { PixmapFormat } from "../../types/enums.ts";
import {
  type DeviceRect,
  fitImageSize,
  type ImageLimits,
  logicalToDevice,
  regionToDevice,
} from "./coordinates.ts";
import { NATIVE_FEATURE, NATIVE_STATUS } from "./ffi.ts";
import { NativeError } from "./native_error.ts";
import type { FramePool } from "./_frame_pool.ts";
import type { NativeDisplay, NativeMonitor } from "./native_display.ts";
import type { NativeFormat, NativeFrame } from "./native_frame.ts";

/** Default JPEG quality when a request gives none. */
export const DEFAULT_JPEG_QUALITY = 80;

/** Monitors as wire `Display`s: ids "1", "2", … in RandR order; primary as flagged, else the first. */
export function monitorsToDisplays(monitors: NativeMonitor[]): Display[] {
  const primaryIndex = Math.max(0, monitors.findIndex((m) => m.primary));
  return monitors.map((m, i) => ({
    id: String(i + 1),
    bounds: { x: m.x, y: m.y, width: m.width, height: m.height },
    scale_factor: 1.0,
    primary: i === primaryIndex,
    name: m.name.length > 0 ? m.name : `display-${i + 1}`,
  }));
}

/** What to capture: device area, its logical size, and the Pixmap's display_id. */
export interface CaptureArea {
  /** Device pixels of the desktop. */
  rect: DeviceRect;
  /** `display_id` to report. */
  displayId: string | null;
}

/**
 * Resolves `display_id` / `region` to a device area.
 *
 * @throws {RemoteError} `not_found` for an unknown display id, `invalid_argument` for a bad region.
 */
export function resolveCaptureArea(
  display: NativeDisplay,
  params: { display_id?: string | null | undefined; region?: DeviceRectLike | null | undefined },
): CaptureArea {
  const displays = monitorsToDisplays(display.monitors());
  let chosen: Display | undefined;
  if (params.display_id !== null && params.display_id !== undefined) {
    chosen = displays.find((d) => d.id === params.display_id);
    if (!chosen) {
      throw new RemoteError(
        "not_found",
        `Unknown display '${params.display_id}': the displays are ${
          displays.map((d) => `'${d.id}'`).join(", ")
        }`,
      );
    }
  }
  if (params.region) {
    const size = display.size();
    return {
      rect: regionToDevice(params.region, size.width, size.height),
      displayId: chosen?.id ?? null,
    };
  }
  chosen ??= displays.find((d) => d.primary) ?? displays[0];
  if (!chosen) {
    throw new RemoteError("not_found", "Cannot capture: the X server reports no monitor");
  }
  const b = chosen.bounds;
  return { rect: { x: b.x, y: b.y, width: b.width, height: b.height }, displayId: chosen.id };
}

/** A rectangle with x, y, width and height. */
export interface DeviceRectLike {
  /** Left. */
  x: number;
  /** Top. */
  y: number;
  /** Width. */
  width: number;
  /** Height. */
  height: number;
}

/** Encoding options shared by capture and streaming. */
export interface EncodeChoice {
  /** Encoding. */
  format: PixmapFormat;
  /** JPEG quality. */
  quality: number;
  /** Draw the pointer. */
  cursor: boolean;
  /** Fewer bytes (palette PNG, optimised JPEG). */
  compact: boolean;
}

/** The shim's encoding for a wire format, compact or not (raw formats have no compact form). */
export function nativeFormatOf(choice: { format: PixmapFormat; compact?: boolean }): NativeFormat {
  if (choice.compact !== true) return choice.format;
  if (choice.format === "png") return "png_palette";
  if (choice.format === "jpeg") return "jpeg_compact";
  return choice.format;
}

/** Reads the format/quality/cursor extension params, checking what the server can do. */
export function encodeChoice(
  display: NativeDisplay,
  params: {
    format?: PixmapFormat | undefined;
    quality?: number | undefined;
    cursor?: boolean | undefined;
    compact?: boolean | undefined;
  },
): EncodeChoice {
  const cursor = params.cursor ?? false;
  if (cursor && (display.features & NATIVE_FEATURE.XFIXES) === 0) {
    throw new RemoteError(
      "invalid_argument",
      "Cannot draw the pointer into the image: the X server lacks the XFIXES extension",
    );
  }
  return {
    format: params.format ?? "png",
    quality: params.quality ?? DEFAULT_JPEG_QUALITY,
    cursor,
    compact: params.compact ?? false,
  };
}

/** Grabs `rect` into `frame` and downscales it to the limits; returns the image size. */
export async function grabScaled(
  display: NativeDisplay,
  frame: NativeFrame,
  rect: DeviceRect,
  limits: ImageLimits,
  cursor: boolean,
): Promise<{ width: number; height: number }> {
  const size = fitImageSize(rect.width, rect.height, limits);
  await frame.grab(display, rect, { cursor });
  if (size.width !== rect.width || size.height !== rect.height) {
    await frame.scale(size.width, size.height);
  }
  return size;
}

/** One capture (`display.capture`) as a Pixmap. */
export async function captureOnce(
  display: NativeDisplay,
  pool: FramePool,
  params: CaptureParamsInit,
): Promise<Pixmap> {
  const area = resolveCaptureArea(display, params);
  const choice = encodeChoice(display, params);
  const limits: ImageLimits = {
    downscale: params.downscale ?? true,
    max_width: params.max_width,
    max_height: params.max_height,
    max_pixels: params.max_pixels,
  };
  const size = fitImageSize(area.rect.width, area.rect.height, limits);
  return await pool.use(async (frame) => {
    const capturedAt = Date.now() / 1000;
    await frame.grab(display, area.rect, { cursor: choice.cursor });
    // Scaling happens inside the encoder: the scaled image never round-trips through memory.
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
 * The colour at a logical point (`display.pixel`); a point outside the
 * desktop is `invalid_argument`.
 */
export function pixelAt(display: NativeDisplay, point: Point): Color {
  const at = logicalToDevice(point);
  try {
    return colorFromRgb(display.pixel(at.x, at.y));
  } catch (error) {
    if (error instanceof NativeError && error.status === NATIVE_STATUS.OD_ERR_INVALID_ARGUMENT) {
      throw new RemoteError("invalid_argument", error.message, {}, { cause: error });
    }
    throw error;
  }
}
