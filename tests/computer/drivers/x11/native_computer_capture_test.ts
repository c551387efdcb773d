import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { PointerEventSchema } from "../../../../src/computer/types/input.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import { decodePng, pixelAt } from "./_png_decode.ts";
import { runX, skipX11, startClient, withXvfb } from "./_x11_fixture.ts";

const RED: [number, number, number] = [255, 0, 0];
const GREEN: [number, number, number] = [0, 255, 0];
const BLUE: [number, number, number] = [0, 0, 255];
const WHITE: [number, number, number] = [255, 255, 255];
const YELLOW: [number, number, number] = [255, 255, 0];

Deno.test({
  name: "NativeComputer.capture() returns the exact pixels an X client drew in a region",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["scene", "100", "50", "200", "100"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        const shot = await computer.capture({
          region: { x: 100, y: 50, width: 200, height: 100 },
          downscale: false,
        });
        assertEquals(
          [shot.format, shot.width, shot.height, shot.logical_width, shot.logical_height],
          ["png", 200, 100, 200, 100],
        );
        assertEquals(shot.display_id, null);
        const image = decodePng(shot.data);
        const cases: Array<[number, number, [number, number, number]]> = [
          [0, 0, YELLOW],
          [199, 99, YELLOW],
          [10, 10, RED],
          [150, 10, GREEN],
          [10, 60, BLUE],
          [150, 60, WHITE],
        ];
        for (const [x, y, rgb] of cases) assertEquals(pixelAt(image, x, y), rgb, `pixel ${x},${y}`);
        const raw = await computer.capture({
          region: { x: 100, y: 50, width: 200, height: 100 },
          downscale: false,
          format: "raw_rgba",
        });
        assertEquals(raw.data.length, 200 * 100 * 4);
        assertEquals(raw.data, image.rgba);
      } finally {
        await computer.close();
        await client.stop();
      }
    }),
});

Deno.test({
  name: "NativeComputer.capture() downscales to the limits and keeps the logical size",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["scene", "0", "0", "640", "480"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        const table: Array<[Record<string, unknown>, number, number]> = [
          [{}, 640, 480],
          [{ downscale: false }, 640, 480],
          [{ max_width: 320 }, 320, 240],
          [{ max_height: 120 }, 160, 120],
          [{ max_pixels: 640 * 480 / 4 }, 320, 240],
        ];
        for (const [params, width, height] of table) {
          const shot = await computer.capture(params);
          assertEquals([shot.width, shot.height], [width, height], JSON.stringify(params));
          assertEquals([shot.logical_width, shot.logical_height], [640, 480]);
          assertEquals(shot.display_id, "1");
          const image = decodePng(shot.data);
          assertEquals([image.width, image.height], [width, height]);
          // Quadrant centres survive area averaging exactly.
          assertEquals(pixelAt(image, width / 4, height / 4), RED);
          assertEquals(pixelAt(image, (3 * width) / 4, (3 * height) / 4), WHITE);
        }
        await assertRejects(
          () => computer.capture({ downscale: false, max_width: 100 }),
          RemoteError,
          "downscale false",
        );
      } finally {
        await computer.close();
        await client.stop();
      }
    }),
});

Deno.test({
  name: "NativeComputer.capture() encodes JPEG and draws the pointer on request",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["fill", "202020"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        const jpeg = await computer.capture({ format: "jpeg", quality: 70 });
        assertEquals(jpeg.format, "jpeg");
        assertEquals([jpeg.data[0], jpeg.data[1]], [0xff, 0xd8]);
        assertEquals([jpeg.data.at(-2), jpeg.data.at(-1)], [0xff, 0xd9]);
        await computer.pointer(
          PointerEventSchema.parse({ action: "move", point: { x: 300, y: 200 } }),
        );
        const region = { x: 280, y: 180, width: 60, height: 60 };
        const plain = decodePng((await computer.capture({ region })).data);
        const withCursor = decodePng((await computer.capture({ region, cursor: true })).data);
        assert(
          plain.rgba.every((v, i) => i % 4 === 3 || v === 0x20),
          "no pointer in a plain capture",
        );
        assert(withCursor.rgba.some((v, i) => i % 4 !== 3 && v !== 0x20), "pointer drawn in");
      } finally {
        await computer.close();
        await client.stop();
      }
    }),
});

