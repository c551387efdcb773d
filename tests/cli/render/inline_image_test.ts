// deno-lint-ignore-file no-control-regex
import { decodePng } from "../../../src/cli/render/_png_decode.ts";
import {
  detectImageProtocol,
  encodeInlineImage,
  encodeSixel,
  scaleToWidth,
} from "../../../src/cli/render/inline_image.ts";
import { encodeTestPng, gradient } from "../_util/png.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "../_util/assert.ts";

const detection: Array<{ env: Record<string, string>; tty: boolean; expected: string }> = [
  { env: { TERM: "xterm-kitty" }, tty: true, expected: "kitty" },
  { env: { TERM: "xterm-256color", KITTY_WINDOW_ID: "1" }, tty: true, expected: "kitty" },
  { env: { TERM_PROGRAM: "iTerm.app" }, tty: true, expected: "iterm" },
  { env: { TERM_PROGRAM: "WezTerm" }, tty: true, expected: "iterm" },
  { env: { TERM: "foot" }, tty: true, expected: "sixel" },
  { env: { TERM: "xterm-sixel" }, tty: true, expected: "sixel" },
  { env: { TERM: "xterm-256color" }, tty: true, expected: "none" },
  { env: { TERM: "xterm-kitty" }, tty: false, expected: "none" },
  { env: { TERM: "xterm-kitty", TMUX: "/tmp/t" }, tty: true, expected: "none" },
  { env: { TERM: "xterm", OPENDESK_IMAGES: "sixel" }, tty: false, expected: "sixel" },
  { env: { TERM: "xterm-kitty", OPENDESK_IMAGES: "none" }, tty: true, expected: "none" },
];

for (const c of detection) {
  Deno.test(`detectImageProtocol() picks ${c.expected} for ${JSON.stringify(c.env)} tty=${c.tty}`, () => {
    assertEquals(detectImageProtocol((name) => c.env[name], c.tty), c.expected);
  });
}

Deno.test("decodePng() gives back the exact pixels of a PNG", () => {
  const pixels = gradient(17, 9);
  const image = decodePng(encodeTestPng(17, 9, pixels));
  assertEquals([image.width, image.height], [17, 9]);
  assertEquals(image.pixels, pixels);
});

Deno.test("decodePng() rejects data that is not a PNG", () => {
  assertThrows(() => decodePng(new Uint8Array([1, 2, 3])), SyntaxError, "not a PNG");
});

Deno.test("encodeInlineImage() wraps the PNG in kitty graphics chunks", () => {
  const png = encodeTestPng(64, 64, gradient(64, 64));
  const text = encodeInlineImage(png, "kitty", { columns: 40 });
  assertMatch(text, /^\x1b_Gf=100,a=T,q=2,c=40,m=[01];/);
  const payload = [...text.matchAll(/\x1b_G[^;]*;([^\x1b]*)\x1b\\/g)].map((m) => m[1]).join("");
  assertEquals(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)), png);
});

Deno.test("encodeInlineImage() uses iTerm2's OSC 1337 with the file size", () => {
  const png = encodeTestPng(8, 8, gradient(8, 8));
  const text = encodeInlineImage(png, "iterm");
  assertMatch(text, new RegExp(`^\\x1b\\]1337;File=inline=1;size=${png.length};`));
  assert(text.includes("\x07"));
});

Deno.test("encodeSixel() emits one band per six rows with the used colours", () => {
  const pixels = new Uint8Array(4 * 12 * 4);
  for (let i = 0; i < 4 * 12; i++) pixels.set(i < 24 ? [255, 0, 0, 255] : [0, 0, 255, 255], i * 4);
  const sixel = encodeSixel({ width: 4, height: 12, pixels });
  assertMatch(sixel, /^\x1bP0;1;0q"1;1;4;12/);
  assert(sixel.includes("#180;2;100;0;0"), "red palette entry");
  assert(sixel.includes("#5;2;0;0;100"), "blue palette entry");
  assertEquals(sixel.split("-").length - 1, 2);
  assert(sixel.endsWith("\x1b\\"));
});

Deno.test("scaleToWidth() keeps the aspect ratio", () => {
  const image = scaleToWidth(
    { width: 1000, height: 500, pixels: new Uint8Array(1000 * 500 * 4) },
    100,
  );
  assertEquals([image.width, image.height, image.pixels.length], [100, 50, 100 * 50 * 4]);
});

Deno.test("encodeInlineImage() with none writes nothing", () => {
  assertEquals(encodeInlineImage(new Uint8Array(), "none"), "");
});
