/**
 * A small PNG decoder for the sixel image protocol (which needs pixels):
 * non-interlaced PNGs of 8 or 16 bits per channel, in every colour type.
 * Internal to the CLI.
 *
 * @module
 */

import { inflateSync } from "node:zlib";

/** Decoded pixels, 4 bytes (RGBA) per pixel, row by row. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes a PNG file into RGBA pixels.
 *
 * @throws {SyntaxError} when the data is not a PNG this decoder understands
 */
export function decodePng(data: Uint8Array): RgbaImage {
  if (data.length < 8 || SIGNATURE.some((b, i) => data[i] !== b)) {
    throw new SyntaxError("Cannot decode image: not a PNG file");
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 8;
  let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (offset + 8 <= data.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...data.subarray(offset + 4, offset + 8));
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (body.length !== length) throw new SyntaxError("Cannot decode image: truncated PNG chunk");
    if (type === "IHDR") {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      depth = body[8]!;
      colorType = body[9]!;
      interlace = body[12]!;
    } else if (type === "PLTE") palette = body;
    else if (type === "tRNS") transparency = body;
    else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const channels = CHANNELS[colorType];
  if (!channels || (depth !== 8 && depth !== 16) || interlace !== 0 || width === 0) {
    throw new SyntaxError(
      `Cannot decode image: unsupported PNG (colour type ${colorType}, depth ${depth}, interlace ${interlace})`,
    );
  }
  if (width * height > 50_000_000) throw new SyntaxError("Cannot decode image: too large");
  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of idat) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  const raw = new Uint8Array(inflateSync(joined));
  const bpp = channels * (depth / 8);
  const stride = width * bpp;
  if (raw.length < (stride + 1) * height) throw new SyntaxError("Cannot decode image: short data");
  const rows = unfilter(raw, stride, height, bpp);
  const pixels = new Uint8Array(width * height * 4);
  const step = depth / 8;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = y * stride + x * bpp;
      const dst = (y * width + x) * 4;
      const sample = (c: number): number => rows[src + c * step]!;
      switch (colorType) {
        case 0:
          pixels.fill(sample(0), dst, dst + 3);
          pixels[dst + 3] = 255;
          break;
        case 2:
          pixels[dst] = sample(0), pixels[dst + 1] = sample(1), pixels[dst + 2] = sample(2);
          pixels[dst + 3] = 255;
          break;
        case 3: {
          const index = sample(0);
          pixels[dst] = palette?.[index * 3] ?? 0;
          pixels[dst + 1] = palette?.[index * 3 + 1] ?? 0;
          pixels[dst + 2] = palette?.[index * 3 + 2] ?? 0;
          pixels[dst + 3] = transparency?.[index] ?? 255;
          break;
        }
        case 4:
          pixels.fill(sample(0), dst, dst + 3);
          pixels[dst + 3] = sample(1);
          break;
        default:
          for (let c = 0; c < 4; c++) pixels[dst + c] = sample(c);
      }
    }
  }
  return { width, height, pixels };
}

function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[dst + x - bpp]! : 0;
      const b = y > 0 ? out[dst - stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[dst - stride + x - bpp]! : 0;
      let predictor = 0;
      switch (filter) {
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
      }
      out[dst + x] = (raw[src + x]! + predictor) & 0xff;
    }
  }
  return out;
}
