import assert from "node:assert/strict";
import { encodeMsgpack, Float64, float64, toNumber } from "../../src/protocol/mod.ts";

Deno.test("float64() wraps a number that still behaves like one", () => {
  const x = float64(50);
  assert.ok(x instanceof Float64);
  assert.equal(x.value, 50);
  assert.equal(+x, 50);
  assert.equal(JSON.stringify({ x }), '{"x":50}');
  assert.equal(toNumber(x) + toNumber(1), 51);
});

Deno.test("Float64 is encoded as float64 for whole, fractional and special values", () => {
  const cases: [number, string][] = [
    [50, "cb4049000000000000"],
    [-0.5, "cbbfe0000000000000"],
    [0, "cb0000000000000000"],
    [Infinity, "cb7ff0000000000000"],
  ];
  for (const [value, hex] of cases) {
    const bytes = encodeMsgpack({ f: float64(value) });
    const tail = Array.from(bytes.subarray(3), (b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(tail, hex, String(value));
  }
});

Deno.test("new Float64() rejects non-numbers", () => {
  assert.throws(() => new Float64("1" as unknown as number), TypeError);
});
