import { parseLine, parseValue, ReplArgumentError } from "../../../src/cli/repl/repl_args.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

const values: Array<[string, unknown]> = [
  ["10", 10],
  ["-3.5", -3.5],
  ["1e3", 1000],
  ["true", true],
  ["false", false],
  ["null", null],
  ["[1,2]", [1, 2]],
  [`{"a":1}`, { a: 1 }],
  ["hello", "hello"],
  ["10px", "10px"],
  ["", ""],
];

for (const [text, expected] of values) {
  Deno.test(`parseValue() reads '${text}' as ${JSON.stringify(expected)}`, () => {
    assertEquals(parseValue(text, "p"), expected);
  });
}

Deno.test("parseValue() names the parameter when JSON is invalid", () => {
  assertThrows(
    () => parseValue("{bad", "event"),
    ReplArgumentError,
    "Value of 'event' is not valid JSON",
  );
});

Deno.test("parseLine() builds nested params from dotted names", () => {
  const parsed = parseLine("input.pointer action=move point.x=10 point.y=20");
  assertEquals(parsed.command, "input.pointer");
  assertEquals(parsed.params, { action: "move", point: { x: 10, y: 20 } });
});

Deno.test("parseLine() keeps quoted values as strings", () => {
  assertEquals(parseLine(`fs.write path="123" data='true'`).params, { path: "123", data: "true" });
});

Deno.test("parseLine() merges a JSON object with key=value words (words win)", () => {
  const parsed = parseLine(`m {"a": 1, "p": {"x": 1, "y": 2}} a=2 p.y=3`);
  assertEquals(parsed.params, { a: 2, p: { x: 1, y: 3 } });
});

Deno.test("parseLine() separates positionals and flags", () => {
  const parsed = parseLine("display.subscribe fps=5 --out /tmp/f --frames=3 --raw extra", {
    valueFlags: ["out"],
  });
  assertEquals(parsed.flags, { out: "/tmp/f", frames: "3", raw: true });
  assertEquals(parsed.positionals.map((t) => t.text), ["extra"]);
  assertEquals(parsed.params, { fps: 5 });
});

Deno.test("parseLine() rejects a name given twice", () => {
  assertThrows(() => parseLine("m a=1 a=2"), ReplArgumentError, "'a' is given twice");
});

Deno.test("parseLine() rejects a value and a map under one name", () => {
  assertThrows(() => parseLine("m p=1 p.x=2"), ReplArgumentError, "'p' is set twice");
});

Deno.test("parseLine() rejects malformed dotted names", () => {
  assertThrows(() => parseLine("m p..x=1"), ReplArgumentError, "malformed");
});

Deno.test("parseLine() keeps a JSON array word as a positional", () => {
  assertEquals(parseLine(`m ["ls", "-l"]`).positionals.map((t) => t.text), [`["ls", "-l"]`]);
});

Deno.test("parseLine() of a blank line has no command", () => {
  assertEquals(parseLine("   ").command, "");
});
