import {
  displayWidth,
  formatAge,
  formatBytes,
  formatDuration,
  formatRect,
  renderTable,
  truncate,
} from "../../../src/cli/render/text_layout.ts";
import { assert, assertEquals } from "../_util/assert.ts";

const sizes: Array<[number, string]> = [
  [0, "0 B"],
  [1023, "1023 B"],
  [1536, "1.5 KiB"],
  [5 * 1024 * 1024, "5.0 MiB"],
  [3 * 1024 ** 3, "3.0 GiB"],
];
for (const [bytes, text] of sizes) {
  Deno.test(`formatBytes() formats ${bytes} as '${text}'`, () =>
    assertEquals(formatBytes(bytes), text));
}

Deno.test("formatDuration() picks a unit", () => {
  assertEquals(
    [formatDuration(0.25), formatDuration(3.456), formatDuration(250), formatDuration(3200)],
    ["250 µs", "3.46 ms", "250.0 ms", "3.20 s"],
  );
});

Deno.test("formatRect() writes x,y w×h", () => {
  assertEquals(formatRect({ x: 1, y: 2.5, width: 30, height: 40 }), "1,2.5 30×40");
});

Deno.test("displayWidth() counts wide characters twice", () => {
  assertEquals([displayWidth("abc"), displayWidth("日本"), displayWidth("")], [3, 4, 0]);
});

Deno.test("truncate() cuts with an ellipsis", () => {
  assertEquals([truncate("abcdef", 4), truncate("abc", 4), truncate("日本語", 4)], [
    "abc…",
    "abc",
    "日…",
  ]);
});

Deno.test("renderTable() aligns columns and fits the width", () => {
  const text = renderTable(
    [{ header: "NAME" }, { header: "SIZE", right: true }],
    [["a-very-long-file-name-that-does-not-fit.txt", "12"], ["b", "3456"]],
    30,
  );
  const lines = text.trimEnd().split("\n");
  assertEquals(lines.length, 3);
  for (const line of lines) assert(displayWidth(line) <= 30, `too wide: ${line}`);
  assert(lines[1]!.includes("…"));
  assert(lines[2]!.endsWith("3456"));
});

Deno.test("renderTable() neutralises control characters in cells", () => {
  const text = renderTable([{ header: "T" }], [["a\x1b[31mb\nc"]], 80);
  assertEquals(text.includes("\x1b"), false);
  assertEquals(text.split("\n").length, 3);
});

Deno.test("formatBytes() rounds fractional byte counts; formatAge() uses whole units", () => {
  assertEquals(formatBytes(10.87562665582597), "11 B");
  const ages: [number, string][] = [[0.4, "0 s"], [59.6, "1 min 0 s"], [125, "2 min 5 s"], [
    3 * 3600 + 240,
    "3 h 4 min",
  ], [2 * 86_400 + 3600, "2 d 1 h"]];
  for (const [seconds, text] of ages) assertEquals(formatAge(seconds), text, String(seconds));
});
