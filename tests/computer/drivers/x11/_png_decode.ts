/**
 * A minimal PNG decoder for tests (8-bit RGB, RGBA and palette, non-interlaced, all
 * five filters), so captured images can be checked pixel by pixel.
 *
 * @module
 */

import { inflateSync } from "node:zlib";

/** A decoded image: RGBA bytes, row after row. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Decodes a PNG (throws on anything this decoder does not support). */
export function decodePng(png: Uint8Array): DecodedImage {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => png[i] === b)) throw new Error("not a PNG");
  let width = 0, height = 0, colorType = 0;
  const idat: Uint8Array[] = [];
  let palette: Uint8Array = new Uint8Array(0);
  for (let p = 8; p < png.length;) {
    const len = view.getUint32(p);
    const type = new TextDecoder().decode(png.subarray(p + 4, p + 8));
    const data = png.subarray(p + 8, p + 8 + len);
    if (type === "IHDR") {
      width = view.getUint32(p + 8);
      height = view.getUint32(p + 12);
      if (data[8] !== 8 || data[12] !== 0) throw new Error("unsupported bit depth or interlace");
      colorType = data[9] ?? 0;
    } else if (type === "PLTE") palette = data;
    else if (type === "IDAT") idat.push(data);
    p += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 3 ? 1 : 0;
  if (channels === 0) throw new Error(`unsupported colour type ${colorType}`);
  const total = idat.reduce((n, d) => n + d.length, 0);
  const joined = new Uint8Array(total);
  let o = 0;
  for (const d of idat) {
    joined.set(d, o);
    o += d.length;
  }
  const raw = new Uint8Array(inflateSync(joined));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const pp = a + b - c, pa = Math.abs(pp - a), pb = Math.abs(pp - b), pc = Math.abs(pp - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = (line[i]! + pred) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const d = (y * width + x) * 4;
      if (colorType === 3) {
        const e = cur[x]! * 3;
        if (e + 2 >= palette.length) throw new Error(`palette index ${cur[x]} out of range`);
        out.set([palette[e]!, palette[e + 1]!, palette[e + 2]!, 255], d);
        continue;
      }
      out[d] = cur[x * channels]!;
      out[d + 1] = cur[x * channels + 1]!;
      out[d + 2] = cur[x * channels + 2]!;
      out[d + 3] = channels === 4 ? cur[x * channels + 3]! : 255;
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

/** The [r, g, b] of pixel (x, y). */
export function pixelAt(image: DecodedImage, x: number, y: number): [number, number, number] {
  const d = (y * image.width + x) * 4;
  return [image.rgba[d]!, image.rgba[d + 1]!, image.rgba[d + 2]!];
}
