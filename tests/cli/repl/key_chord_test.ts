import { canonicalKey, parseKeyChord } from "../../../src/cli/repl/key_chord.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

const chords: Array<[string, string, string[]]> = [
  ["ctrl+s", "s", ["ctrl"]],
  ["Ctrl+Shift+T", "t", ["ctrl", "shift"]],
  ["cmd-shift-p", "p", ["meta", "shift"]],
  ["Return", "return", []],
  ["enter", "return", []],
  ["esc", "escape", []],
  ["alt+F4", "f4", ["alt"]],
  ["control+option+del", "delete", ["ctrl", "alt"]],
  ["super+PgDn", "pagedown", ["meta"]],
  ["A", "a", []],
  ["-", "-", []],
  ["+", "+", []],
  ["ctrl++", "+", ["ctrl"]],
  ["ctrl+-", "-", ["ctrl"]],
  ["capslock", "caps_lock", []],
];

for (const [text, keysym, modifiers] of chords) {
  Deno.test(`parseKeyChord() reads '${text}'`, () => {
    assertEquals(parseKeyChord(text), { keysym, modifiers });
  });
}

const bad: Array<[string, string]> = [
  ["", "Missing key"],
  ["ctrl+", "empty part"],
  ["hyper+a", "'hyper' is not a modifier"],
  ["ctrl+banana", "Unknown key 'banana'"],
];
for (const [text, message] of bad) {
  Deno.test(`parseKeyChord() rejects '${text}'`, () => {
    assertThrows(() => parseKeyChord(text), SyntaxError, message);
  });
}

Deno.test("canonicalKey() resolves aliases case-insensitively", () => {
  assertEquals(["ArrowUp", "WIN", "Spacebar", "ins"].map(canonicalKey), [
    "up",
    "meta",
    "space",
    "insert",
  ]);
});
