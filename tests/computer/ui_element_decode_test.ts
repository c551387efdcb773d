import { assertEquals, assertThrows } from "../remote/_assert.ts";
import { z } from "zod";
import { UIElementSchema } from "../../src/computer/types/ui_element.ts";
import { decodeUIElement } from "../../src/computer/types/ui_element_decode.ts";

const leaf = {
  role: "push button",
  name: "OK",
  value: null,
  bounds: { x: 1, y: 2.5, width: 30, height: 40 },
  focused: false,
  enabled: true,
  actions: ["click"],
  children: [],
  metadata: {},
};

/** Inputs of every shape the decoder meets, each decoded both ways. */
const cases: Array<[string, unknown]> = [
  ["a canonical tree", { ...leaf, role: "frame", children: [leaf, { ...leaf, name: "Cancel" }] }],
  ["missing fields (defaults)", { role: "label" }],
  ["0 and 1 as booleans", { ...leaf, focused: 1, enabled: 0 }],
  ["unknown keys", { ...leaf, extra: 5, bounds: { ...leaf.bounds, depth: 3 } }],
  ["a ref", { ...leaf, ref: ":1.5|/org/a11y/atspi/accessible/7" }],
  ["metadata", { ...leaf, metadata: { app: "gedit", truncated: "nodes", n: [1, 2] } }],
  ["a null-prototype object", Object.assign(Object.create(null), leaf)],
  ["a value", { ...leaf, value: "42" }],
  ["a nested coercion", { ...leaf, children: [{ role: "x", enabled: 1 }] }],
];

const invalid: Array<[string, unknown]> = [
  ["no role", { name: "x" }],
  ["a numeric name", { ...leaf, name: 5 }],
  ["a bad rect", { ...leaf, bounds: { x: 1, y: 2, width: "3", height: 4 } }],
  ["an infinite coordinate", { ...leaf, bounds: { ...leaf.bounds, x: Infinity } }],
  ["a bool of 2", { ...leaf, focused: 2 }],
  ["actions not strings", { ...leaf, actions: [1] }],
  ["children not an array", { ...leaf, children: {} }],
  ["metadata an array", { ...leaf, metadata: [] }],
  ["a bad child", { ...leaf, children: [{ role: 7 }] }],
  ["not an object", "tree"],
  ["null", null],
];

Deno.test("decodeUIElement() gives what UIElementSchema.parse gives, key for key", () => {
  for (const [what, input] of cases) {
    const fast = decodeUIElement(input);
    const schema = UIElementSchema.parse(input);
    assertEquals(fast, schema, what);
    assertEquals(JSON.stringify(fast), JSON.stringify(schema), `${what}: key order`);
  }
});

Deno.test("decodeUIElement() rejects what the schema rejects, with the schema's error", () => {
  for (const [what, input] of invalid) {
    const expected: z.ZodError = assertThrows(() => UIElementSchema.parse(input), z.ZodError);
    const got: z.ZodError = assertThrows(() => decodeUIElement(input), z.ZodError);
    assertEquals(got.issues, expected.issues, what);
  }
});

Deno.test("decodeUIElement() copies the input (the result shares no arrays or objects)", () => {
  const input = { ...leaf, children: [{ ...leaf }], metadata: { app: "x" } };
  const out = decodeUIElement(input);
  out.children[0]!.actions.push("press");
  out.metadata.app = "y";
  out.bounds!.x = 99;
  assertEquals(input.children[0]!.actions, ["click"]);
  assertEquals(input.metadata.app, "x");
  assertEquals(input.bounds.x, 1);
});
