/**
 * The coordinate rules in one place: how big a
 * captured image may be, how a logical region becomes device pixels, and how
 * image pixels map back to logical points.
 *
 * On X11 the logical desktop space is the root window's pixel space (scale
 * 1.0), so logical and device pixels coincide; the functions still take the
 * scale so the rules stay the same on HiDPI ports.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import type { Point, Rect } from "../../types/geometry.ts";

/** Widest image `downscale: true` produces unless `max_width` says otherwise (the reference's bound). */
export const DEFAULT_MAX_WIDTH = 1920;

/** Size limits of a capture (the `downscale` flag and opendesk's extension params). */
export interface ImageLimits {
  /** Whether the server may reduce resolution. @default true */
  downscale?: boolean | undefined;
  /** Largest width in pixels. @default DEFAULT_MAX_WIDTH when downscaling */
  max_width?: number | undefined;
  /** Largest height in pixels. @default unbounded */
  max_height?: number | undefined;
  /** Largest width × height. @default unbounded */
  max_pixels?: number | undefined;
}

/** An integer rectangle in device pixels of the desktop. */
export interface DeviceRect {
  /** Left. */
  x: number;
  /** Top. */
  y: number;
  /** Width (> 0). */
  width: number;
  /** Height (> 0). */
  height: number;
}

/**
 * The pixel size of the image for a captured area of `width` × `height`
 * device pixels: the native size when `downscale` is false, otherwise the
 * largest size within the limits that keeps the aspect ratio.
 *
 * @throws {RemoteError} `invalid_argument` when `downscale` is false but a `max_*` limit is given.
 */
export function fitImageSize(
  width: number,
  height: number,
  limits: ImageLimits = {},
): { width: number; height: number } {
  const given = (["max_width", "max_height", "max_pixels"] as const).filter((k) =>
    limits[k] !== undefined
  );
  if (limits.downscale === false) {
    if (given.length > 0) {
      throw new RemoteError(
        "invalid_argument",
        `Cannot honour '${given[0]}' with downscale false: drop one of them`,
      );
    }
    return { width, height };
  }
  const maxW = limits.max_width ?? DEFAULT_MAX_WIDTH;
  const maxH = limits.max_height ?? Infinity;
  const maxP = limits.max_pixels ?? Infinity;
  const scale = Math.min(1, maxW / width, maxH / height, Math.sqrt(maxP / (width * height)));
  if (scale >= 1) return { width, height };
  let w = Math.max(1, Math.min(maxW, Math.round(width * scale)));
  let h = Math.max(1, Math.min(maxH, Math.round(height * scale)));
  while (w * h > maxP && (w > 1 || h > 1)) {
    if (w >= h) w--;
    else h--;
  }
  return { width: w, height: h };
}

/**
 * A logical region as whole device pixels (outward rounding), clipped to the
 * desktop of `desktopWidth` × `desktopHeight` device pixels.
 *
 * @throws {RemoteError} `invalid_argument` for a non-positive size or a region outside the desktop.
 */
export function regionToDevice(
  region: Rect,
  desktopWidth: number,
  desktopHeight: number,
  scale = 1,
): DeviceRect {
  const values = [region.x, region.y, region.width, region.height];
  if (!values.every(Number.isFinite) || region.width <= 0 || region.height <= 0) {
    throw new RemoteError(
      "invalid_argument",
      `Cannot capture region ${describe(region)}: width and height must be positive numbers`,
    );
  }
  const x0 = Math.max(0, Math.floor(region.x * scale));
  const y0 = Math.max(0, Math.floor(region.y * scale));
  const x1 = Math.min(desktopWidth, Math.ceil((region.x + region.width) * scale));
  const y1 = Math.min(desktopHeight, Math.ceil((region.y + region.height) * scale));
  if (x1 <= x0 || y1 <= y0) {
    throw new RemoteError(
      "invalid_argument",
      `Cannot capture region ${describe(region)}: it lies outside the desktop ` +
        `(${desktopWidth / scale}x${desktopHeight / scale})`,
    );
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** A logical point as a device pixel (rounded). */
export function logicalToDevice(point: Point, scale = 1): { x: number; y: number } {
  if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
    throw new RemoteError("invalid_argument", `Cannot use point (${point.x}, ${point.y})`);
  }
  return { x: Math.round(point.x * scale), y: Math.round(point.y * scale) };
}

/** A device pixel as a logical point. */
export function deviceToLogical(x: number, y: number, scale = 1): Point {
  return { x: x / scale, y: y / scale };
}

/**
 * An image pixel (px, py) of a capture as a logical point :
 * `origin + p × logical / pixel`.
 */
export function imageToLogical(
  px: number,
  py: number,
  image: { width: number; height: number; logical_width: number; logical_height: number },
  origin: Point,
): Point {
  const sx = image.logical_width === 0 ? 1 : image.width / image.logical_width;
  const sy = image.logical_height === 0 ? 1 : image.height / image.logical_height;
  return { x: origin.x + px / sx, y: origin.y + py / sy };
}

function describe(r: Rect): string {
  return `(${r.x}, ${r.y}, ${r.width}x${r.height})`;
}
