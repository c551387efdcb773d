import assert from "node:assert/strict";
import { fastParseParams } from "../../../src/computer/methods/_fast_params.ts";
import {
  CaptureParamsSchema,
  EmptyParamsSchema,
  PathParamsSchema,
  ReadFileParamsSchema,
} from "../../../src/computer/methods/params.ts";

const nullProto = Object.assign(Object.create(null), { path: "/tmp" });

/** [label, schema, params, accepted by the fast path]. */
const CASES: [string, unknown, unknown, boolean][] = [
  ["empty: {}", EmptyParamsSchema, {}, true],
  ["empty: unknown keys dropped", EmptyParamsSchema, { extra: 1, more: "x" }, true],
  ["empty: an array", EmptyParamsSchema, [], false],
  ["empty: null", EmptyParamsSchema, null, false],
  ["empty: a string", EmptyParamsSchema, "x", false],
  ["path: a string", PathParamsSchema, { path: "/tmp/a" }, true],
  ["path: extra keys dropped", PathParamsSchema, { path: "/", x: 1 }, true],
  ["path: null prototype", PathParamsSchema, nullProto, true],
  ["path: missing", PathParamsSchema, {}, false],
  ["path: a number", PathParamsSchema, { path: 3 }, false],
  ["path: nil", PathParamsSchema, { path: null }, false],
  ["read: path only", ReadFileParamsSchema, { path: "/f" }, true],
  ["read: range", ReadFileParamsSchema, { length: 10, path: "/f", offset: 0 }, true],
  ["read: offset only", ReadFileParamsSchema, { path: "/f", offset: 5 }, true],
  ["read: negative offset", ReadFileParamsSchema, { path: "/f", offset: -1 }, false],
  ["read: fractional length", ReadFileParamsSchema, { path: "/f", length: 1.5 }, false],
  ["read: NaN length", ReadFileParamsSchema, { path: "/f", length: NaN }, false],
  ["read: string offset", ReadFileParamsSchema, { path: "/f", offset: "1" }, false],
  ["read: nil offset", ReadFileParamsSchema, { path: "/f", offset: null }, false],
  [
    "read: offset present but undefined",
    ReadFileParamsSchema,
    { path: "/f", offset: undefined },
    false,
  ],
  ["read: no path", ReadFileParamsSchema, { offset: 1 }, false],
  ["capture: no fast parser", CaptureParamsSchema, {}, false],
];

for (const [label, schema, params, accepted] of CASES) {
  Deno.test(`fastParseParams() ${label}: ${accepted ? "same result as zod" : "defers to zod"}`, () => {
    const fast = fastParseParams(schema, params);
    if (!accepted) {
      assert.equal(fast, undefined);
      return;
    }
    const zod = (schema as { safeParse(v: unknown): { success: boolean; data?: unknown } })
      .safeParse(params);
    assert.equal(zod.success, true);
    assert.deepEqual(fast, zod.data);
    assert.deepEqual(Object.keys(fast!), Object.keys(zod.data as object));
  });
}
