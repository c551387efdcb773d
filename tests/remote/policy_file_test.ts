/**
 * `<home>/policy.json`: validation with the line of the problem, rule
 * precedence, protected paths in every mode, and `--approve` overriding.
 */

import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "./_assert.ts";
import { PermissionDeniedError } from "../../src/protocol/errors.ts";
import { ConsentPolicy, type ConsentRecord, type PolicyRequest } from "../../src/remote/policy.ts";
import { loadPolicyFile, parsePolicyText, PolicyFileError } from "../../src/remote/policy_file.ts";
import { defaultProtectedPaths, findProtectedPath } from "../../src/remote/protected_paths.ts";
import { ScriptedPrompter } from "./_scripted_prompter.ts";
import { policyRequest } from "./_policy_request.ts";

function req(
  method: string,
  params: Record<string, unknown> = {},
  observation = false,
): PolicyRequest {
  return policyRequest(method, { observation, params });
}

Deno.test("parsePolicyText() names the line of every problem", () => {
  const cases: { text: string; line: number; says: RegExp }[] = [
    { text: '{\n  "methods": {\n    "fs.*": "allow",\n  }\n}', line: 4, says: /not valid JSON/ },
    {
      text: '{\n  "methods": {\n    "fs.read": "allow",\n    "fs.write": "maybe"\n  }\n}',
      line: 4,
      says: /expected "allow", "ask" or "deny", got "maybe" at "methods"."fs.write"/,
    },
    { text: '{\n  "methods": {},\n  "pathz": []\n}', line: 3, says: /unknown key "pathz"/ },
    {
      text: '{\n  "methods": {\n    "Files": "deny"\n  }\n}',
      line: 3,
      says: /expected a method \("fs.read"\), a family \("fs.\*"\) or "\*"/,
    },
    {
      text:
        '{\n  "paths": [\n    {"path": "/srv", "action": "allow"},\n    {"path": "", "action": "deny"}\n  ]\n}',
      line: 4,
      says: /non-empty path/,
    },
    { text: "[]", line: 1, says: /Expected object, received array/ },
  ];
  for (const { text, line, says } of cases) {
    const error = assertThrows(() => parsePolicyText(text, "/h/policy.json"), PolicyFileError);
    assertEquals(error.line, line, text);
    assertMatch(
      error.message,
      new RegExp(`^Cannot use the policy file "/h/policy.json": line ${line}: `),
    );
    assertMatch(error.message, says);
  }
});

