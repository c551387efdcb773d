/**
 * The 200×200 animation (`tests/native/wayland/animation.py`) on a headless
 * sway and a reader of its frame numbers in a `display.subscribe` stream:
 * used by the Wayland stream test and `bench:capture --driver wayland`.
 *
 * The app paints frame k as the colour (k & 0xff, k >> 8, 0xa5) over its
 * top-left square, so the number is read back from one pixel of any frame
 * (a keyframe or a delta patch) that covers the square's sample point.
 *
 * @module
 */

import type { DisplayFrame } from "../../../../src/computer/types/display.ts";
import { decodePng, pixelAt } from "../x11/_png_decode.ts";
import type { Sway } from "../../../native/wayland/_sway_fixture.ts";
import { type LineProcess, spawnLines } from "./_serve_on_sway.ts";

const APP = new URL("../../../native/wayland/animation.py", import.meta.url).pathname;

/** Edge of the animated square, in logical pixels. */
export const ANIMATION_SIZE = 200;
/** Frames per second the app draws. */
export const ANIMATION_FPS = 30;

/** The running app and where its square is on the screen (logical pixels). */
export interface Animation {
  /** The app's stdin/stdout. */
  readonly app: LineProcess;
  /** Shows frames 1..n at 30 fps; resolves with the app's seconds from the first to the last. */
  run(n: number): Promise<number>;
  /** Shows frame k (the app answers once it set the image). */
  hold(k: number): Promise<void>;
  /** Closes the app. */
  stop(): Promise<void>;
}

async function swaymsg(sway: Sway, args: string[]): Promise<string> {
  const out = await new Deno.Command("swaymsg", {
    args,
    env: sway.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`swaymsg ${args.join(" ")} failed: ${text}`);
  return text;
}

/**
 * Starts the animation app on `sway` as a small floating window showing
 * frame 0 at (100, 100) (find the square in an image with
 * {@linkcode locateSquare}).
 */
export async function startAnimation(sway: Sway): Promise<Animation> {
  const app = spawnLines(["/usr/bin/python3", APP], sway.env);
  try {
    await app.line(/^ready$/, "the animation window to be mapped");
    // A small floating window: the app and the compositor redraw 200×200, not the whole screen.
    // (Undecorated, so the image is the window's top-left corner.)
    await swaymsg(sway, [
      `[app_id="opendesk-animation"] floating enable, border none, ` +
      `resize set ${ANIMATION_SIZE} ${ANIMATION_SIZE}, move position 100 100`,
    ]);
    return {
      app,
      async run(n) {
        await app.send(`run ${n}`);
        const line = await app.line(/^ran \d+ in /, `the animation's ${n} frames`);
        return Number(line.split(" ")[3]);
      },
      async hold(k) {
        await app.send(`hold ${k}`);
        await app.line(new RegExp(`^held ${k}$`), `the animation to show frame ${k}`);
      },
      stop: () => app.stop(),
    };
  } catch (error) {
    await app.stop();
    throw error;
  }
}

/**
 * The top-left corner of the animated square in an image: the first pixel,
 * row by row, with blue 0xa5 whose pixel 150 to the right and 50 down has
 * the same colour (the square's upper half is one colour). `rgb(x, y)`
 * reads a pixel; `step` is the image's pixels per logical pixel.
 */
export function locateSquare(
  rgb: (x: number, y: number) => [number, number, number],
  width: number,
  height: number,
  step = 1,
): { x: number; y: number } | null {
  const dx = 150 * step, dy = 50 * step;
  for (let y = 0; y + dy < height; y++) {
    for (let x = 0; x + dx < width; x++) {
      const [r, g, b] = rgb(x, y);
      if (b !== 0xa5) continue;
      const [r2, g2, b2] = rgb(x + dx, y + dy);
      if (r === r2 && g === g2 && b === b2) return { x, y };
    }
  }
  return null;
}

/**
 * The animation frame number a stream frame shows at `point` (image pixels
 * of an unscaled full-output stream), or null when the frame does not cover
 * it or shows no animation frame there.
 */
export function frameNumberAt(frame: DisplayFrame, point: { x: number; y: number }): number | null {
  const { pixmap, patch } = frame;
  if (pixmap.format !== "png") throw new Error(`expected PNG frames, got ${pixmap.format}`);
  const left = patch ? patch.x : 0, top = patch ? patch.y : 0;
  const x = point.x - left, y = point.y - top;
  if (x < 0 || y < 0 || x >= pixmap.width || y >= pixmap.height) return null;
  const [r, g, b] = pixelAt(decodePng(pixmap.data), x, y);
  return b === 0xa5 ? r + 256 * g : null;
}

/** What a reader saw: the animation frame numbers in the order they arrived, and the bytes. */
export interface AnimationSeen {
  /** Frame numbers in arrival order (one per stream frame that covered the sample point). */
  numbers: number[];
  /** Stream frames received (after the first). */
  frames: number;
  /** Payload bytes received (after the first frame). */
  bytes: number;
}

/**
 * Reads `frames` (an unscaled PNG stream of the output, its first frame
 * showing the square) until `done(seen)` holds after a frame; returns what was
 * seen. The square's sample point is 5 pixels inside its top-left corner.
 */
export async function readAnimation(
  frames: AsyncIterable<DisplayFrame>,
  done: (seen: AnimationSeen) => boolean,
): Promise<AnimationSeen> {
  const seen: AnimationSeen = { numbers: [], frames: 0, bytes: 0 };
  let point: { x: number; y: number } | null = null;
  for await (const frame of frames) {
    if (point === null) {
      const image = decodePng(frame.pixmap.data);
      const corner = locateSquare((x, y) => pixelAt(image, x, y), image.width, image.height);
      if (!corner) throw new Error("the stream's first frame does not show the animation");
      point = { x: corner.x + 5, y: corner.y + 5 };
    } else {
      seen.frames++;
      seen.bytes += frame.pixmap.data.length;
    }
    const k = frameNumberAt(frame, point);
    if (k !== null) seen.numbers.push(k);
    if (done(seen)) break;
  }
  return seen;
}
