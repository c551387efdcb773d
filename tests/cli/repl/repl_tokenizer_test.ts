import { quoteWord, ReplSyntaxError, tokenize } from "../../../src/cli/repl/repl_tokenizer.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

const cases: Array<{ name: string; input: string; expected: string[] }> = [
  { name: "splits on whitespace", input: "  a  b\tc ", expected: ["a", "b", "c"] },
  {
    name: "double quotes keep spaces",
    input: `type "hello world"`,
    expected: ["type", "hello world"],
  },
  { name: "single quotes are literal", input: `x 'a\\nb'`, expected: ["x", "a\\nb"] },
  { name: "double-quote escapes", input: `x "a\\nb\\"c"`, expected: ["x", 'a\nb"c'] },
  { name: "quotes inside a word", input: `text="a b"`, expected: ["text=a b"] },
  { name: "backslash escapes a space", input: "ls my\\ dir", expected: ["ls", "my dir"] },
  {
    name: "JSON object with spaces",
    input: `m {"a": 1, "b": "x y"}`,
    expected: ["m", `{"a": 1, "b": "x y"}`],
  },
  {
    name: "JSON value after key=",
    input: `m argv=["ls", "-l"]`,
    expected: ["m", `argv=["ls", "-l"]`],
  },
  { name: "empty quoted word", input: `x ""`, expected: ["x", ""] },
  { name: "unicode", input: "type 日本語 ✓", expected: ["type", "日本語", "✓"] },
];

for (const c of cases) {
  Deno.test(`tokenize() ${c.name}`, () => {
    assertEquals(tokenize(c.input).map((t) => t.text), c.expected);
  });
}

Deno.test("tokenize() records offsets and where quoting starts", () => {
  const [a, b] = tokenize(`ab x="1"`);
  assertEquals([a!.start, a!.end, a!.quotedFrom], [0, 2, -1]);
  assertEquals([b!.start, b!.end, b!.quotedFrom, b!.text], [3, 8, 2, "x=1"]);
});

Deno.test("tokenize() rejects an unterminated quote with its column", () => {
  const error = assertThrows(() => tokenize(`type "abc`), ReplSyntaxError, "column 6");
  assertEquals((error as ReplSyntaxError).column, 5);
});

Deno.test("tokenize() rejects unbalanced JSON brackets", () => {
  assertThrows(() => tokenize(`m {"a": 1`), ReplSyntaxError, "Unbalanced brackets");
});

Deno.test("tokenize() in lenient mode accepts an unfinished word", () => {
  assertEquals(tokenize(`type "abc`, { lenient: true }).map((t) => t.text), ["type", "abc"]);
});

Deno.test("quoteWord() round-trips through tokenize()", () => {
  for (
    const word of ["plain", "with space", 'q"uote', "back\\slash", "", "{json}", "line\nbreak"]
  ) {
    assertEquals(tokenize(`x ${quoteWord(word)}`)[1]?.text ?? "", word);
  }
});
