import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { NativeDisplay } from "../../../../src/computer/drivers/x11/native_display.ts";
import { NativeError } from "../../../../src/computer/drivers/x11/native_error.ts";
import { NativeFrame } from "../../../../src/computer/drivers/x11/native_frame.ts";
import { decodePng, pixelAt } from "./_png_decode.ts";
import { skipX11, startClient, withXvfb } from "./_x11_fixture.ts";

type Rgb = [number, number, number];

/** The exact area average of `src` (RGBA) at `width` x `height`, per channel (unrounded). */
function areaAverage(
  src: Uint8Array,
  srcW: number,
  srcH: number,
  width: number,
  height: number,
): Float64Array {
  // Output i covers [i * src, (i + 1) * src) in units of 1/dst source pixel.
  const spans = (s: number, d: number, i: number): Array<[number, number]> => {
    const lo = i * s, hi = lo + s, out: Array<[number, number]> = [];
    for (let p = Math.floor(lo / d); p * d < hi; p++) {
      out.push([p, Math.min(hi, (p + 1) * d) - Math.max(lo, p * d)]);
    }
    return out;
  };
  const out = new Float64Array(width * height * 3);
  for (let oy = 0; oy < height; oy++) {
    const rows = spans(srcH, height, oy);
    for (let ox = 0; ox < width; ox++) {
      const cols = spans(srcW, width, ox);
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (const [y, wy] of rows) {
          for (const [x, wx] of cols) sum += wy * wx * src[(y * srcW + x) * 4 + c]!;
        }
        out[(oy * width + ox) * 3 + c] = sum / (srcW * srcH);
      }
    }
  }
  return out;
}

Deno.test({
  name: "NativeFrame.encodeScaled() gives the exact area averages of a known pattern",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      // Quadrants red | green over blue | white inside a 1-pixel yellow frame.
      const client = await startClient(xvfb.display, ["scene", "0", "0", "640", "480"]);
      await using display = await NativeDisplay.open(xvfb.display);
      using frame = new NativeFrame(display.lib);
      try {
        await frame.grab(display, { x: 0, y: 0, width: 640, height: 480 });
        const table: Array<[number, number, Array<[number, number, Rgb]>]> = [
          // 2:1. Corner: 3 yellow + 1 red; top edge: 2 yellow + 2 red; quadrant borders stay sharp.
          [320, 240, [
            [0, 0, [255, 191, 0]],
            [10, 0, [255, 128, 0]],
            [0, 10, [255, 128, 0]],
            [80, 60, [255, 0, 0]],
            [159, 60, [255, 0, 0]],
            [160, 60, [0, 255, 0]],
            [80, 180, [0, 0, 255]],
            [240, 180, [255, 255, 255]],
            [319, 239, [255, 255, 64]],
          ]],
          // 4:3 (three taps). Top edge: 3/4 of a yellow row and 1/4 of a red one.
          [480, 360, [
            [1, 0, [255, 191, 0]],
            [239, 100, [255, 0, 0]],
            [240, 100, [0, 255, 0]],
            [100, 180, [0, 0, 255]],
            [400, 300, [255, 255, 255]],
          ]],
        ];
        for (const [width, height, pixels] of table) {
          const image = decodePng(await frame.encodeScaled("png", { width, height }));
          assertEquals([image.width, image.height], [width, height]);
          for (const [x, y, rgb] of pixels) {
            assertEquals(pixelAt(image, x, y), rgb, `${width}x${height} at ${x},${y}`);
          }
        }
        // The frame still holds the captured image.
        const full = decodePng(await frame.encodeScaled("png", { width: 640, height: 480 }));
        assertEquals([full.width, pixelAt(full, 0, 0), pixelAt(full, 1, 1)], [640, [255, 255, 0], [
          255,
          0,
          0,
        ]]);
      } finally {
        await client.stop();
      }
    }),
});

Deno.test({
  name: "NativeFrame.encodeScaled() and scale() agree and stay within 1.25 levels on noise",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      // Noise, flat and repeating bands; sizes cover 2- and 3-tap ratios, an odd
      // width, many rows per output row and many columns per output pixel.
      const client = await startClient(xvfb.display, ["noise", "3"]);
      await using display = await NativeDisplay.open(xvfb.display);
      using frame = new NativeFrame(display.lib);
      try {
        const area = { x: 0, y: 0, width: 800, height: 600 };
        await frame.grab(display, area);
        const src = await frame.encode("raw_rgba");
        const sizes: Array<[number, number]> = [
          [600, 450],
          [400, 300],
          [333, 250],
          [799, 600],
          [100, 75],
          [10, 8],
        ];
        for (const [width, height] of sizes) {
          const label = `${width}x${height}`;
          await frame.grab(display, area);
          const png = decodePng(await frame.encodeScaled("png", { width, height }));
          const raw = await frame.encodeScaled("raw_rgba", { width, height });
          await frame.scale(width, height);
          const scaled = await frame.encode("raw_rgba");
          assertEquals(raw.length, width * height * 4, label);
          assert(png.rgba.every((v, i) => v === raw[i]), `${label}: PNG equals raw RGBA`);
          assert(scaled.every((v, i) => v === raw[i]), `${label}: scale() equals encodeScaled()`);
          const exact = areaAverage(src, 800, 600, width, height);
          let worst = 0;
          for (let i = 0; i < width * height; i++) {
            assertEquals(raw[i * 4 + 3], 255, `${label}: opaque`);
            for (let c = 0; c < 3; c++) {
              worst = Math.max(worst, Math.abs(raw[i * 4 + c]! - exact[i * 3 + c]!));
            }
          }
          assert(worst <= 1.25, `${label}: off by ${worst.toFixed(3)} from the exact average`);
        }
      } finally {
        await client.stop();
      }
    }, { width: 800, height: 600 }),
});

Deno.test({
  name: "NativeFrame.encodeScaled() refuses to scale up with a clear NativeError",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      await using display = await NativeDisplay.open(xvfb.display);
      using frame = new NativeFrame(display.lib);
      await frame.grab(display, { x: 0, y: 0, width: 100, height: 80 });
      await assertRejects(
        () => frame.encodeScaled("png", { width: 200, height: 80 }),
        NativeError,
        "only downscaling",
      );
      await assertRejects(
        () => frame.encodeScaled("jpeg", { width: 0, height: 80 }),
        NativeError,
        "at least 1",
      );
      assertEquals(decodePng(await frame.encodeScaled("png", { width: 50, height: 40 })).width, 50);
    }),
});
