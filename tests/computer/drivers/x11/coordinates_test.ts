import { assertEquals, assertThrows } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import {
  fitImageSize,
  imageToLogical,
  logicalToDevice,
  regionToDevice,
} from "../../../../src/computer/drivers/x11/coordinates.ts";

Deno.test("fitImageSize() applies downscale and the max_* limits keeping the aspect ratio", () => {
  const cases: Array<
    { name: string; size: [number, number]; limits: object; want: [number, number] }
  > = [
    { name: "native when small", size: [1280, 720], limits: {}, want: [1280, 720] },
    { name: "width bound 1920", size: [3840, 2160], limits: {}, want: [1920, 1080] },
    {
      name: "downscale false",
      size: [3840, 2160],
      limits: { downscale: false },
      want: [3840, 2160],
    },
    {
      name: "long edge 1568",
      size: [1920, 1080],
      limits: { max_width: 1568, max_height: 1568 },
      want: [1568, 882],
    },
    {
      name: "portrait",
      size: [1080, 1920],
      limits: { max_width: 1568, max_height: 1568 },
      want: [882, 1568],
    },
    {
      name: "max_pixels",
      size: [1920, 1080],
      limits: { max_pixels: 1_000_000 },
      want: [1333, 750],
    },
    {
      name: "max_width above 1920",
      size: [3840, 2160],
      limits: { max_width: 2560 },
      want: [2560, 1440],
    },
    { name: "tiny", size: [10, 10], limits: { max_pixels: 1 }, want: [1, 1] },
  ];
  for (const c of cases) {
    const got = fitImageSize(c.size[0], c.size[1], c.limits);
    assertEquals([got.width, got.height], c.want, c.name);
  }
  assertThrows(
    () => fitImageSize(100, 100, { downscale: false, max_pixels: 10 }),
    RemoteError,
    "max_pixels",
  );
});

Deno.test("regionToDevice() rounds outwards and clips to the desktop", () => {
  assertEquals(regionToDevice({ x: 10.5, y: 20.2, width: 100, height: 50.1 }, 640, 480), {
    x: 10,
    y: 20,
    width: 101,
    height: 51,
  });
  assertEquals(regionToDevice({ x: -10, y: 400, width: 100, height: 200 }, 640, 480), {
    x: 0,
    y: 400,
    width: 90,
    height: 80,
  });
  for (const bad of [{ x: 0, y: 0, width: 0, height: 5 }, { x: 700, y: 0, width: 5, height: 5 }]) {
    const error = assertThrows(() => regionToDevice(bad, 640, 480), RemoteError);
    assertEquals(error.code, "invalid_argument");
  }
});

Deno.test("imageToLogical() and logicalToDevice() follow the §7.2 mapping", () => {
  const image = { width: 960, height: 540, logical_width: 1920, logical_height: 1080 };
  assertEquals(imageToLogical(100, 50, image, { x: 1920, y: 0 }), { x: 2120, y: 100 });
  assertEquals(logicalToDevice({ x: 10.4, y: 10.6 }), { x: 10, y: 11 });
  assertThrows(() => logicalToDevice({ x: NaN, y: 0 }), RemoteError);
});
