import { assert, assertEquals } from "../../../remote/_assert.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import type { DisplayFrame } from "../../../../src/computer/types/display.ts";
import { decodePng } from "./_png_decode.ts";
import { skipX11, startClient, withXvfb } from "./_x11_fixture.ts";

/** Pulls frames until `stopAfterMs` passes without a new frame or `max` frames arrived. */
async function collect(
  frames: AsyncIterator<DisplayFrame>,
  quietMs: number,
  max: number,
): Promise<DisplayFrame[]> {
  const out: DisplayFrame[] = [];
  while (out.length < max) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const quiet = new Promise<null>((r) => (timer = setTimeout(() => r(null), quietMs)));
    const next = frames.next();
    const got = await Promise.race([next, quiet]);
    clearTimeout(timer);
    if (got === null) {
      // Keep the pending pull: the caller ends the stream, which settles it.
      pending.add(next);
      break;
    }
    if (got.done) break;
    out.push(got.value);
  }
  return out;
}
const pending = new Set<Promise<unknown>>();

Deno.test({
  name: "NativeComputer.subscribeDisplay() without extensions sends full PNG keyframes",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["scene", "0", "0", "320", "240"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      const stop = new AbortController();
      try {
        const stream = computer.subscribeDisplay({ fps: 20 }, { signal: stop.signal });
        const frames: DisplayFrame[] = [];
        for await (const frame of stream) {
          frames.push(frame);
          if (frames.length === 3) break;
        }
        assertEquals(frames.map((f) => f.frame_number), [0, 1, 2]);
        for (const frame of frames) {
          assertEquals(Object.keys(frame), ["pixmap", "frame_number", "keyframe"]);
          assertEquals(frame.keyframe, true);
          assertEquals([frame.pixmap.format, frame.pixmap.width, frame.pixmap.height], [
            "png",
            320,
            240,
          ]);
          assertEquals(decodePng(frame.pixmap.data).width, 320);
        }
      } finally {
        stop.abort();
        await computer.close();
        await client.stop();
      }
    }, { width: 320, height: 240 }),
});

Deno.test({
  name: "NativeComputer.subscribeDisplay() with delta reproduces the screen exactly",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const scene = await startClient(xvfb.display, ["scene", "20", "20", "100", "80"]);
      const anim = await startClient(xvfb.display, ["animate", "200", "100", "90", "70", "30"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      const stop = new AbortController();
      const stream = computer.subscribeDisplay(
        { fps: 30, delta: true, downscale: false },
        { signal: stop.signal },
      )[Symbol.asyncIterator]();
      try {
        const canvas = new Uint8Array(400 * 300 * 4);
        const apply = (frame: DisplayFrame) => {
          const image = decodePng(frame.pixmap.data);
          const at = frame.patch ?? { x: 0, y: 0, width: image.width, height: image.height };
          assertEquals([image.width, image.height], [at.width, at.height]);
          for (let y = 0; y < at.height; y++) {
            const src = image.rgba.subarray(y * at.width * 4, (y + 1) * at.width * 4);
            canvas.set(src, ((at.y + y) * 400 + at.x) * 4);
          }
        };
        // The quiet time only ends a hang: the animation makes a frame every 33 ms.
        const moving = await collect(stream, 10_000, 20);
        assert(moving.length === 20, `frames while animating: ${moving.length}`);
        assertEquals(moving[0]?.keyframe, true);
        assertEquals("patch" in moving[0]!, false);
        const deltas = moving.filter((f) => !f.keyframe);
        assert(deltas.length > 0, "delta frames while animating");
        for (const f of deltas) {
          assert(f.patch !== undefined, "a delta frame carries its patch");
          assert(f.patch.width * f.patch.height < 400 * 300 / 2, "patches are partial");
          assert(f.patch.x + f.patch.width <= 400 && f.patch.y + f.patch.height <= 300);
        }
        for (const f of moving) apply(f);
        await anim.stop();
        // The screen is still now: apply frames until the canvas equals it (the frames still on
        // their way bring it there), not until a guessed quiet time passes. The screen is
        // captured again each round: X removes the stopped client's window a moment after the
        // process exits.
        const screen = async () =>
          (await computer.capture({ downscale: false, format: "raw_rgba" })).data;
        let truth = await screen();
        assertEquals(truth.length, canvas.length);
        const deadline = Date.now() + 30_000;
        while (!truth.every((v, i) => v === canvas[i])) {
          if (Date.now() > deadline) {
            throw new Error("The patched canvas never equalled the screen");
          }
          const [next] = await collect(stream, 1000, 1);
          if (next) apply(next);
          truth = await screen();
        }
        // A still screen sends nothing: any frame that still comes carries a real change (such as
        // the stopped client's window going away late), never a repeat of what is shown.
        for (const f of await collect(stream, 400, 5)) {
          const before = canvas.slice();
          apply(f);
          assert(!before.every((v, i) => v === canvas[i]), `frame ${f.frame_number} repeats`);
        }
      } finally {
        stop.abort();
        await stream.return?.(undefined);
        await Promise.allSettled([...pending]);
        pending.clear();
        await computer.close();
        await scene.stop();
      }
    }, { width: 400, height: 300 }),
});

Deno.test({
  name: "NativeComputer.subscribeDisplay() sends a keyframe every keyframe_interval frames",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const anim = await startClient(xvfb.display, ["animate", "10", "10", "40", "40", "30"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      const stop = new AbortController();
      try {
        const frames: DisplayFrame[] = [];
        const stream = computer.subscribeDisplay(
          { fps: 30, delta: true, keyframe_interval: 4, format: "jpeg" },
          { signal: stop.signal },
        );
        for await (const frame of stream) {
          frames.push(frame);
          if (frames.length === 12) break;
        }
        const keys = frames.map((f) => f.keyframe);
        assertEquals(keys[0], true);
        // After each keyframe, at most 4 delta frames come before the next keyframe.
        let run = 0;
        for (const k of keys.slice(1)) {
          run = k ? 0 : run + 1;
          assert(run <= 4, `keyframes: ${keys.join(",")}`);
        }
        assert(keys.filter((k) => k).length >= 2, `keyframes: ${keys.join(",")}`);
        assertEquals(frames[1]?.pixmap.format, "jpeg");
      } finally {
        stop.abort();
        await computer.close();
        await anim.stop();
      }
    }, { width: 200, height: 150 }),
});
