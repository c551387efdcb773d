/**
 * Shows images inside the terminal with the protocol it understands: the
 * kitty graphics protocol, iTerm2's inline images, or sixel. Detection is
 * by environment (`TERM=xterm-kitty`, `KITTY_WINDOW_ID`, `TERM_PROGRAM`,
 * …) and can be forced with `OPENDESK_IMAGES=kitty|iterm|sixel|none`.
 *
 * @module
 */

import { decodePng, type RgbaImage } from "./_png_decode.ts";

/** An inline image protocol, or `none`. */
export type ImageProtocol = "kitty" | "iterm" | "sixel" | "none";

/**
 * Picks the inline image protocol of the terminal.
 *
 * @param env Reads an environment variable.
 * @param isTTY Whether the output is a terminal (never any protocol otherwise).
 * @returns The protocol to use.
 *
 * @example Usage
 * ```ts
 * import { detectImageProtocol } from "./inline_image.ts";
 * detectImageProtocol((name) => ({ TERM: "xterm-kitty" })[name], true); // "kitty"
 * ```
 */
export function detectImageProtocol(
  env: (name: string) => string | undefined,
  isTTY: boolean,
): ImageProtocol {
  const forced = env("OPENDESK_IMAGES")?.toLowerCase();
  if (forced === "kitty" || forced === "iterm" || forced === "sixel" || forced === "none") {
    return forced;
  }
  if (!isTTY) return "none";
  const term = env("TERM") ?? "";
  const program = env("TERM_PROGRAM") ?? "";
  if (term.startsWith("screen") || term.startsWith("tmux") || env("TMUX")) return "none";
  if (
    term === "xterm-kitty" || env("KITTY_WINDOW_ID") || term === "xterm-ghostty" ||
    program === "ghostty"
  ) {
    return "kitty";
  }
  if (program === "iTerm.app" || program === "WezTerm" || env("LC_TERMINAL") === "iTerm2") {
    return "iterm";
  }
  if (
    term.includes("sixel") || term === "foot" || term.startsWith("foot-") || term === "mlterm" ||
    term === "yaft-256color" || program === "mintty" || env("WT_SESSION")
  ) {
    return "sixel";
  }
  return "none";
}

function base64(data: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < data.length; i += 0x8000) {
    binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Options of {@linkcode encodeInlineImage}. */
export interface InlineImageOptions {
  /**
   * Width in terminal columns the image should take.
   * @default {80}
   */
  columns?: number;
  /**
   * Largest width in pixels for sixel output (bigger images are scaled down).
   * @default {800}
   */
  maxSixelWidth?: number;
}

/**
 * Encodes a PNG for the terminal, ending with a newline.
 *
 * @param png The PNG file bytes.
 * @param protocol The protocol to use (`none` gives an empty string).
 * @param options See {@linkcode InlineImageOptions}.
 * @returns The escape sequences to write.
 * @throws {SyntaxError} for sixel when the PNG cannot be decoded
 */
export function encodeInlineImage(
  png: Uint8Array,
  protocol: ImageProtocol,
  options: InlineImageOptions = {},
): string {
  const columns = Math.max(10, options.columns ?? 80);
  switch (protocol) {
    case "kitty": {
      const data = base64(png);
      const parts: string[] = [];
      for (let i = 0; i < data.length; i += 4096) {
        const chunk = data.slice(i, i + 4096);
        const more = i + 4096 < data.length ? 1 : 0;
        const head = i === 0 ? `f=100,a=T,q=2,c=${columns},m=${more}` : `m=${more}`;
        parts.push(`\x1b_G${head};${chunk}\x1b\\`);
      }
      return parts.join("") + "\n";
    }
    case "iterm":
      return `\x1b]1337;File=inline=1;size=${png.length};width=${columns};preserveAspectRatio=1:` +
        `${base64(png)}\x07\n`;
    case "sixel":
      return encodeSixel(scaleToWidth(decodePng(png), options.maxSixelWidth ?? 800)) + "\n";
    case "none":
      return "";
  }
}

/** Nearest-neighbour downscale so that the width is at most `maxWidth`. */
export function scaleToWidth(image: RgbaImage, maxWidth: number): RgbaImage {
  if (image.width <= maxWidth) return image;
  const width = maxWidth;
  const height = Math.max(1, Math.round(image.height * maxWidth / image.width));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(y * image.height / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor(x * image.width / width));
      const src = (sy * image.width + sx) * 4;
      pixels.set(image.pixels.subarray(src, src + 4), (y * width + x) * 4);
    }
  }
  return { width, height, pixels };
}

/**
 * Encodes RGBA pixels as a sixel image with a 6×6×6 colour cube palette
 * (transparent pixels are left unpainted).
 */
export function encodeSixel(image: RgbaImage): string {
  const { width, height, pixels } = image;
  const level = (v: number): number => Math.min(5, Math.round(v / 51));
  const index = new Uint8Array(width * height);
  const used = new Set<number>();
  for (let i = 0; i < width * height; i++) {
    if (pixels[i * 4 + 3]! < 128) {
      index[i] = 255;
      continue;
    }
    const c = level(pixels[i * 4]!) * 36 + level(pixels[i * 4 + 1]!) * 6 +
      level(pixels[i * 4 + 2]!);
    index[i] = c;
    used.add(c);
  }
  const out: string[] = [`\x1bP0;1;0q"1;1;${width};${height}`];
  for (const c of [...used].sort((a, b) => a - b)) {
    const r = Math.floor(c / 36), g = Math.floor(c / 6) % 6, b = c % 6;
    out.push(`#${c};2;${r * 20};${g * 20};${b * 20}`);
  }
  for (let band = 0; band < height; band += 6) {
    const colours = new Set<number>();
    for (let y = band; y < Math.min(height, band + 6); y++) {
      for (let x = 0; x < width; x++) {
        const c = index[y * width + x]!;
        if (c !== 255) colours.add(c);
      }
    }
    const lines: string[] = [];
    for (const c of colours) {
      let line = `#${c}`;
      let run = 0;
      let previous = -1;
      const flush = (): void => {
        if (run === 0) return;
        const ch = String.fromCharCode(63 + previous);
        line += run > 3 ? `!${run}${ch}` : ch.repeat(run);
      };
      for (let x = 0; x < width; x++) {
        let bits = 0;
        for (let dy = 0; dy < 6 && band + dy < height; dy++) {
          if (index[(band + dy) * width + x] === c) bits |= 1 << dy;
        }
        if (bits === previous) run++;
        else {
          flush();
          previous = bits;
          run = 1;
        }
      }
      flush();
      lines.push(line);
    }
    out.push(lines.join("$") + "-");
  }
  out.push("\x1b\\");
  return out.join("");
}
