import assert from "node:assert/strict";
import { crc32, encodePng } from "../../src/computer/png_encoder.ts";

Deno.test("crc32() matches the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

Deno.test("encodePng() writes a PNG that ImageMagick reads back pixel for pixel", async () => {
  const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
  const png = encodePng(rgb, 2, 2, { channels: 3 });
  const convert = new Deno.Command("convert", {
    args: ["png:-", "-depth", "8", "rgb:-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = convert.stdin.getWriter();
  await writer.write(png);
  await writer.close();
  const out = await convert.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.deepEqual(out.stdout, rgb);
});

Deno.test("encodePng() rejects sizes that do not match the pixels", () => {
  assert.throws(() => encodePng(new Uint8Array(15), 2, 2), /expected 16 bytes for 2x2, got 15/);
  assert.throws(() => encodePng(new Uint8Array(0), 0, 1), /invalid size 0x1/);
});
