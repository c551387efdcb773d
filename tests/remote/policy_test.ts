import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { CancelledError, PermissionDeniedError } from "../../src/protocol/errors.ts";
import { ConsentPolicy, parseConsentAnswer, type PolicyRequest } from "../../src/remote/policy.ts";
import { ScriptedPrompter } from "./_scripted_prompter.ts";
import { policyRequest } from "./_policy_request.ts";

function req(method: string, overrides: Partial<PolicyRequest> = {}): PolicyRequest {
  return policyRequest(method, {
    summary: method === "fs.write" ? "write file: /tmp/x" : method,
    observation: ["display.capture", "fs.read", "windows.list"].includes(method),
    ...overrides,
  });
}

function tick(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

Deno.test("ConsentPolicy in auto mode allows every method without asking", async () => {
  const prompter = new ScriptedPrompter();
  const policy = new ConsentPolicy("auto", { prompter });
  await policy.check(req("fs.write"));
  await policy.check(req("input.key"));
  assertEquals(prompter.questions, []);
  assertEquals(policy.mode, "auto");
});

Deno.test("ConsentPolicy allows observation methods without asking", async () => {
  const prompter = new ScriptedPrompter();
  const policy = new ConsentPolicy(undefined, { prompter });
  assertEquals(policy.mode, "console");
  await policy.check(req("display.capture"));
  await policy.check(req("fs.read"));
  assertEquals(prompter.questions, []);
});

Deno.test("ConsentPolicy asks with the reference's prompt and honours each answer", async () => {
  const cases: {
    answer: string | null;
    allowed: boolean;
    remembered: "no" | "session" | "timed";
  }[] = [
    { answer: "y", allowed: true, remembered: "no" },
    { answer: " YES ", allowed: true, remembered: "no" },
    { answer: "a", allowed: true, remembered: "session" },
    { answer: "t", allowed: true, remembered: "timed" },
    { answer: "n", allowed: false, remembered: "no" },
    { answer: "", allowed: false, remembered: "no" },
    { answer: null, allowed: false, remembered: "no" },
  ];
  for (const c of cases) {
    let now = 1_000_000;
    const prompter = new ScriptedPrompter(true, [c.answer, "n", "n", "n"]);
    const policy = new ConsentPolicy("console", { prompter, now: () => now });
    if (c.allowed) await policy.check(req("fs.write"));
    else {
      const error = await assertRejects(() => policy.check(req("fs.write")), PermissionDeniedError);
      assertEquals(error.message, "laptop → write file: /tmp/x: denied by the local user");
    }
    assertEquals(prompter.questions, [
      "\n[opendesk] laptop wants to write file: /tmp/x. Allow? [y/a/t/N] ",
    ]);
    // Same session again: no question when remembered.
    const askedAgain = async (p: ConsentPolicy, r: PolicyRequest): Promise<boolean> => {
      const before = prompter.questions.length;
      await p.check(r).catch(() => {});
      return prompter.questions.length > before;
    };
    assertEquals(
      await askedAgain(policy, req("fs.write")) ? "asked" : "silent",
      c.remembered === "no" ? "asked" : "silent",
      `${c.answer}: same session`,
    );
    assertEquals(
      await askedAgain(policy, req("fs.write", { sessionId: "s2" })) ? "asked" : "silent",
      c.remembered === "timed" ? "silent" : "asked",
      `${c.answer}: other session`,
    );
    now += 10 * 60_000 + 1;
    assertEquals(
      await askedAgain(policy, req("fs.write", { sessionId: "s2" })),
      true,
      `${c.answer}: after 10 minutes`,
    );
  }
});

Deno.test("ConsentPolicy without a terminal defaults to observe and says why", async () => {
  const policy = new ConsentPolicy(undefined, { prompter: new ScriptedPrompter(false) });
  assertEquals(policy.mode, "observe");
  assertMatch(policy.notice, /no terminal/);
  await policy.check(req("windows.list"));
  const error = await assertRejects(() => policy.check(req("fs.write")), PermissionDeniedError);
  assertEquals(
    error.message,
    "laptop → write file: /tmp/x: no terminal for interactive approval (run serve with --approve auto to allow)",
  );
  const explicit = new ConsentPolicy("observe", { prompter: new ScriptedPrompter(true) });
  const denied = await assertRejects(() => explicit.check(req("fs.write")), PermissionDeniedError);
  assertMatch(denied.message, /--approve observe/);
});

Deno.test("ConsentPolicy serialises prompts: the second waits for the first answer", async () => {
  const prompter = new ScriptedPrompter();
  const policy = new ConsentPolicy("console", { prompter });
  const first = policy.check(req("fs.write"));
  const second = policy.check(req("process.shell", { summary: "run shell: 'ls'" }));
  assertMatch(await prompter.nextQuestion(), /write file/);
  await tick();
  assertEquals(prompter.questions.length, 1);
  assertEquals(policy.pendingPrompts, 2);
  prompter.answer("y");
  await first;
  assertMatch(await prompter.nextQuestion(), /run shell: 'ls'/);
  prompter.answer("n");
  await assertRejects(() => second, PermissionDeniedError);
  assertEquals(policy.pendingPrompts, 0);
});

Deno.test("ConsentPolicy answers queued duplicates from an 'a' without asking again", async () => {
  const prompter = new ScriptedPrompter();
  const policy = new ConsentPolicy("console", { prompter });
  const calls = [
    policy.check(req("fs.write")),
    policy.check(req("fs.write")),
    policy.check(req("fs.write")),
  ];
  await prompter.nextQuestion();
  prompter.answer("a");
  await Promise.all(calls);
  assertEquals(prompter.questions.length, 1);
});

Deno.test("ConsentPolicy holds injected input while a prompt is open", async () => {
  const prompter = new ScriptedPrompter();
  const policy = new ConsentPolicy("console", { prompter });
  // input.text approved for the session first.
  const approve = policy.check(req("input.text"));
  await prompter.nextQuestion();
  prompter.answer("a");
  await approve;
  const gated = policy.check(req("fs.write"));
  await prompter.nextQuestion();
  let typed = false;
  const input = policy.check(req("input.text")).then(() => (typed = true));
  await tick();
  await tick();
  assertEquals(typed, false, "input waits while the prompt is open");
  prompter.answer("y");
  await gated;
  await input;
  assert(typed);
});

Deno.test("ConsentPolicy withdraws a prompt when the call is cancelled", async () => {
  const prompter = new ScriptedPrompter();
  const policy = new ConsentPolicy("console", { prompter });
  const controller = new AbortController();
  const call = policy.check(req("fs.write"), controller.signal);
  await prompter.nextQuestion();
  controller.abort();
  await assertRejects(() => call, CancelledError);
  assertMatch(prompter.notices.at(-1)!, /withdrawn/);
  assertEquals(policy.pendingPrompts, 0);
});

Deno.test("ConsentPolicy denies a prompt nobody answers in time", async () => {
  const prompter = new ScriptedPrompter();
  const policy = new ConsentPolicy("console", { prompter, promptTimeoutMs: 20 });
  const error = await assertRejects(() => policy.check(req("fs.write")), PermissionDeniedError);
  assertMatch(error.message, /no answer from the local user/);
});

Deno.test("parseConsentAnswer() maps the typed letters", () => {
  const cases = [
    ["y", "once"],
    ["a", "session"],
    ["t", "timed"],
    ["n", "deny"],
    ["", "deny"],
    [null, "deny"],
    ["?", "help"],
    ["x", "unknown"],
    ["yy", "unknown"],
  ] as const;
  for (const [input, expected] of cases) assertEquals(parseConsentAnswer(input), expected);
});
