/**
 * Saves a captured Pixmap to a local file, prints where it went and what it
 * is, and shows it inline when the terminal can display images.
 *
 * @module
 */

import { isAbsolute, join } from "node:path";
import { writeFile } from "node:fs/promises";
import { localWriteError } from "./local_file_error.ts";
import type { ReplContext } from "./repl_context.ts";
import { encodeInlineImage } from "../render/inline_image.ts";
import { formatBytes, formatSize } from "../render/text_layout.ts";
import type { Pixmap } from "../../computer/types/display.ts";

const EXTENSIONS: Record<string, string> = {
  png: "png",
  jpeg: "jpg",
  raw_rgba: "rgba",
  raw_rgb: "rgb",
};

/** Default file name for a capture taken at `date`: `screenshot-20260121-143005.png`. */
export function defaultScreenshotName(date: Date, format = "png"): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  const stamp = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  return `screenshot-${stamp}.${EXTENSIONS[format] ?? "bin"}`;
}

/** Resolves a local path against the working directory. */
export function localPath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : join(cwd, path);
}

/**
 * Saves `pixmap` (a `display.capture` result) and reports it.
 *
 * @param ctx The REPL context.
 * @param pixmap The capture.
 * @param path Where to save (relative to the working directory); a default name when absent.
 * @returns The absolute path written.
 */
export async function saveCapture(
  ctx: ReplContext,
  pixmap: Pixmap,
  path: string | undefined,
): Promise<string> {
  const { data, format } = pixmap;
  const target = localPath(ctx.deps.cwd, path ?? defaultScreenshotName(new Date(), format));
  try {
    await writeFile(target, data);
  } catch (error) {
    throw localWriteError(target, error);
  }
  const logical = formatSize(pixmap.logical_width, pixmap.logical_height);
  ctx.out(
    `saved ${target} (${format} ${formatSize(pixmap.width, pixmap.height)}, ` +
      `logical ${logical}, ${formatBytes(data.length)})\n`,
  );
  if (format === "png" && ctx.imageProtocol !== "none") {
    try {
      ctx.out(encodeInlineImage(data, ctx.imageProtocol, {
        columns: Math.min(ctx.deps.stdout.columns - 2, 100),
      }));
    } catch (error) {
      ctx.err(`(cannot show the image inline: ${(error as Error).message})\n`);
    }
  }
  return target;
}