Deno.test({
  name: "NativeComputer.displays() and capture() honour RandR monitors",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      await runX(xvfb.display, "xrandr", ["--setmonitor", "left", "640/169x480/127+0+0", "screen"]);
      await runX(xvfb.display, "xrandr", [
        "--setmonitor",
        "right",
        "640/169x480/127+640+0",
        "none",
      ]);
      const client = await startClient(xvfb.display, ["scene", "640", "0", "640", "480"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        assert(computer.capabilities().capabilities.includes("display.multi_monitor"));
        const displays = await computer.displays();
        assertEquals(displays, [
          {
            id: "1",
            bounds: { x: 0, y: 0, width: 640, height: 480 },
            scale_factor: 1,
            primary: true,
            name: "left",
          },
          {
            id: "2",
            bounds: { x: 640, y: 0, width: 640, height: 480 },
            scale_factor: 1,
            primary: false,
            name: "right",
          },
        ]);
        const right = await computer.capture({ display_id: "2" });
        assertEquals([right.display_id, right.width, right.logical_width], ["2", 640, 640]);
        const image = decodePng(right.data);
        assertEquals(pixelAt(image, 10, 10), RED);
        assertEquals(pixelAt(image, 600, 400), WHITE);
        const left = decodePng((await computer.capture({ display_id: "1" })).data);
        assertEquals(pixelAt(left, 10, 10), [0, 0, 0]);
        const env = await computer.environment();
        assertEquals(env.displays.length, 2);
        await assertRejects(
          () => computer.capture({ display_id: "3" }),
          RemoteError,
          "Unknown display",
        );
      } finally {
        await computer.close();
        await client.stop();
      }
    }, { width: 1280, height: 480 }),
});

Deno.test({
  name: "NativeComputer.capture() PNG and raw RGB of a busy desktop decode to the raw RGBA pixels",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["desktop"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        const raw = await computer.capture({ downscale: false, format: "raw_rgba" });
        const png = await computer.capture({ downscale: false });
        const image = decodePng(png.data);
        assertEquals([image.width, image.height], [1280, 720]);
        assert(image.rgba.every((v, i) => v === raw.data[i]), "PNG pixels equal the raw capture");
        const rgb = await computer.capture({ downscale: false, format: "raw_rgb" });
        assertEquals(rgb.data.length, 1280 * 720 * 3);
        assert(rgb.data.every((v, i) => v === raw.data[Math.floor(i / 3) * 4 + (i % 3)]));
        const small = await computer.capture({ max_width: 500 });
        assertEquals([small.width, small.height], [500, 281]);
        assertEquals(decodePng(small.data).width, 500);
      } finally {
        await computer.close();
        await client.stop();
      }
    }, { width: 1280, height: 720 }),
});

Deno.test({
  name: "NativeComputer.capture() PNG is lossless on noise, flat bands and repeats",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        for (const seed of ["1", "2"]) {
          const client = await startClient(xvfb.display, ["noise", seed]);
          try {
            const raw = await computer.capture({ downscale: false, format: "raw_rgba" });
            for (const region of [null, { x: 3, y: 5, width: 317, height: 203 }]) {
              const png = await computer.capture({ downscale: false, region });
              const image = decodePng(png.data);
              const want = region === null ? raw.data : (await computer.capture({
                downscale: false,
                region,
                format: "raw_rgba",
              })).data;
              assert(image.rgba.every((v, i) => v === want[i]), `seed ${seed} region ${!!region}`);
            }
          } finally {
            await client.stop();
          }
        }
      } finally {
        await computer.close();
      }
    }, { width: 800, height: 600 }),
});
