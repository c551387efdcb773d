import { strictEqual } from "node:assert/strict";
import { dumpReferenceJson } from "../../src/auth/_reference_json.ts";

const CASES: { name: string; value: unknown; expected: string }[] = [
  { name: "an empty array", value: [], expected: "[]" },
  { name: "an empty object inside an array", value: [{}], expected: "[\n  {}\n]" },
  {
    name: "sorted keys at every depth",
    value: [{ b: 1, a: { d: [], c: null } }],
    expected: '[\n  {\n    "a": {\n      "c": null,\n      "d": []\n    },\n    "b": 1\n  }\n]',
  },
  {
    name: "non-ASCII and control characters escaped like Python's ensure_ascii",
    value: ['é😀\u007f\n"\\'],
    expected: '[\n  "\\u00e9\\ud83d\\ude00\\u007f\\n\\"\\\\"\n]',
  },
  {
    name: "floats and booleans",
    value: [1700000000.25, true, false, 0],
    expected: "[\n  1700000000.25,\n  true,\n  false,\n  0\n]",
  },
];

for (const { name, value, expected } of CASES) {
  Deno.test(`dumpReferenceJson() writes ${name}`, () => {
    strictEqual(dumpReferenceJson(value), expected);
  });
}
