import { StringWriter } from "../../../src/cli/deps.ts";
import { ProgressBar } from "../../../src/cli/render/progress_bar.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";

Deno.test("ProgressBar.update() redraws in place on a terminal, at most once per interval", () => {
  let now = 0;
  const out = new StringWriter({ isTTY: true });
  const bar = new ProgressBar(out, {
    label: "f.bin",
    total: 2048,
    now: () => now,
    intervalMs: 100,
  });
  bar.update(512);
  now = 50;
  bar.update(1024);
  now = 200;
  bar.update(2048);
  assertEquals(out.text.split("\r\x1b[2K").length - 1, 2);
  assertMatch(out.text, /\[#{24}\] 100% 2\.0 KiB\/2\.0 KiB/);
});

Deno.test("ProgressBar.finish() writes one line without escapes when not a terminal", () => {
  let now = 0;
  const out = new StringWriter();
  const bar = new ProgressBar(out, { label: "f.bin", total: 100, now: () => now });
  bar.update(50);
  now = 1000;
  bar.update(100);
  bar.finish();
  bar.finish();
  assertEquals(out.text.split("\n").length, 2);
  assert(!out.text.includes("\x1b"));
  assertMatch(out.text, /f\.bin \[#+\] 100% 100 B\/100 B 100 B\/s in 1\.00 s\n$/);
});

Deno.test("ProgressBar.abort() clears the line and reports nothing", () => {
  const out = new StringWriter({ isTTY: true });
  const bar = new ProgressBar(out, { label: "x" });
  bar.abort();
  bar.finish();
  assertEquals(out.text, "\r\x1b[2K");
});

Deno.test("ProgressBar.render() shows a whole-byte rate and the time left", () => {
  let now = 0;
  const bar = new ProgressBar(new StringWriter(), {
    label: "f.bin",
    total: 10 * 1024 * 1024,
    now: () => now,
  });
  now = 920;
  bar.update(10);
  assertMatch(bar.render(), / 11 B\/s ETA \d+ d \d+ h$/);
  now = 2000;
  bar.update(5 * 1024 * 1024);
  assertMatch(bar.render(), /50% 5\.0 MiB\/10\.0 MiB 2\.5 MiB\/s ETA 2 s$/);
});
