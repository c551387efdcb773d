import { assertEquals } from "./_assert.ts";
import {
  applyMask,
  buildFrameHeader,
  frameHeaderBytes,
  parseFrameHeader,
  writeFrameHeader,
} from "../../src/remote/_ws_frame.ts";

Deno.test("buildFrameHeader() and parseFrameHeader() agree on every length encoding", () => {
  const mask = new Uint8Array([1, 2, 3, 4]);
  for (const length of [0, 125, 126, 65535, 65536, 300 * 1024 * 1024]) {
    for (const m of [null, mask]) {
      const header = buildFrameHeader(0x2, length, m);
      const parsed = parseFrameHeader(header);
      assertEquals(parsed?.length, length);
      assertEquals(parsed?.opcode, 0x2);
      assertEquals(parsed?.fin, true);
      assertEquals(parsed?.mask, m);
      assertEquals(parsed?.headerBytes, header.length);
      // Any prefix is "not yet".
      assertEquals(parseFrameHeader(header.subarray(0, header.length - 1)), null);
    }
  }
});

Deno.test("parseFrameHeader() caps absurd 64-bit lengths and reports reserved bits", () => {
  const huge = new Uint8Array([0x82, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  assertEquals(parseFrameHeader(huge)?.length, Number.MAX_SAFE_INTEGER);
  assertEquals(parseFrameHeader(new Uint8Array([0xc2, 0x00]))?.reserved, true);
});

Deno.test("applyMask() masks at any alignment and phase like the byte-wise definition", () => {
  const mask = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);
  const data = crypto.getRandomValues(new Uint8Array(1031));
  for (const [start, end, phase] of [[0, 1031, 0], [1, 1030, 3], [3, 10, 1], [5, 5, 2]]) {
    const copy = data.slice(start!, end!);
    const expected = copy.map((b, i) => b ^ mask[(phase! + i) & 3]!);
    const view = data.slice().subarray(start!, end!);
    applyMask(view, mask, phase!);
    assertEquals(view, expected);
  }
});

Deno.test("writeFrameHeader() writes in place exactly the header buildFrameHeader() builds", () => {
  const pool = new Uint8Array([9, 9, 0xa1, 0xb2, 0xc3, 0xd4, 9]);
  for (const length of [0, 1, 125, 126, 65535, 65536, 2 ** 32 + 5, 300 * 1024 * 1024]) {
    for (const masked of [false, true]) {
      const expected = buildFrameHeader(0x2, length, masked ? pool.subarray(2, 6) : null);
      const out = new Uint8Array(expected.length + 3).fill(0xee);
      const written = writeFrameHeader(out, 1, 0x2, length, masked ? pool : null, 2);
      assertEquals(written, expected.length);
      assertEquals(frameHeaderBytes(length, masked), expected.length);
      assertEquals(out.subarray(1, 1 + written), expected);
      // Nothing around the header is touched.
      assertEquals([out[0], out[written + 1], out[written + 2]], [0xee, 0xee, 0xee]);
    }
  }
});
