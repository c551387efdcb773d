import { assertEquals } from "./_assert.ts";
import { PyFloat, pythonFloat, toPythonJson } from "../../src/remote/_python_json.ts";

// Expected strings were produced by CPython 3.11 `repr(float)` / `json.dumps(..., sort_keys=True)`.
const FLOATS: { input: number; expected: string }[] = [
  { input: 1700000000.123456, expected: "1700000000.123456" },
  { input: 0.5, expected: "0.5" },
  { input: 1, expected: "1.0" },
  { input: 1e-5, expected: "1e-05" },
  { input: 0.0001, expected: "0.0001" },
  { input: 1e16, expected: "1e+16" },
  { input: 1e15, expected: "1000000000000000.0" },
  { input: 1.5e16, expected: "1.5e+16" },
  { input: 123.456, expected: "123.456" },
  { input: -0, expected: "-0.0" },
  { input: 1e100, expected: "1e+100" },
  { input: 2.5e-7, expected: "2.5e-07" },
  { input: 0.1 + 0.2, expected: "0.30000000000000004" },
  { input: 1732170000.1234567, expected: "1732170000.1234567" },
];

Deno.test("pythonFloat() matches Python's repr(float)", () => {
  for (const { input, expected } of FLOATS) {
    assertEquals(pythonFloat(input), expected, String(input));
  }
});

Deno.test("toPythonJson() matches json.dumps(sort_keys=True)", () => {
  const value = {
    b: 1,
    a: { z: [1, 'é€😀\x7f\x01\n"\\'], y: null, x: true },
    Z: new PyFloat(2),
  };
  assertEquals(
    toPythonJson(value),
    '{"Z": 2.0, "a": {"x": true, "y": null, "z": [1, "\\u00e9\\u20ac\\ud83d\\ude00\\u007f\\u0001\\n\\"\\\\"]}, "b": 1}',
  );
});

Deno.test("toPythonJson() writes empty containers and skips undefined keys", () => {
  assertEquals(toPythonJson({ a: [], b: {}, c: undefined }), '{"a": [], "b": {}}');
});
