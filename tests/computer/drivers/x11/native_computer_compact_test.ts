import { assert, assertEquals } from "../../../remote/_assert.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import { decodePng } from "./_png_decode.ts";
import { skipX11, startClient, withXvfb } from "./_x11_fixture.ts";

/** The PNG colour type (IHDR byte 9 of the data, file offset 25). */
function colourType(png: Uint8Array): number {
  return png[25] ?? -1;
}

/** The number of PLTE entries, or 0 without a PLTE chunk. */
function paletteSize(png: Uint8Array): number {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let p = 8; p < png.length;) {
    const len = view.getUint32(p);
    if (new TextDecoder().decode(png.subarray(p + 4, p + 8)) === "PLTE") return len / 3;
    p += 12 + len;
  }
  return 0;
}

Deno.test({
  name: "capture({ compact: true }) keeps an image of few colours pixel-exact in a palette PNG",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["scene", "100", "50", "200", "100"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        const region = { x: 100, y: 50, width: 200, height: 100 };
        const shot = await computer.capture({ region, downscale: false, compact: true });
        assertEquals([shot.format, shot.width, shot.height], ["png", 200, 100]);
        assertEquals(colourType(shot.data), 3);
        const raw = await computer.capture({ region, downscale: false, format: "raw_rgba" });
        assertEquals(decodePng(shot.data).rgba, raw.data);
      } finally {
        await computer.close();
        await client.stop();
      }
    }),
});

Deno.test({
  name: "capture({ compact: true }) of a busy desktop: smaller, flat colours exact, small error",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["desktop"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        const size = { max_width: 1000 };
        const raw = await computer.capture({ ...size, format: "raw_rgba" });
        const lossless = await computer.capture(size);
        const compact = await computer.capture({ ...size, compact: true });
        assertEquals([compact.width, compact.height], [raw.width, raw.height]);
        assertEquals(colourType(compact.data), 3);
        const entries = paletteSize(compact.data);
        assert(entries > 0 && entries <= 256, `palette of ${entries} entries`);
        assert(
          compact.data.length < lossless.data.length * 0.6,
          `palette PNG ${compact.data.length} B against ${lossless.data.length} B lossless`,
        );
        const image = decodePng(compact.data);
        let error = 0, white = 0, whiteExact = 0;
        for (let i = 0; i < raw.data.length; i += 4) {
          for (let c = 0; c < 3; c++) error += Math.abs(image.rgba[i + c]! - raw.data[i + c]!);
          // The text windows' background (250, 250, 250) is drawn flat: it keeps its exact colour.
          if (raw.data[i] === 250 && raw.data[i + 1] === 250 && raw.data[i + 2] === 250) {
            white++;
            if (image.rgba[i] === 250 && image.rgba[i + 1] === 250 && image.rgba[i + 2] === 250) {
              whiteExact++;
            }
          }
        }
        const mean = error / (raw.data.length / 4 * 3);
        assert(mean < 2, `mean error ${mean.toFixed(2)} levels`);
        assert(white > 10000, `the scene shows its white panes (${white} pixels)`);
        assertEquals(whiteExact, white);
      } finally {
        await computer.close();
        await client.stop();
      }
    }, { width: 1280, height: 720 }),
});

Deno.test({
  name: "capture({ compact: true }) makes JPEG smaller at the same quality and leaves raw alone",
  ignore: skipX11,
  fn: () =>
    withXvfb(async (xvfb) => {
      const client = await startClient(xvfb.display, ["desktop"]);
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        const plain = await computer.capture({ format: "jpeg", quality: 70 });
        const compact = await computer.capture({ format: "jpeg", quality: 70, compact: true });
        assertEquals(compact.format, "jpeg");
        assertEquals([compact.data[0], compact.data[1]], [0xff, 0xd8]);
        assert(
          compact.data.length < plain.data.length,
          `optimised ${compact.data.length} B against ${plain.data.length} B`,
        );
        const raw = await computer.capture({ format: "raw_rgb", max_width: 300 });
        const rawCompact = await computer.capture({
          format: "raw_rgb",
          max_width: 300,
          compact: true,
        });
        assertEquals(rawCompact.data, raw.data);
      } finally {
        await computer.close();
        await client.stop();
      }
    }, { width: 1280, height: 720 }),
});
