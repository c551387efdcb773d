/**
 * `FakeScreen`: an in-memory RGBA desktop image for `FakeComputer`, with the
 * pixel operations a capture needs (crop, nearest-neighbour scaling,
 * encoding) and a diff for delta frames.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import { encodePng } from "../../png_encoder.ts";
import type { PixmapFormat } from "../../types/enums.ts";

/** An RGBA colour, each channel 0–255. */
export type Rgba = readonly [number, number, number, number];

/** A pixel rectangle (integers). */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Raw RGBA pixels with their size. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** An in-memory RGBA image of the whole desktop. */
export class FakeScreen {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** RGBA pixels, rows top to bottom. */
  readonly pixels: Uint8Array;

  /** Creates a screen filled with a deterministic gradient. */
  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height * 4);
    this.clear();
  }

  /** Repaints the background gradient. */
  clear(): void {
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const i = (y * this.width + x) * 4;
        this.pixels[i] = x & 0xff;
        this.pixels[i + 1] = y & 0xff;
        this.pixels[i + 2] = 128;
        this.pixels[i + 3] = 255;
      }
    }
  }

  /** Fills a pixel rectangle (clipped to the screen). */
  fill(rect: PixelRect, color: Rgba): void {
    const x0 = Math.max(0, Math.floor(rect.x));
    const y0 = Math.max(0, Math.floor(rect.y));
    const x1 = Math.min(this.width, Math.floor(rect.x + rect.width));
    const y1 = Math.min(this.height, Math.floor(rect.y + rect.height));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) this.pixels.set(color, (y * this.width + x) * 4);
    }
  }

  /** The colour of one pixel. */
  pixel(x: number, y: number): Rgba {
    const i = (y * this.width + x) * 4;
    const p = this.pixels;
    return [p[i]!, p[i + 1]!, p[i + 2]!, p[i + 3]!];
  }

  /** A copy of a pixel rectangle (clipped; an empty result is `invalid_argument`). */
  crop(rect: PixelRect): RgbaImage {
    const x0 = Math.max(0, Math.floor(rect.x));
    const y0 = Math.max(0, Math.floor(rect.y));
    const x1 = Math.min(this.width, Math.ceil(rect.x + rect.width));
    const y1 = Math.min(this.height, Math.ceil(rect.y + rect.height));
    if (x1 <= x0 || y1 <= y0) {
      throw new RemoteError("invalid_argument", "Invalid region: it does not overlap the display");
    }
    const width = x1 - x0;
    const height = y1 - y0;
    const pixels = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      const from = ((y0 + y) * this.width + x0) * 4;
      pixels.set(this.pixels.subarray(from, from + width * 4), y * width * 4);
    }
    return { width, height, pixels };
  }
}

/** Nearest-neighbour resize. */
export function resizeNearest(image: RgbaImage, width: number, height: number): RgbaImage {
  if (width === image.width && height === image.height) return image;
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(y * image.height / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor(x * image.width / width));
      const from = (sy * image.width + sx) * 4;
      pixels.set(image.pixels.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, pixels };
}

/** Size limits of a capture. */
export interface FitLimits {
  downscale: boolean;
  max_width?: number | undefined;
  max_height?: number | undefined;
  max_pixels?: number | undefined;
}

/** The largest size within the limits that keeps the aspect ratio (width ≤ 1920 when downscaling). */
export function fitSize(
  width: number,
  height: number,
  limits: FitLimits,
): { width: number; height: number } {
  let scale = 1;
  if (limits.downscale) scale = Math.min(scale, 1920 / width);
  if (limits.max_width !== undefined) scale = Math.min(scale, limits.max_width / width);
  if (limits.max_height !== undefined) scale = Math.min(scale, limits.max_height / height);
  if (limits.max_pixels !== undefined) {
    scale = Math.min(scale, Math.sqrt(limits.max_pixels / (width * height)));
  }
  return {
    width: Math.max(1, Math.floor(width * scale)),
    height: Math.max(1, Math.floor(height * scale)),
  };
}

/**
 * Encodes an image in a Pixmap format.
 *
 * @throws {RemoteError} `invalid_argument` for `jpeg`, which the fake backend cannot encode
 */
export function encodeImage(image: RgbaImage, format: PixmapFormat): Uint8Array {
  switch (format) {
    case "png":
      return encodePng(image.pixels, image.width, image.height);
    case "raw_rgba":
      return image.pixels.slice();
    case "raw_rgb": {
      const out = new Uint8Array(image.width * image.height * 3);
      for (let i = 0, o = 0; i < image.pixels.length; i += 4, o += 3) {
        out[o] = image.pixels[i]!;
        out[o + 1] = image.pixels[i + 1]!;
        out[o + 2] = image.pixels[i + 2]!;
      }
      return out;
    }
    case "jpeg":
      throw new RemoteError(
        "invalid_argument",
        "Invalid format 'jpeg': the fake backend encodes png, raw_rgba and raw_rgb only",
        { format },
      );
  }
}

/** The bounding box of the pixels that differ between two same-size images, or null. */
export function diffBounds(a: RgbaImage, b: RgbaImage): PixelRect | null {
  let x0 = a.width, y0 = a.height, x1 = -1, y1 = -1;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 4;
      if (
        a.pixels[i] !== b.pixels[i] || a.pixels[i + 1] !== b.pixels[i + 1] ||
        a.pixels[i + 2] !== b.pixels[i + 2] || a.pixels[i + 3] !== b.pixels[i + 3]
      ) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}
