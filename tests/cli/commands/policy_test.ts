import { main } from "../../../src/cli/main.ts";
import { createTestDeps } from "../_util/test_deps.ts";
import { assert, assertEquals, assertMatch } from "../_util/assert.ts";

async function run(args: string[]) {
  const deps = createTestDeps({ env: { HOME: "/home/someone" } });
  const code = await main(args, deps);
  return { code, out: deps.stdout.text, err: deps.stderr.text };
}

Deno.test("policy show prints every method's outcome and the rule behind it", async () => {
  const home = await Deno.makeTempDir({ prefix: "opendesk_policy_" });
  try {
    const none = await run(["policy", "show", "--home", home]);
    assertEquals(none.code, 0, none.err);
    assertMatch(none.out, /Policy file: none/);
    assertMatch(none.out, /\n {2}fs\.write\s+ask {4}default\n/);
    assertMatch(none.out, /\n {2}fs\.read\s+allow {2}default: observation\n/);
    assertMatch(none.out, new RegExp(`\\n  ${home}\\s+opendesk's home`));
    assertMatch(none.out, /\n {2}\/home\/someone\/\.ssh\s+SSH keys\n/);

    await Deno.writeTextFile(
      `${home}/policy.json`,
      JSON.stringify(
        {
          methods: { "process.*": "deny", "input.pointer": "allow" },
          paths: [{ path: "/srv/share", action: "allow" }],
          apps: { allow: ["gedit"] },
          protected: ["/srv/share/keys"],
        },
        null,
        2,
      ),
    );
    const ruled = await run(["policy", "--home", home]);
    assertEquals(ruled.code, 0, ruled.err);
    assertMatch(ruled.out, /\n {2}process\.shell\s+deny {3}methods "process\.\*"\n/);
    assertMatch(ruled.out, /\n {2}input\.pointer\s+allow {2}methods "input\.pointer"\n/);
    assertMatch(ruled.out, /\n {2}input\.key\s+ask {4}default\n/);
    assertMatch(ruled.out, /\n {2}\/srv\/share\s+allow\n/);
    assertMatch(ruled.out, /\n {2}gedit\n/);
    assertMatch(ruled.out, /\n {2}\/srv\/share\/keys\s+listed in policy\.json\n/);

    await Deno.writeTextFile(
      `${home}/policy.json`,
      '{\n  "methods": {\n    "fs.*": "alow"\n  }\n}',
    );
    const broken = await run(["policy", "show", "--home", home]);
    assertEquals(broken.code, 1);
    assert(
      broken.err.includes(`${home}/policy.json": line 3: expected "allow", "ask" or "deny"`),
      broken.err,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
