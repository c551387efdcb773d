import { describeEvictReason, isFinalEviction } from "../../../src/cli/repl/evict_reason.ts";
import { assertEquals } from "../_util/assert.ts";

Deno.test("describeEvictReason() words each reason and escapes unknown ones", () => {
  const cases: [string, string][] = [
    ["admin_disconnect", "the person at that machine ended it (`opendesk disconnect` there)"],
    ["unpaired", "that machine no longer trusts this controller (it was unpaired there)"],
    ["replaced", "another session of this controller (same identity) took over"],
    ["server_shutdown", "the opendesk server there is shutting down"],
    ["", "no reason given"],
    ["quota\x1b[2J", "reason given: quota\\x1b[2J"],
  ];
  for (const [reason, text] of cases) assertEquals(describeEvictReason(reason), text, reason);
  assertEquals(isFinalEviction("server_shutdown"), false);
  assertEquals(isFinalEviction("replaced"), true);
});
