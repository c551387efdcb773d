import assert from "node:assert/strict";
import { DEFAULT_LIMITS, resolveLimits } from "../../src/protocol/mod.ts";

Deno.test("DEFAULT_LIMITS caps frames at 256 MiB + 64 KiB and is frozen", () => {
  assert.equal(DEFAULT_LIMITS.maxFrameBytes, 256 * 1024 * 1024 + 64 * 1024);
  assert.equal(DEFAULT_LIMITS.maxDepth, 128);
  assert.ok(Object.isFrozen(DEFAULT_LIMITS));
});

Deno.test("resolveLimits() fills overrides from the defaults", () => {
  assert.equal(resolveLimits(), DEFAULT_LIMITS);
  const limits = resolveLimits({ maxFrameBytes: 1024 });
  assert.equal(limits.maxFrameBytes, 1024);
  assert.equal(limits.maxStringBytes, DEFAULT_LIMITS.maxStringBytes);
  assert.ok(Object.isFrozen(limits));
});

Deno.test("resolveLimits() rejects limits that are not positive integers", () => {
  for (const bad of [0, -1, 1.5, NaN, Infinity]) {
    assert.throws(
      () => resolveLimits({ maxArrayLength: bad }),
      (e: unknown) => e instanceof RangeError && /Invalid limit 'maxArrayLength'/.test(e.message),
    );
  }
});
