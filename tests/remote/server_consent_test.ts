/**
 * Consent (H8) end to end: a live server with a scripted prompter, a real
 * controller over a loopback WebSocket, and the FakeComputer's action log.
 */

import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { setClipboardText, typeText } from "../../src/computer/client/helpers.ts";
import { PermissionDeniedError, TimeoutError } from "../../src/protocol/errors.ts";
import { startServer } from "./_server_fixture.ts";
import { ScriptedPrompter } from "./_scripted_prompter.ts";

function typed(actions: { method: string }[]): number {
  return actions.filter((a) => a.method === "input.text").length;
}

Deno.test("OpendeskServer console approval: y allows once, a for the session, n denies", async () => {
  const prompter = new ScriptedPrompter();
  await using fx = await startServer({ approve: "console", prompter });
  const session = await fx.addController("alice").connect({ autoReconnect: false });
  try {
    const first = setClipboardText(session.computer, "one");
    assertEquals(
      await prompter.nextQuestion(),
      "\n[opendesk] alice wants to write to the clipboard.\n" +
        "  text (text/plain;charset=utf-8): 'one'\nAllow? [y/a/t/N] ",
    );
    prompter.answer("y");
    await first;
    const second = setClipboardText(session.computer, "two");
    await prompter.nextQuestion();
    prompter.answer("a");
    await second;
    await setClipboardText(session.computer, "three");
    assertEquals(prompter.questions.length, 2, "'a' remembers the method for the session");
    await session.computer.displays();
    assertEquals(prompter.questions.length, 2, "observation methods are not gated");

    const denied = typeText(session.computer, "hi");
    assertMatch(await prompter.nextQuestion(), /alice wants to type 2 chars/);
    prompter.answer("n");
    const error = await assertRejects(() => denied, PermissionDeniedError);
    assertMatch(error.message, /^alice → type 2 chars.*: denied by the local user$/);
    assertEquals(typed(fx.computer.actions), 0);
  } finally {
    await session.close();
  }
  const calls = (await fx.auditLines()).map((l) => JSON.parse(l)).filter((r) => r.type === "call");
  assertEquals(calls.map((r) => `${r.method}:${r.outcome}:${r.error_code ?? ""}`), [
    "clipboard.write:ok:",
    "clipboard.write:ok:",
    "clipboard.write:ok:",
    "display.displays:ok:",
    "input.text:error:permission_denied",
  ]);
});

Deno.test("OpendeskServer without a terminal observes only, and says so at start", async () => {
  await using fx = await startServer({ approve: undefined, prompter: new ScriptedPrompter(false) });
  const notice = fx.events.find((e) => e.type === "notice");
  assertMatch(notice && "message" in notice ? notice.message : "", /no terminal/);
  const session = await fx.addController("alice").connect({ autoReconnect: false });
  try {
    assertEquals((await session.computer.displays()).length, 1);
    const error = await assertRejects(
      () => setClipboardText(session.computer, "x"),
      PermissionDeniedError,
    );
    assertEquals(
      error.message,
      "alice → write to the clipboard: no terminal for interactive approval (run serve with --approve auto to allow)",
    );
  } finally {
    await session.close();
  }
});

Deno.test("OpendeskServer holds injected input while an approval prompt is open", async () => {
  const prompter = new ScriptedPrompter();
  await using fx = await startServer({ approve: "console", prompter });
  const session = await fx.addController("alice").connect({ autoReconnect: false });
  try {
    const approve = typeText(session.computer, "a");
    await prompter.nextQuestion();
    prompter.answer("a");
    await approve;
    assertEquals(typed(fx.computer.actions), 1);

    const gated = setClipboardText(session.computer, "secret");
    await prompter.nextQuestion();
    // The controller tries to answer its own prompt by typing.
    const sneaky = typeText(session.computer, "y\n");
    // A later call's answer: the server has received the typing and started on it by then, so
    // ungated typing would have been recorded.
    assertEquals((await session.computer.displays()).length, 1);
    assertEquals(typed(fx.computer.actions), 1, "input waits while the prompt is open");
    prompter.answer("n");
    await assertRejects(() => gated, PermissionDeniedError);
    await sneaky;
    assertEquals(typed(fx.computer.actions), 2, "then it runs");
  } finally {
    await session.close();
  }
});

Deno.test("OpendeskServer withdraws a prompt when the controller gives up on the call", async () => {
  const prompter = new ScriptedPrompter();
  await using fx = await startServer({ approve: "console", prompter });
  const session = await fx.addController("alice").connect({ autoReconnect: false });
  try {
    const call = session.computer.clipboardWrite(
      { entries: [{ mime_type: "text/plain;charset=utf-8", data: new TextEncoder().encode("x") }] },
      { timeoutMs: 150 },
    );
    await prompter.nextQuestion();
    await assertRejects(() => call, TimeoutError);
    const deadline = Date.now() + 10_000;
    while (prompter.open) {
      if (Date.now() > deadline) throw new Error("The prompt was not withdrawn within 10 s");
      await new Promise((r) => setTimeout(r, 10));
    }
    assertMatch(prompter.notices.at(-1) ?? "", /withdrawn by alice/);
    assert(fx.server.policy.pendingPrompts === 0);
  } finally {
    await session.close();
  }
});

Deno.test("OpendeskServer audits display streams: start, end and frames", async () => {
  await using fx = await startServer();
  const session = await fx.addController("alice").connect({ autoReconnect: false });
  let frames = 0;
  for await (const _frame of session.computer.subscribeDisplay({ fps: 30 })) {
    if (++frames === 3) break;
  }
  await session.close();
  await fx.waitFor("session_closed");
  const lines = await fx.auditLines();
  const streams = lines.map((l) => JSON.parse(l)).filter((r) => r.type === "stream");
  assertEquals(streams.map((r) => r.event), ["start", "end"]);
  assert(streams[1].frames >= 3, `frames ${streams[1].frames}`);
  for (const line of lines) {
    const keys = Object.keys(JSON.parse(line));
    assertEquals(keys, [...keys].sort(), "keys sorted");
    assert(!/[^\x20-\x7e]/.test(line), "ASCII only");
    assert(line.includes('", "') || line.includes(", "), "Python separators");
    assert(!/":"|","/.test(line.replaceAll('\\"', "")), "no compact separators");
  }
  assertEquals(
    lines.map((l) => JSON.parse(l).type).filter((t) => t.startsWith("session.")),
    ["session.opened", "session.closed"],
  );
});
