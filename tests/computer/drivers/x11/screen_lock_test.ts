import { assertEquals, assertMatch, assertRejects } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import { availableLockers, lockScreen } from "../../../../src/computer/drivers/x11/screen_lock.ts";

/** A PATH directory holding shell scripts `name` → body. */
async function scripts(entries: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "opendesk-lock-" });
  for (const [name, body] of Object.entries(entries)) {
    await Deno.writeTextFile(`${dir}/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  return dir;
}

Deno.test("lockScreen() uses the first locker that exits 0 and reports which", async () => {
  const dir = await scripts({
    loginctl: "echo 'Failed to lock: no session' >&2; exit 1",
    "dm-tool": `: > "${"$"}0.ran"; exit 0`,
    "xscreensaver-command": "exit 0",
  });
  try {
    const env = { PATH: dir }; // only the scripts: the machine may have real lockers
    assertEquals(availableLockers({ env }).slice(0, 2), ["loginctl lock-session", "dm-tool lock"]);
    assertEquals(await lockScreen({ env }), "dm-tool lock");
    await Deno.stat(`${dir}/dm-tool.ran`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lockScreen() lists every locker tried with its exit code when none works", async () => {
  const dir = await scripts({
    loginctl: "echo 'Failed to lock: no session' >&2; exit 1",
    "xdg-screensaver": "exit 3",
  });
  try {
    const error = await assertRejects(() => lockScreen({ env: { PATH: dir } }), RemoteError);
    assertMatch(
      error.message,
      /'loginctl lock-session' exited with 1 \(Failed to lock: no session\)/,
    );
    assertMatch(error.message, /'xdg-screensaver lock' exited with 3/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lockScreen() says that no locker is installed when PATH has none", async () => {
  const dir = await scripts({});
  try {
    assertEquals(availableLockers({ env: { PATH: dir } }), []);
    const error = await assertRejects(() => lockScreen({ env: { PATH: dir } }), RemoteError);
    assertMatch(error.message, /no screen locker is installed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
