/**
 * Protected paths end to end: a live server, a real controller over a
 * loopback WebSocket; reading the serving terminal or opendesk's identity key
 * needs an approval at the terminal in every mode, and the audit log says so.
 */

import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { PermissionDeniedError } from "../../src/protocol/errors.ts";
import { startServer } from "./_server_fixture.ts";
import { ScriptedPrompter } from "./_scripted_prompter.ts";

Deno.test("OpendeskServer refuses /proc/self/fd/0 and <home>/identity.key without approval", async () => {
  for (const approve of ["auto", "observe"] as const) {
    await using fx = await startServer({ approve, prompter: new ScriptedPrompter(false) });
    const session = await fx.addController("alice").connect({ autoReconnect: false });
    try {
      for (const path of ["/proc/self/fd/0", `${fx.home}/identity.key`]) {
        const error = await assertRejects(
          () => session.computer.readFile(path),
          PermissionDeniedError,
        );
        assertMatch(error.message, /is protected .*needs an approval at the serving terminal/);
      }
      assertEquals(fx.computer.actions.filter((a) => a.method === "fs.read").length, 0);
    } finally {
      await session.close();
    }
    await fx.server.flushAudit();
    const consent = (await fx.auditLines()).map((l) => JSON.parse(l)).filter((r) =>
      r.type === "consent"
    );
    assertEquals(
      consent.map((r) => `${r.method}:${r.outcome}:${r.protected_path}`),
      [
        "fs.read:denied:/proc/self/fd/0",
        `fs.read:denied:${fx.home}/identity.key`,
      ],
      approve,
    );
  }
});

Deno.test("OpendeskServer asks at the terminal before an observation read of a protected path", async () => {
  const prompter = new ScriptedPrompter();
  await using fx = await startServer({ approve: "console", prompter });
  const session = await fx.addController("alice").connect({ autoReconnect: false });
  try {
    const read = session.computer.readFile(`${fx.home}/identity.key`);
    const question = await prompter.nextQuestion();
    assertMatch(question, /alice wants to read file: .*identity\.key\./);
    assertMatch(question, /why asked: .* is protected \(opendesk's home/);
    prompter.answer("n");
    await assertRejects(() => read, PermissionDeniedError);
    // An ordinary observation read is not asked.
    await session.computer.readFile("/etc/hostname").catch(() => {});
    assertEquals(prompter.questions.length, 1);
  } finally {
    await session.close();
  }
  await fx.server.flushAudit();
  const consent = (await fx.auditLines()).map((l) => JSON.parse(l)).filter((r) =>
    r.type === "consent"
  );
  assertEquals(consent.length, 1);
  assertEquals(consent[0].decided_by, "prompt");
  assert(String(consent[0].protected_why).includes("identity key"));
});
