/**
 * Set-of-Marks: numbered boxes drawn over a screenshot around the
 * interactive elements of the accessibility tree, with a legend mapping
 * each number to the element's role, name, `ui` ref and center in image
 * pixels. Drawn on raw RGB(A) pixels with a small built-in digit font.
 *
 * @module
 */

import type { UIElement } from "./_target.ts";
import type { ImageSpace } from "./image_space.ts";
import { oneLine } from "./_text.ts";

/** One mark: its number and box in image pixels `[x0, y0, x1, y1)`. */
export interface Mark {
  readonly n: number;
  readonly box: readonly [number, number, number, number];
  readonly element: UIElement;
}

/** Most marks drawn (the legend says how many more there are). */
export const MAX_MARKS = 60;

const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [230, 25, 75],
  [60, 180, 75],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [0, 128, 128],
  [240, 50, 230],
  [128, 0, 0],
  [0, 0, 128],
  [128, 128, 0],
];

/** 3×5 digit glyphs, one row per string, `#` = ink. */
const DIGITS: readonly string[][] = [
  ["###", "#.#", "#.#", "#.#", "###"],
  [".#.", "##.", ".#.", ".#.", "###"],
  ["###", "..#", "###", "#..", "###"],
  ["###", "..#", "###", "..#", "###"],
  ["#.#", "#.#", "###", "..#", "..#"],
  ["###", "#..", "###", "..#", "###"],
  ["###", "#..", "###", "#.#", "###"],
  ["###", "..#", "..#", "..#", "..#"],
  ["###", "#.#", "###", "#.#", "###"],
  ["###", "#.#", "###", "..#", "###"],
];
const GLYPH_SCALE = 2;

function* interactive(e: UIElement): Generator<UIElement> {
  if (e.ref !== undefined && e.bounds && e.actions.length > 0) yield e;
  for (const c of e.children) yield* interactive(c);
}

/** The marks of the elements the image shows, numbered from 1, and how many there were. */
export function marksFor(tree: UIElement, space: ImageSpace): { marks: Mark[]; total: number } {
  const marks: Mark[] = [];
  let total = 0;
  for (const e of interactive(tree)) {
    const b = e.bounds!;
    const tl = space.toImage({ x: b.x, y: b.y });
    const br = space.toImage({ x: b.x + b.width - 1, y: b.y + b.height - 1 });
    if (!tl || !br) continue;
    total++;
    if (marks.length < MAX_MARKS) {
      marks.push({ n: marks.length + 1, box: [tl.x, tl.y, br.x + 1, br.y + 1], element: e });
    }
  }
  return { marks, total };
}

/** Draws the marks into `pixels` (rows top to bottom, `channels` bytes per pixel) in place. */
export function drawMarks(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 3 | 4,
  marks: readonly Mark[],
): void {
  const put = (x: number, y: number, c: readonly [number, number, number]): void => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * channels;
    pixels[i] = c[0];
    pixels[i + 1] = c[1];
    pixels[i + 2] = c[2];
  };
  for (const mark of marks) {
    const color = PALETTE[(mark.n - 1) % PALETTE.length]!;
    const [x0, y0, x1, y1] = mark.box;
    for (let t = 0; t < 2; t++) {
      for (let x = x0; x < x1; x++) {
        put(x, y0 + t, color);
        put(x, y1 - 1 - t, color);
      }
      for (let y = y0; y < y1; y++) {
        put(x0 + t, y, color);
        put(x1 - 1 - t, y, color);
      }
    }
    const label = String(mark.n);
    const chipW = label.length * 4 * GLYPH_SCALE + GLYPH_SCALE * 2;
    const chipH = 5 * GLYPH_SCALE + GLYPH_SCALE * 2;
    // The chip sits above the box, or inside its top edge when there is no room above.
    const cy = y0 - chipH >= 0 ? y0 - chipH : y0;
    for (let y = cy; y < cy + chipH; y++) for (let x = x0; x < x0 + chipW; x++) put(x, y, color);
    [...label].forEach((digit, k) => {
      const glyph = DIGITS[Number(digit)]!;
      glyph.forEach((row, gy) => {
        [...row].forEach((cell, gx) => {
          if (cell !== "#") return;
          for (let dy = 0; dy < GLYPH_SCALE; dy++) {
            for (let dx = 0; dx < GLYPH_SCALE; dx++) {
              put(
                x0 + GLYPH_SCALE + (k * 4 + gx) * GLYPH_SCALE + dx,
                cy + GLYPH_SCALE + gy * GLYPH_SCALE + dy,
                [255, 255, 255],
              );
            }
          }
        });
      });
    });
  }
}

/** The legend of `marks` (`drawn`: whether the numbers are on the image). */
export function marksLegend(marks: readonly Mark[], total: number, drawn = true): string {
  if (marks.length === 0) return "No interactive element is visible in the focused window.";
  const lines = marks.map(({ n, box, element: e }) =>
    `[${n}] ${e.role} ${JSON.stringify(oneLine(e.name, 80))} ref ${e.ref} box [${
      box.join(", ")
    }] ` +
    `center (${Math.floor((box[0] + box[2] - 1) / 2)}, ${Math.floor((box[1] + box[3] - 1) / 2)})`
  );
  const more = total > marks.length
    ? `\n(${total - marks.length} more not marked; use the ui tool)`
    : "";
  const head = drawn
    ? "Set-of-Marks (the numbered boxes on the image)"
    : "Interactive elements of the focused window";
  return `${head}; act with ui by ref, or click the center with computer:\n${
    lines.join("\n")
  }${more}`;
}
