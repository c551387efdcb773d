/**
 * The "waiting for approval" notices: an opendesk controller that opts in
 * through its HELLO hears when its call waits for a prompt and how it was
 * answered; a client that does not opt in (the reference's) never gets one.
 */

import { assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { typeText } from "../../src/computer/client/helpers.ts";
import { PermissionDeniedError } from "../../src/protocol/errors.ts";
import type { Peer } from "../../src/protocol/peer.ts";
import {
  CONSENT_PUSH_TOPIC,
  consentNotifier,
  formatConsentNotice,
  parseConsentNotice,
} from "../../src/remote/consent_notice.ts";
import { startServer } from "./_server_fixture.ts";
import { ScriptedPrompter } from "./_scripted_prompter.ts";

Deno.test("OpendeskServer tells an opted-in controller that its call waits, then that it was denied", async () => {
  const prompter = new ScriptedPrompter();
  await using fx = await startServer({ approve: "console", prompter });
  const session = await fx.addController("alice").connect({ autoReconnect: false });
  const notices: string[] = [];
  let waiting!: () => void;
  const waited = new Promise<void>((r) => (waiting = r));
  using _sub = session.onPush((topic, payload) => {
    if (topic !== CONSENT_PUSH_TOPIC) return;
    const notice = parseConsentNotice(payload)!;
    notices.push(formatConsentNotice(notice, "lab"));
    if (notice.state === "waiting") waiting();
  });
  try {
    const call = typeText(session.computer, "hi");
    await prompter.nextQuestion();
    await waited;
    assertEquals(notices, ["waiting for approval on lab… (type 2 chars: 'hi')"]);
    prompter.answer("n");
    await assertRejects(() => call, PermissionDeniedError);
    // The denial push was sent before the answer, on the same ordered connection.
    assertEquals(notices, [
      "waiting for approval on lab… (type 2 chars: 'hi')",
      "denied on lab: type 2 chars: 'hi'",
    ]);
  } finally {
    await session.close();
  }
});

Deno.test("consentNotifier() sends nothing to a client that did not opt in", () => {
  const pushes: string[] = [];
  const fakePeer = (capabilities: Record<string, unknown>) =>
    ({
      remoteHello: { capabilities },
      isClosed: false,
      push: (topic: string) => {
        pushes.push(topic);
        return Promise.resolve();
      },
    }) as unknown as Peer;
  assertEquals(consentNotifier(fakePeer({}), "input.text", "type"), undefined);
  consentNotifier(fakePeer({ "opendesk.consent_notices": true }), "input.text", "type")!("waiting");
  assertEquals(pushes, [CONSENT_PUSH_TOPIC]);
});

Deno.test("formatConsentNotice() escapes what the server sent", () => {
  const notice = parseConsentNotice({
    state: "waiting",
    method: "fs.write",
    summary: "write file: /tmp/\x1b[2Jx",
    machine: "box\r\x1b]0;pwned\x07",
  })!;
  assertMatch(
    formatConsentNotice(notice),
    /^waiting for approval on box\\x0d\\x1b\]0;pwned\\x07… \(write file: \/tmp\/\\x1b\[2Jx\)$/,
  );
  assertEquals(parseConsentNotice({ state: "maybe" }), null);
});
