import { assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { PermissionDeniedError } from "../../src/protocol/errors.ts";
import { ConsentPolicy, type PolicyRequest } from "../../src/remote/policy.ts";
import { defaultProtectedPaths } from "../../src/remote/protected_paths.ts";
import { ScriptedPrompter } from "./_scripted_prompter.ts";
import { policyRequest } from "./_policy_request.ts";

/** A part of the upload `upload` of `path` (1000 bytes, parts of 400). */
function part(path: string, offset: number, upload = "u1", size = 1000): PolicyRequest {
  return policyRequest("fs.write", {
    summary: `write file: ${path}`,
    params: { path, data: new Uint8Array(), offset, size, upload },
  });
}

Deno.test("one 'y' approves every part of that upload, even parts queued behind the prompt", async () => {
  const prompter = new ScriptedPrompter();
  const policy = new ConsentPolicy("console", { prompter });
  const calls = [0, 400, 800].map((offset) => policy.check(part("/tmp/big.bin", offset)));
  await prompter.nextQuestion();
  prompter.answer("y");
  await Promise.all(calls);
  assertEquals(prompter.questions.length, 1);
  assertMatch(prompter.questions[0]!, /write file: \/tmp\/big\.bin/);
});

Deno.test("an approved upload covers neither another upload, another path, nor a part twice", async () => {
  const prompter = new ScriptedPrompter(true, ["y", "n", "n", "n", "n"]);
  const policy = new ConsentPolicy("console", { prompter });
  await policy.check(part("/tmp/a.bin", 0));
  await policy.check(part("/tmp/a.bin", 400));
  for (
    const other of [
      part("/tmp/a.bin", 400), // the same part again
      part("/tmp/b.bin", 800), // another path under the same upload name
      part("/tmp/a.bin", 800, "u2"), // another upload
      part("/tmp/a.bin", 800, "u1", 2000), // another size
    ]
  ) {
    await assertRejects(() => policy.check(other), PermissionDeniedError);
  }
  assertEquals(prompter.questions.length, 5);
});

Deno.test("a whole fs.write after an approved part still asks, and a denied first part approves nothing", async () => {
  const prompter = new ScriptedPrompter(true, ["n", "n", "y", "n"]);
  const policy = new ConsentPolicy("console", { prompter });
  await assertRejects(() => policy.check(part("/tmp/c.bin", 0)), PermissionDeniedError);
  await assertRejects(() => policy.check(part("/tmp/c.bin", 400)), PermissionDeniedError);
  await policy.check(part("/tmp/c.bin", 0, "u3"));
  await assertRejects(
    () =>
      policy.check(policyRequest("fs.write", {
        summary: "write file: /tmp/c.bin",
        params: { path: "/tmp/c.bin", data: new Uint8Array() },
      })),
    PermissionDeniedError,
  );
  assertEquals(prompter.questions.length, 4);
});

Deno.test("parts of a protected path are refused where nobody can answer, and asked once at a terminal", async () => {
  const home = Deno.makeTempDirSync();
  try {
    const protectedPaths = defaultProtectedPaths({ home, userHome: "/home/someone" });
    const target = `${home}/trusted_peers.json`;
    const auto = new ConsentPolicy("auto", { protectedPaths });
    for (const offset of [0, 400]) {
      const refused = await assertRejects(
        () => auto.check(part(target, offset)),
        PermissionDeniedError,
      );
      assertMatch(refused.message, /is protected \(opendesk's home.*no terminal is attached/);
    }
    const prompter = new ScriptedPrompter(true, ["y"]);
    const console = new ConsentPolicy("console", { prompter, protectedPaths });
    await Promise.all([0, 400, 800].map((offset) => console.check(part(target, offset))));
    assertEquals(prompter.questions.length, 1);
    assertMatch(prompter.questions[0]!, /why asked: .* is protected/);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});
