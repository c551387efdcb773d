import assert from "node:assert/strict";
import {
  checkParamBounds,
  MAX_PARAM_ARRAY_LENGTH,
  MAX_PARAM_MAP_ENTRIES,
  MAX_PARAM_VALUES,
} from "../../src/computer/_param_bounds.ts";

Deno.test("checkParamBounds() refuses long arrays, big maps and too many values, naming where", () => {
  assert.equal(checkParamBounds({ argv: ["ls", "-la"], env: { A: "1" } }), null);
  assert.equal(checkParamBounds({ argv: new Array(MAX_PARAM_ARRAY_LENGTH).fill("x") }), null);
  const cases: [string, unknown, string, RegExp][] = [
    ["1M nils", { argv: new Array(1_000_000).fill(null) }, "argv", /1000000 elements/],
    [
      "nested array",
      { contents: { entries: [{}, { data: new Array(MAX_PARAM_ARRAY_LENGTH + 1) }] } },
      "contents.entries.1.data",
      /4097 elements/,
    ],
    [
      "big env",
      {
        env: Object.fromEntries(
          Array.from({ length: MAX_PARAM_MAP_ENTRIES + 1 }, (_, i) => [i, 1]),
        ),
      },
      "env",
      /4097 entries/,
    ],
    [
      "many values",
      { a: Array.from({ length: 40 }, () => new Array(4000).fill(0)) },
      "",
      new RegExp(`more than ${MAX_PARAM_VALUES} values`),
    ],
  ];
  for (const [name, params, param, message] of cases) {
    const problem = checkParamBounds(params);
    assert.ok(problem !== null, name);
    if (param !== "") assert.equal(problem.param, param, name);
    assert.match(problem.message, message, name);
  }
});

Deno.test("checkParamBounds() refuses a million-element array without walking it", () => {
  const params = { argv: new Array(1_000_000).fill(null) };
  const started = performance.now();
  for (let i = 0; i < 1000; i++) checkParamBounds(params);
  console.log(`1,000 checks of a 1M-element argv: ${(performance.now() - started).toFixed(1)} ms`);
  assert.ok(checkParamBounds(params) !== null);
});
