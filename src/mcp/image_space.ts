/**
 * The coordinate contract between a screenshot the model sees and the
 * screen: a screenshot is taken at a size vision models accept without
 * resampling them again, and the coordinates the model reads off that image
 * are mapped back to logical screen pixels exactly.
 *
 * An image pixel `i` depicts the logical span `[i·r, (i+1)·r)` with
 * `r = logical size / image size`. It maps to the middle of that span; when
 * the middle would not map back to `i` (possible when `r < 2`), to the
 * first logical pixel of the span, which always does when `r ≥ 1`. So an
 * image → screen → image round trip returns the same pixel whenever the
 * image is not larger than the logical area, and is off by at most one
 * pixel otherwise.
 *
 * @module
 */

import type { Point, Rect } from "./_target.ts";

/** Longest image edge the models take without resampling. */
export const MODEL_MAX_LONG_EDGE = 1568;
/** Largest image area the models take without resampling (1092², about 1.19 MP). */
export const MODEL_MAX_PIXELS = 1092 * 1092;

/** The pixel size to ask the capture for. */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The image size for a capture of `pixelWidth × pixelHeight` device pixels:
 * the largest that keeps the long edge ≤ 1568 px and the area ≤ 1092² px,
 * optionally smaller still by `maxScale`.
 *
 * @param pixelWidth width of the captured area in device pixels
 * @param pixelHeight height in device pixels
 * @param maxScale the largest scale wanted (0 < maxScale ≤ 1)
 */
export function modelImageSize(
  pixelWidth: number,
  pixelHeight: number,
  maxScale = 1,
): ImageSize {
  const longEdge = Math.max(pixelWidth, pixelHeight);
  const scale = Math.min(
    1,
    maxScale,
    MODEL_MAX_LONG_EDGE / longEdge,
    Math.sqrt(MODEL_MAX_PIXELS / (pixelWidth * pixelHeight)),
  );
  return {
    width: Math.max(1, Math.floor(pixelWidth * scale + 1e-9)),
    height: Math.max(1, Math.floor(pixelHeight * scale + 1e-9)),
  };
}

/** A coordinate outside the last screenshot. */
export class OutsideImageError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "OutsideImageError";
  }
}

/** The mapping of one screenshot: its image size and the logical area it shows. */
export class ImageSpace {
  /** Image width in pixels. */
  readonly width: number;
  /** Image height in pixels. */
  readonly height: number;
  /** The logical screen area the image shows (global desktop coordinates). */
  readonly area: Rect;

  constructor(width: number, height: number, area: Rect) {
    if (width < 1 || height < 1 || area.width < 1 || area.height < 1) {
      throw new RangeError(
        `Invalid image space ${width}x${height} over ${area.width}x${area.height}: sizes must be positive`,
      );
    }
    this.width = width;
    this.height = height;
    this.area = area;
  }

  /** Image pixels per logical pixel, horizontally (the scale stated to the model). */
  get scaleX(): number {
    return this.width / this.area.width;
  }

  /** Image pixels per logical pixel, vertically. */
  get scaleY(): number {
    return this.height / this.area.height;
  }

  /**
   * The logical screen pixel an image pixel depicts.
   * @throws {OutsideImageError} when the point is not inside the image
   */
  toScreen(point: Point): Point {
    const { x, y } = point;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new OutsideImageError(`Coordinate (${x}, ${y}) is not a number`);
    }
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    if (ix < 0 || iy < 0 || ix >= this.width || iy >= this.height) {
      throw new OutsideImageError(
        `Coordinate (${x}, ${y}) is outside the last screenshot, which is ${this.width}x${this.height} ` +
          `(valid x 0-${this.width - 1}, y 0-${this.height - 1})`,
      );
    }
    return {
      x: this.area.x + toLogical(ix, this.area.width, this.width),
      y: this.area.y + toLogical(iy, this.area.height, this.height),
    };
  }

  /**
   * The logical rectangle a box of image pixels `[x0, y0, x1, y1)` shows
   * (edges map to edges, so the box covers every screen pixel it depicts).
   * @throws {OutsideImageError} when the box is empty or leaves the image
   */
  boxToScreen(box: readonly [number, number, number, number]): Rect {
    const [x0, y0, x1, y1] = box;
    if (!(x0 >= 0 && y0 >= 0 && x1 <= this.width && y1 <= this.height && x1 > x0 && y1 > y0)) {
      throw new OutsideImageError(
        `Box [${box.join(", ")}] is not inside the last screenshot, which is ` +
          `${this.width}x${this.height} (need 0 <= x0 < x1 <= ${this.width}, 0 <= y0 < y1 <= ${this.height})`,
      );
    }
    const left = Math.floor((x0 * this.area.width) / this.width);
    const top = Math.floor((y0 * this.area.height) / this.height);
    const right = Math.ceil((x1 * this.area.width) / this.width);
    const bottom = Math.ceil((y1 * this.area.height) / this.height);
    return {
      x: this.area.x + left,
      y: this.area.y + top,
      width: right - left,
      height: bottom - top,
    };
  }

  /** The image pixel showing a logical screen pixel, or null when the image does not show it. */
  toImage(point: Point): Point | null {
    const lx = Math.floor(point.x) - this.area.x;
    const ly = Math.floor(point.y) - this.area.y;
    if (lx < 0 || ly < 0 || lx >= this.area.width || ly >= this.area.height) return null;
    return {
      x: toImage(lx, this.area.width, this.width),
      y: toImage(ly, this.area.height, this.height),
    };
  }
}

function toImage(logical: number, logicalSize: number, imageSize: number): number {
  return Math.min(imageSize - 1, Math.floor((logical * imageSize) / logicalSize));
}

function toLogical(image: number, logicalSize: number, imageSize: number): number {
  const middle = Math.min(logicalSize - 1, Math.floor(((image + 0.5) * logicalSize) / imageSize));
  // An image larger than the area (HiDPI) shows a logical pixel in several image pixels.
  if (imageSize > logicalSize || toImage(middle, logicalSize, imageSize) === image) return middle;
  return Math.min(logicalSize - 1, Math.ceil((image * logicalSize) / imageSize));
}
