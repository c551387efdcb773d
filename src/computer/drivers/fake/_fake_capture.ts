/**
 * Capture pipeline of `FakeComputer`: crop a display or region out of the
 * desktop image, optionally draw the pointer, fit the size limits and build
 * the Pixmap.
 *
 * @module
 */

import { sleep } from "../../../protocol/sleep.ts";
export { sleep };
import { RemoteError } from "../../../protocol/errors.ts";
import {
  encodeImage,
  type FakeScreen,
  fitSize,
  type PixelRect,
  resizeNearest,
  type RgbaImage,
} from "./fake_screen.ts";
import type { CaptureParams } from "../../methods/params.ts";
import type { Display, Pixmap } from "../../types/display.ts";
import type { Point, Rect } from "../../types/geometry.ts";

/** A captured image before encoding. */
export interface Grab {
  image: RgbaImage;
  area: Rect;
  display: Display;
}

/** What a capture reads. */
export interface GrabSource {
  screen: FakeScreen;
  displays: readonly Display[];
  scale: number;
  cursor: Point;
}

/**
 * Captures per `p`.
 *
 * @throws {RemoteError} `not_found` for an unknown display, `invalid_argument` for a bad region
 */
export function grab(source: GrabSource, p: CaptureParams): Grab {
  const display = p.display_id === null
    ? source.displays[0]!
    : source.displays.find((d) => d.id === p.display_id);
  if (!display) {
    throw new RemoteError(
      "not_found",
      `Display '${p.display_id}' not found; display.displays lists the ids`,
      { display_id: p.display_id },
    );
  }
  const area = p.region ?? display.bounds;
  if (area.width <= 0 || area.height <= 0) {
    throw new RemoteError("invalid_argument", "Invalid region: width and height must be positive", {
      param: "region",
    });
  }
  const s = source.scale;
  const pixelArea: PixelRect = {
    x: area.x * s,
    y: area.y * s,
    width: area.width * s,
    height: area.height * s,
  };
  let image = source.screen.crop(pixelArea);
  if (p.cursor) image = withCursor(image, pixelArea, source.cursor, s);
  const size = fitSize(image.width, image.height, p);
  return { image: resizeNearest(image, size.width, size.height), area, display };
}

function withCursor(image: RgbaImage, area: PixelRect, cursor: Point, scale: number): RgbaImage {
  const copy = { ...image, pixels: image.pixels.slice() };
  const cx = Math.floor(cursor.x * scale - area.x);
  const cy = Math.floor(cursor.y * scale - area.y);
  for (let d = -3; d <= 3; d++) {
    for (const [x, y] of [[cx + d, cy], [cx, cy + d]] as const) {
      if (x >= 0 && y >= 0 && x < copy.width && y < copy.height) {
        copy.pixels.set([255, 0, 0, 255], (y * copy.width + x) * 4);
      }
    }
  }
  return copy;
}

/** Builds the Pixmap of a grab (or of a patch of it). */
export function toPixmap(
  image: RgbaImage,
  g: Grab,
  format: CaptureParams["format"],
  capturedAt: number,
): Pixmap {
  const fmt = format ?? "png";
  return {
    data: encodeImage(image, fmt),
    format: fmt,
    width: image.width,
    height: image.height,
    logical_width: Math.round(g.area.width),
    logical_height: Math.round(g.area.height),
    display_id: g.display.id,
    captured_at: capturedAt,
  };
}

/** A copy of a pixel rectangle of an image (the rectangle must lie inside). */
export function cropImage(image: RgbaImage, rect: PixelRect): RgbaImage {
  const pixels = new Uint8Array(rect.width * rect.height * 4);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * image.width + rect.x) * 4;
    pixels.set(image.pixels.subarray(from, from + rect.width * 4), y * rect.width * 4);
  }
  return { width: rect.width, height: rect.height, pixels };
}
