import { assert, assertEquals, assertThrows } from "../cli/_util/assert.ts";
import {
  ImageSpace,
  MODEL_MAX_LONG_EDGE,
  MODEL_MAX_PIXELS,
  modelImageSize,
} from "../../src/mcp/image_space.ts";

Deno.test("modelImageSize() keeps the long edge <= 1568 and the area <= 1092^2", () => {
  const cases: Array<[number, number, number, [number, number]]> = [
    [1920, 1080, 1, [1456, 819]],
    [1280, 800, 1, [1280, 800]],
    [1280, 720, 0.5, [640, 360]],
    [1280, 720, 0.41, [524, 295]],
    [3840, 2160, 1, [1456, 819]],
    [800, 3000, 1, [418, 1568]],
    [100, 50, 1, [100, 50]],
  ];
  for (const [w, h, s, expected] of cases) {
    const size = modelImageSize(w, h, s);
    assertEquals([size.width, size.height], expected, `${w}x${h}@${s}`);
    assert(Math.max(size.width, size.height) <= MODEL_MAX_LONG_EDGE);
    assert(size.width * size.height <= MODEL_MAX_PIXELS);
  }
});

Deno.test("ImageSpace round trips image -> screen -> image within 1 px at any scale (exactly when not upscaled)", () => {
  const sizes: Array<[number, number, number, number]> = [
    [1920, 1080, 1456, 819],
    [1280, 720, 640, 360],
    [1280, 720, 524, 295],
    [1280, 720, 1280, 720],
    [1000, 700, 999, 699],
    [1000, 700, 701, 491],
    [300, 200, 600, 400], // a HiDPI image with more pixels than logical points
  ];
  for (const [lw, lh, iw, ih] of sizes) {
    const space = new ImageSpace(iw, ih, { x: 100, y: 50, width: lw, height: lh });
    let worst = 0;
    for (let x = 0; x < iw; x++) {
      const screen = space.toScreen({ x, y: Math.min(ih - 1, x) });
      assert(screen.x >= 100 && screen.x < 100 + lw && screen.y >= 50 && screen.y < 50 + lh);
      // The screen pixel lies inside the span the image pixel depicts.
      assert(
        screen.x - 100 >= Math.floor((x * lw) / iw) &&
          screen.x - 100 < Math.ceil(((x + 1) * lw) / iw),
      );
      const back = space.toImage(screen)!;
      worst = Math.max(worst, Math.abs(back.x - x));
    }
    assert(worst <= (iw <= lw ? 0 : 1), `${lw}->${iw}: worst ${worst}`);
  }
});

Deno.test("ImageSpace refuses points and boxes outside the image", () => {
  const space = new ImageSpace(640, 360, { x: 0, y: 0, width: 1280, height: 720 });
  for (const p of [{ x: -1, y: 0 }, { x: 640, y: 0 }, { x: 0, y: 360 }, { x: NaN, y: 1 }]) {
    assertThrows(() => space.toScreen(p));
  }
  assertEquals(space.toImage({ x: 1280, y: 0 }), null);
  assertThrows(() => space.boxToScreen([10, 10, 10, 20]));
  assertThrows(() => space.boxToScreen([0, 0, 641, 10]));
  assertEquals(space.boxToScreen([10, 20, 30, 40]), { x: 20, y: 40, width: 40, height: 40 });
});