Deno.test("loadPolicyFile() reads <home>/policy.json; no file means no rules", () => {
  const home = Deno.makeTempDirSync();
  try {
    assertEquals(loadPolicyFile(home).path, null);
    Deno.writeTextFileSync(
      `${home}/policy.json`,
      '{"methods": {"input.*": "allow"}, "apps": {"allow": ["gedit"]}}',
    );
    const { rules, path } = loadPolicyFile(home);
    assertEquals(path, `${home}/policy.json`);
    assertEquals(rules.methods, { "input.*": "allow" });
    assertEquals(rules.apps.allow, ["gedit"]);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});

Deno.test("ConsentPolicy applies the most specific rule: path, app list, method, family, *", async () => {
  const rules = parsePolicyText(
    JSON.stringify({
      methods: {
        "*": "deny",
        "fs.*": "ask",
        "fs.stat": "allow",
        "apps.open": "deny",
        "display.capture": "allow",
      },
      paths: [{ path: "/srv/share", action: "allow" }, {
        path: "/srv/share/private",
        action: "deny",
      }],
      apps: { allow: ["gedit"] },
    }),
    "policy.json",
  );
  const prompter = new ScriptedPrompter(true, ["n", "n"]);
  const decisions: ConsentRecord[] = [];
  const policy = new ConsentPolicy("console", {
    prompter,
    rules,
    onDecision: (r) => decisions.push(r),
  });
  const outcome = async (request: PolicyRequest): Promise<string> => {
    const asked = prompter.questions.length;
    try {
      await policy.check(request);
      return prompter.questions.length > asked ? "asked+allowed" : "allowed";
    } catch (error) {
      assert(error instanceof PermissionDeniedError);
      return prompter.questions.length > asked ? "asked" : "denied";
    }
  };
  const cases: [PolicyRequest, string][] = [
    [req("fs.write", { path: "/srv/share/a.txt" }), "allowed"],
    [req("fs.write", { path: "/srv/share/private/a.txt" }), "denied"],
    [req("fs.move", { src: "/srv/share/a", dst: "/srv/share/private/a" }), "denied"],
    [req("fs.move", { src: "/srv/share/a", dst: "/tmp/a" }), "asked"],
    [req("fs.stat", { path: "/etc/hosts" }, true), "allowed"],
    [req("fs.delete", { path: "/etc/hosts" }), "asked"],
    [req("apps.open", { name: "gedit" }), "allowed"],
    [req("apps.open", { name: "xterm" }), "denied"],
    [req("process.shell", { command: "ls" }), "denied"],
    [req("display.capture", {}, true), "allowed"],
  ];
  for (const [request, expected] of cases) {
    assertEquals(
      await outcome(request),
      expected,
      `${request.method} ${JSON.stringify(request.params)}`,
    );
  }
  assert(decisions.some((d) => d.by === "policy_file" && d.outcome === "denied"));
});

Deno.test("ConsentPolicy: --approve auto and observe override the policy file, protected paths still ask", async () => {
  const rules = parsePolicyText('{"methods": {"*": "deny"}}', "policy.json");
  const home = Deno.makeTempDirSync();
  try {
    const protectedPaths = defaultProtectedPaths({ home, userHome: "/home/someone" });
    const auto = new ConsentPolicy("auto", { rules, protectedPaths });
    await auto.check(req("process.shell", { command: "ls" }));
    await auto.check(req("fs.read", { path: "/etc/hosts" }, true));
    const refused = await assertRejects(
      () => auto.check(req("fs.read", { path: `${home}/identity.key` }, true)),
      PermissionDeniedError,
    );
    assertMatch(refused.message, /is protected \(opendesk's home.*no terminal is attached/);
    const observe = new ConsentPolicy("observe", { rules, protectedPaths });
    await observe.check(req("fs.read", { path: "/etc/hosts" }, true));
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});

Deno.test({
  name: "findProtectedPath() expands ~user like the fs methods, so it cannot be sidestepped",
  ignore: Deno.build.os === "windows",
  fn: () => {
    const list = defaultProtectedPaths({ home: "/nonexistent/od", userHome: "/root" });
    assertEquals(findProtectedPath("~root/.ssh/id_ed25519", list)?.why, "SSH keys");
    assertEquals(findProtectedPath("~root/notes.txt", list), null);
  },
});

Deno.test("findProtectedPath() sees through ~, .., symlinks and parents being moved", () => {
  const root = Deno.makeTempDirSync();
  try {
    const home = `${root}/opendesk-home`;
    Deno.mkdirSync(home);
    Deno.writeTextFileSync(`${home}/identity.key`, "secret");
    Deno.symlinkSync(home, `${root}/innocent`);
    const list = defaultProtectedPaths({ home, userHome: "/home/someone", pid: Deno.pid });
    const cases: [string, boolean, boolean][] = [
      [`${home}/identity.key`, false, true],
      [`${root}/innocent/identity.key`, false, true],
      [`${root}/other/../opendesk-home/identity.key`, false, true],
      [`${home}/not-yet-there.txt`, false, true],
      [root, false, false],
      [root, true, true],
      ["/proc/self/fd/0", false, true],
      [`/proc/${Deno.pid}/environ`, false, true],
      ["/home/someone/.ssh/id_ed25519", false, true],
      ["/home/someone/Documents/a.txt", false, false],
      ["/etc/hosts", false, false],
    ];
    for (const [path, containing, expected] of cases) {
      assertEquals(
        findProtectedPath(path, list, { containing }) !== null,
        expected,
        `${path} ${containing}`,
      );
    }
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
