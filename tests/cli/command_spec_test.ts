import {
  type CommandSpec,
  integerFlag,
  parseCommandArgs,
  secondsFlag,
  stringFlag,
} from "../../src/cli/command_spec.ts";
import { UsageError } from "../../src/cli/errors.ts";
import { renderHelp } from "../../src/cli/help_text.ts";
import { assertEquals, assertMatch, assertThrows } from "./_util/assert.ts";

const spec: CommandSpec = {
  name: "pair-with",
  summary: "Pair with a machine",
  positionals: [
    { name: "HOST", description: "Host" },
    { name: "CODE", description: "Code" },
  ],
  options: [
    { name: "port", type: "string", valueName: "PORT", description: "Port", defaultText: "8423" },
    { name: "follow", type: "boolean", short: "f", description: "Follow" },
  ],
  examples: ["pair-with 10.0.0.5 123456"],
};

Deno.test("parseCommandArgs() reads flags and positionals", () => {
  const parsed = parseCommandArgs(spec, ["h", "123456", "--port", "9000", "-f"]);
  assertEquals(parsed.positionals, ["h", "123456"]);
  assertEquals(stringFlag(parsed, "port"), "9000");
  assertEquals(parsed.values.follow, true);
});

Deno.test("parseCommandArgs() reports --help before checking anything else", () => {
  assertEquals(parseCommandArgs(spec, ["--bogus", "-h"]).help, true);
});

const usageErrors: Array<[string[], string]> = [
  [["h"], "Missing argument CODE"],
  [["h", "1", "x"], "Unexpected argument 'x'"],
  [["h", "1", "--nope"], "Unknown option '--nope'"],
  [["h", "1", "--port"], "Option '--port' needs a value"],
];
for (const [args, message] of usageErrors) {
  Deno.test(`parseCommandArgs() throws UsageError '${message}'`, () => {
    const error = assertThrows(() => parseCommandArgs(spec, args), UsageError, message);
    assertEquals((error as UsageError).exitCode, 2);
    assertEquals((error as UsageError).command, "pair-with");
  });
}

Deno.test("integerFlag() and secondsFlag() check their values", () => {
  const parsed = parseCommandArgs(spec, ["h", "1", "--port", "70000"]);
  assertThrows(
    () => integerFlag(parsed, "pair-with", "port", { min: 1, max: 65535 }),
    UsageError,
    "must be a whole number from 1 to 65535, got '70000'",
  );
  const seconds = parseCommandArgs(spec, ["h", "1", "--port=-1"]);
  assertThrows(() => secondsFlag(seconds, "pair-with", "port"), UsageError, "number of seconds");
});

Deno.test("renderHelp() lists usage, arguments, options with defaults, and examples", () => {
  const text = renderHelp(spec);
  assertMatch(text, /^Usage: opendesk pair-with HOST CODE \[options\]\n\nPair with a machine\n/);
  assertMatch(text, /\n {2}-f, --follow +Follow\n/);
  assertMatch(text, /--port PORT +Port \(default: 8423\)/);
  assertMatch(text, /-h, --help +Show this help/);
  assertMatch(text, /Examples:\n {2}opendesk pair-with 10\.0\.0\.5 123456\n$/);
});
