import { assertEquals, assertThrows } from "./_assert.ts";
import { PreAuthGate } from "../../src/remote/_preauth_gate.ts";

Deno.test("PreAuthGate admits up to the per-source and total limits and frees slots on leave", () => {
  const gate = new PreAuthGate({ total: 3, perSource: 2 });
  assertEquals(gate.enter("a"), null);
  assertEquals(gate.enter("a"), null);
  assertEquals(gate.enter("a"), "too_many_from_source");
  assertEquals(gate.enter("b"), null);
  assertEquals(gate.enter("c"), "too_many_unauthenticated");
  assertEquals(gate.total, 3);
  gate.leave("a");
  assertEquals(gate.enter("c"), null);
  gate.leave("nobody");
  assertEquals(gate.total, 3);
  assertThrows(() => new PreAuthGate({ total: 0, perSource: 1 }), RangeError);
});
