import { assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { AuditLog } from "../../src/remote/audit_log.ts";
import { followAudit, formatAuditRecord, readAudit } from "../../src/remote/audit_reader.ts";

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("readAudit() filters by peer and keeps the last N", () =>
  withHome(async (home) => {
    const now = new Date(2025, 2, 3, 10, 0, 0).getTime();
    const audit = new AuditLog(home, { now: () => now });
    for (let i = 0; i < 5; i++) {
      audit.call({ key: "aa".repeat(32), name: "alice" }, {
        sessionId: "s",
        method: "fs.stat",
        summary: `stat file: /${i}`,
      });
      audit.call({ key: "bb".repeat(32), name: "bob" }, {
        sessionId: "t",
        method: "fs.stat",
        summary: `stat file: /b${i}`,
      });
    }
    await audit.close();
    await Deno.writeTextFile(`${home}/audit/2025-03-03.jsonl`, "{torn line\n", { append: true });
    const all = await readAudit(home, { date: "2025-03-03" });
    assertEquals(all.length, 10);
    const bob = await readAudit(home, { date: "2025-03-03", peer: "BO", limit: 2 });
    assertEquals(bob.map((r) => r.summary), ["stat file: /b3", "stat file: /b4"]);
    const byFp = await readAudit(home, { date: "2025-03-03", peer: "aaaa" });
    assertEquals(byFp.length, 5);
    assertEquals(await readAudit(home, { date: "2024-01-01" }), []);
    assertMatch(formatAuditRecord(all[0]!), /call\s+alice {2}stat file: \/0 {2}ok/);
  }));

Deno.test("readAudit() rejects a malformed date", () =>
  withHome(async (home) => {
    await assertRejects(() => readAudit(home, { date: "03/03/2025" }), RangeError, "YYYY-MM-DD");
  }));

Deno.test("followAudit() yields records appended after it started", () =>
  withHome(async (home) => {
    const earlier = new AuditLog(home);
    earlier.sessionRejected({ key: null, name: "" }, { remoteAddr: "?", reason: "before" });
    await earlier.close(); // on disk before the follower starts
    const controller = new AbortController();
    const seen: string[] = [];
    // The follower reads the clock, takes the file's size, then reads the clock again in its
    // loop: the second read says the starting point is taken (no sleep guessing when).
    let clockReads = 0;
    let started!: () => void;
    const startedP = new Promise<void>((resolve) => (started = resolve));
    const now = () => {
      if (++clockReads === 2) started();
      return Date.now();
    };
    const following = (async () => {
      for await (
        const record of followAudit(home, { pollMs: 10, signal: controller.signal, now })
      ) {
        seen.push(String(record.reason));
        if (seen.length === 2) controller.abort();
      }
    })();
    await startedP;
    const audit = new AuditLog(home);
    audit.sessionRejected({ key: null, name: "" }, { remoteAddr: "?", reason: "after-1" });
    audit.sessionRejected({ key: null, name: "" }, { remoteAddr: "?", reason: "after-2" });
    await following;
    await audit.close();
    assertEquals(seen, ["after-1", "after-2"]);
  }));
