/**
 * A small, complete PNG encoder (8-bit RGBA or RGB, no interlace) over
 * `node:zlib`. Used by `FakeComputer`; any backend that holds raw pixels may
 * use it too.
 *
 * @module
 */

import { deflateSync } from "node:zlib";

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, as PNG uses) of `bytes`. */
export function crc32(bytes: Uint8Array, seed = 0): number {
  let c = (seed ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Options of {@linkcode encodePng}. */
export interface EncodePngOptions {
  /** Bytes per pixel of `pixels`: 4 (RGBA) or 3 (RGB). @default 4 */
  channels?: 3 | 4;
  /** zlib level 0–9. @default 6 */
  level?: number;
}

/**
 * Encodes raw pixels (rows top to bottom, no padding) as a PNG file.
 *
 * @throws {RangeError} when the sizes do not match the pixel buffer
 *
 * @example Usage
 * ```ts
 * import { encodePng } from "./png_encoder.ts";
 * const png = encodePng(new Uint8Array(2 * 2 * 4).fill(255), 2, 2);
 * console.log(png[1] === 0x50); // true ("P")
 * ```
 */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  options: EncodePngOptions = {},
): Uint8Array {
  const channels = options.channels ?? 4;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Cannot encode PNG: invalid size ${width}x${height}`);
  }
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new RangeError(
      `Cannot encode PNG: expected ${
        stride * height
      } bytes for ${width}x${height}, got ${pixels.length}`,
    );
  }
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = channels === 4 ? 6 : 2; // colour type: RGBA or RGB
  // compression, filter and interlace methods stay 0
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const idat = new Uint8Array(deflateSync(raw, { level: options.level ?? 6 }));
  const parts = [
    SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
