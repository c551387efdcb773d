import { assertEquals } from "./_assert.ts";
import {
  RefusalDigest,
  type RefusalSummary,
  summaryLines,
} from "../../src/remote/_refusal_digest.ts";

Deno.test("RefusalDigest reports the first refusals per source and summarises the rest per window", () => {
  const summaries: RefusalSummary[] = [];
  const digest = new RefusalDigest({
    windowMs: 60_000,
    detailedPerSource: 3,
    detailedTotal: 5,
    summarizedSources: 2,
    onSummary: (s) => summaries.push(s),
  });
  const detailed: string[] = [];
  const record = (source: string, reason: string): void => {
    if (digest.record(source, reason)) detailed.push(source);
  };
  for (let i = 0; i < 412; i++) record("10.0.0.7", i % 2 ? "auth_failed: timeout" : "deadline");
  for (let i = 0; i < 4; i++) record("10.0.0.8", "deadline");
  record("10.0.0.9", "deadline");
  record("10.0.0.10", "deadline");
  // Three from .7, then two from .8 exhaust the five detailed lines of the window.
  assertEquals(detailed, ["10.0.0.7", "10.0.0.7", "10.0.0.7", "10.0.0.8", "10.0.0.8"]);
  digest.flush();
  assertEquals(summaries.length, 1);
  const [summary] = summaries;
  assertEquals(summary!.sources.map((s) => [s.source, s.count]), [["10.0.0.7", 409], [
    "10.0.0.8",
    2,
  ]]);
  assertEquals([summary!.otherCount, summary!.otherSources], [2, 2]);
  assertEquals(summaryLines(summary!), [
    "409 refused connections from 10.0.0.7 in the last minute (auth_failed: timeout: 205, deadline: 204)",
    "2 refused connections from 10.0.0.8 in the last minute (deadline: 2)",
    "2 refused connections from 2 other addresses in the last minute",
  ]);
  // A new window reports one by one again, and an empty window reports nothing.
  assertEquals(digest.record("10.0.0.7", "deadline"), true);
  digest.flush();
  digest.close();
  assertEquals(summaries.length, 1);
});
