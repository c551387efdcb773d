/**
 * Snapshots of every command's `--help` and of `opendesk help`, under
 * `tests/cli/__snapshots__/`. Regenerate with `UPDATE_SNAPSHOTS=1 deno test
 * -A tests/cli/help_snapshot_test.ts` (or `-- --update`), then review the diff.
 */
import { COMMANDS, main } from "../../src/cli/main.ts";
import { createTestDeps } from "./_util/test_deps.ts";
import { assertEquals } from "./_util/assert.ts";

const SNAPSHOT_DIR = new URL("./__snapshots__/", import.meta.url);
const update = Deno.env.get("UPDATE_SNAPSHOTS") === "1" || Deno.args.includes("--update");

async function checkSnapshot(name: string, actual: string): Promise<void> {
  const file = new URL(`${name}.txt`, SNAPSHOT_DIR);
  if (update) {
    await Deno.mkdir(SNAPSHOT_DIR, { recursive: true });
    await Deno.writeTextFile(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`No snapshot ${file.pathname}: run with UPDATE_SNAPSHOTS=1 to create it`);
    }
    throw error;
  }
  assertEquals(
    actual,
    expected,
    `--help of ${name} changed: review, then run with UPDATE_SNAPSHOTS=1`,
  );
}

async function output(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const deps = createTestDeps({ env: { HOME: "/nonexistent-home" } });
  const code = await main(args, deps);
  return { code, out: deps.stdout.text, err: deps.stderr.text };
}

for (const command of COMMANDS) {
  Deno.test(`main() prints the --help of '${command.name}' as in its snapshot`, async () => {
    const { code, out, err } = await output([command.name, "--help"]);
    assertEquals([code, err], [0, ""]);
    await checkSnapshot(command.name, out);
  });
}

Deno.test("main() prints the command overview as in its snapshot", async () => {
  const { code, out } = await output(["help"]);
  assertEquals(code, 0);
  await checkSnapshot("_overview", out);
});

Deno.test("main() 'help COMMAND' equals 'COMMAND --help'", async () => {
  for (const command of COMMANDS) {
    assertEquals(
      (await output(["help", command.name])).out,
      (await output([command.name, "--help"])).out,
    );
  }
});

Deno.test("main() has a snapshot for every command and none left over", () => {
  if (update) return;
  const files = [...Deno.readDirSync(SNAPSHOT_DIR)].map((e) => e.name.replace(/\.txt$/, "")).sort();
  assertEquals(files, ["_overview", ...COMMANDS.map((c) => c.name)].sort());
});
