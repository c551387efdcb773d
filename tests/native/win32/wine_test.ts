/**
 * The Windows shim (`native/src/win32/`, cross-compiled to opendesk.dll) checked by its C test
 * program under Wine + Xvfb: every line the program prints becomes one test step.
 */

import assert from "node:assert/strict";
import { runWineTests, skipWine } from "./_wine.ts";

Deno.test({
  name: "win32 shim under Wine: capture, input, windows, clipboard, jobs, accessibility",
  ignore: skipWine,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const run = await runWineTests();
    for (const line of run.diagnostics) console.log(`  # ${line}`);
    for (const result of run.results) {
      await t.step(`${result.number} ${result.text.slice(0, 150)}`, () => {
        assert(result.ok, `not ok ${result.number} - ${result.text}`);
      });
    }
    assert(
      run.planned !== null,
      `the test program ended before its plan line (exit ${run.exitCode}):\n${run.stderr}`,
    );
    assert.equal(run.results.length, run.planned, "results printed vs the plan");
    assert(run.results.length >= 60, `only ${run.results.length} checks ran`);
    assert.equal(run.exitCode, 0, `exit code (stderr: ${run.stderr.slice(0, 2000)})`);
  },
});
