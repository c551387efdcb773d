/**
 * The 200×200 animation (`tests/native/wayland/animation.py`) on a headless
 * sway and a reader of its frame numbers in a `display.subscribe` stream:
 * used by the Wayland stream test and `bench:capture --driver wayland`.
 *
 * The app paints frame k as the colour (k & 0xff, k >> 8, 0xa5) over its
 * top-left square, so the number is read back from one pixel of any frame
 * (a keyframe or a delta patch) that covers the square's sample points.
 *
 * @module
 */

import type { DisplayFrame } from "../../../../src/computer/types/display.ts";
import { decodePng, pixelAt } from "../x11/_png_decode.ts";
import type { Sway } from "../../../native/wayland/_sway_fixture.ts";
import { eventually } from "../x11/_desktop_fixture.ts";
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

/** Where the square is placed in the layout (logical pixels). */
export const ANIMATION_AT = { x: 100, y: 100 };

/**
 * Points of the square's upper half, from its top-left corner, where its
 * number is read: two, far apart, since headless sway draws the pointer into
 * the image and it may cover one (the pointer's pixels never have blue
 * 0xa5). Inside the square even when the corner was found a pointer's width
 * too far right.
 */
const SAMPLES = [{ x: 20, y: 30 }, { x: 160, y: 70 }];

/** True when grim sees frame 0's colour in the square at its place. */
async function squareShown(sway: Sway): Promise<boolean> {
  const out = await new Deno.Command("grim", {
    args: [
      "-g",
      `${ANIMATION_AT.x},${ANIMATION_AT.y} ${ANIMATION_SIZE}x${ANIMATION_SIZE}`,
      "-t",
      "ppm",
      "-",
    ],
    env: sway.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "null",
  }).output();
  const head = new TextDecoder("latin1").decode(out.stdout.subarray(0, 32));
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(head);
  if (!out.success || !m) return false;
  const width = Number(m[1]);
  const rgb = (x: number, y: number) => {
    const o = m[0].length + (y * width + x) * 3;
    return [...out.stdout.subarray(o, o + 3)].join(",");
  };
  return SAMPLES.some((p) => rgb(p.x, p.y) === "0,0,165");
}

/**
 * Starts the animation app on `sway` as a small floating window showing
 * frame 0 at `ANIMATION_AT`, and waits until the screen shows it there
 * (find the square in an image with {@linkcode locateSquare}).
 */
export async function startAnimation(sway: Sway): Promise<Animation> {
  const app = spawnLines(["/usr/bin/python3", APP], sway.env);
  try {
    await app.line(/^ready$/, "the animation window to be mapped");
    // A small floating window: the app and the compositor redraw 200×200, not the whole screen.
    // (Undecorated, so the image is the window's top-left corner.)
    await swaymsg(sway, [
      `[app_id="opendesk-animation"] floating enable, border none, ` +
      `resize set ${ANIMATION_SIZE} ${ANIMATION_SIZE}, move absolute position ` +
      `${ANIMATION_AT.x} ${ANIMATION_AT.y}`,
    ]);
    // sway moves the window once the app redrew at its new size: wait until the screen shows it.
    await eventually(
      async () => (await squareShown(sway)) ? true : undefined,
      15_000,
      "the animation at its place on the screen",
    );
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
 * The animation frame number a stream frame shows at the first of `points`
 * (image pixels of an unscaled full-output stream) that it covers with an
 * animation colour, or null when there is none.
 */
export function frameNumberAt(
  frame: DisplayFrame,
  points: { x: number; y: number }[],
): number | null {
  const { pixmap, patch } = frame;
  if (pixmap.format !== "png") throw new Error(`expected PNG frames, got ${pixmap.format}`);
  const left = patch ? patch.x : 0, top = patch ? patch.y : 0;
  let image: ReturnType<typeof decodePng> | undefined;
  for (const point of points) {
    const x = point.x - left, y = point.y - top;
    if (x < 0 || y < 0 || x >= pixmap.width || y >= pixmap.height) continue;
    image ??= decodePng(pixmap.data);
    const [r, g, b] = pixelAt(image, x, y);
    if (b === 0xa5) return r + 256 * g;
  }
  return null;
}

/** What a reader saw: the animation frame numbers in the order they arrived, and the bytes. */
export interface AnimationSeen {
  /** Frame numbers in arrival order (one per stream frame that covered a sample point). */
  numbers: number[];
  /** Stream frames received (after the first). */
  frames: number;
  /** Payload bytes received (after the first frame). */
  bytes: number;
}

/**
 * Reads `frames` (an unscaled PNG stream of the output, its first frame
 * showing the square) until `done(seen)` holds after a frame; returns what was
 * seen (`seen`, filled as frames arrive, also holds what came before a
 * failure). The number is read at `SAMPLES` from the square's corner.
 */
export async function readAnimation(
  frames: AsyncIterable<DisplayFrame>,
  done: (seen: AnimationSeen) => boolean,
  seen: AnimationSeen = { numbers: [], frames: 0, bytes: 0 },
): Promise<AnimationSeen> {
  let points: { x: number; y: number }[] | null = null;
  for await (const frame of frames) {
    if (points === null) {
      const image = decodePng(frame.pixmap.data);
      const corner = locateSquare((x, y) => pixelAt(image, x, y), image.width, image.height);
      if (!corner) throw new Error("the stream's first frame does not show the animation");
      points = SAMPLES.map((p) => ({ x: corner.x + p.x, y: corner.y + p.y }));
    } else {
      seen.frames++;
      seen.bytes += frame.pixmap.data.length;
    }
    const k = frameNumberAt(frame, points);
    if (k !== null) seen.numbers.push(k);
    if (done(seen)) break;
  }
  return seen;
}
