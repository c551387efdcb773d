import { splitAfterTabs } from "../../../src/cli/repl/_tab_split_input.ts";
import { assertEquals } from "../_util/assert.ts";

Deno.test("splitAfterTabs() ends a piece after every Tab", () => {
  const cases: [string, string[]][] = [
    ['sh echo "[\tx"', ['sh echo "[\t', 'x"']],
    ["\t\t", ["\t", "\t"]],
    ["fs.li\t", ["fs.li\t"]],
    ["plain", ["plain"]],
    ["", []],
  ];
  for (const [input, expected] of cases) assertEquals(splitAfterTabs(input), expected, input);
});
