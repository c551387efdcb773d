import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { join } from "node:path";
import { writeFileAtomicSync } from "../../src/auth/_atomic_file.ts";
import { modeOf, tempHome } from "./_helpers.ts";

Deno.test("writeFileAtomicSync() replaces the file with mode 0600 and leaves no temp file", () => {
  using home = tempHome();
  const path = join(home.path, "f.json");
  Deno.writeTextFileSync(path, "old", { mode: 0o644 });
  writeFileAtomicSync(path, "new");
  strictEqual(Deno.readTextFileSync(path), "new");
  strictEqual(modeOf(path), 0o600);
  deepStrictEqual(Deno.readDirSync(home.path).map((e) => e.name).toArray(), ["f.json"]);
});

Deno.test("writeFileAtomicSync() leaves the old file intact when it fails before the rename", () => {
  using home = tempHome();
  const path = join(home.path, "f.json");
  Deno.writeTextFileSync(path, "old");
  throws(() =>
    writeFileAtomicSync(path, "new", {
      beforeRename: () => {
        throw new Error("disk gone");
      },
    }), /disk gone/);
  strictEqual(Deno.readTextFileSync(path), "old");
  deepStrictEqual(Deno.readDirSync(home.path).map((e) => e.name).toArray(), ["f.json"]);
});

Deno.test("writeFileAtomicSync() survives a process killed between write and rename", async () => {
  using home = tempHome();
  const path = join(home.path, "trusted-peers.json");
  Deno.writeTextFileSync(path, "[]");
  const moduleUrl = new URL("../../src/auth/_atomic_file.ts", import.meta.url).href;
  const script = `
    import { writeFileAtomicSync } from ${JSON.stringify(moduleUrl)};
    writeFileAtomicSync(${JSON.stringify(path)}, "[{\\"torn\\": true}]", {
      beforeRename: () => Deno.kill(Deno.pid, "SIGKILL"),
    });
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-run", "-"],
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const status = await child.status;
  strictEqual(status.signal, "SIGKILL");
  strictEqual(Deno.readTextFileSync(path), "[]", "the original is intact");
  const leftovers = Deno.readDirSync(home.path).map((e) => e.name).filter((n) =>
    n !== "trusted-peers.json"
  ).toArray();
  strictEqual(leftovers.length, 1);
  ok(/^trusted-peers\.json\.[0-9a-f]{12}\.tmp$/.test(leftovers[0]!), leftovers[0]);
  strictEqual(
    Deno.readTextFileSync(join(home.path, leftovers[0]!)),
    '[{"torn": true}]',
    "the new content reached the temp file",
  );
  // A later write still works and does not trip over the leftover.
  writeFileAtomicSync(path, "[1]");
  strictEqual(Deno.readTextFileSync(path), "[1]");
});

Deno.test("writeFileAtomicSync() with exclusive creates a file but never replaces one", () => {
  using home = tempHome();
  const path = join(home.path, "identity.key");
  writeFileAtomicSync(path, "first", { exclusive: true });
  strictEqual(Deno.readTextFileSync(path), "first");
  strictEqual(modeOf(path), 0o600);
  throws(() => writeFileAtomicSync(path, "second", { exclusive: true }), Deno.errors.AlreadyExists);
  strictEqual(Deno.readTextFileSync(path), "first");
  deepStrictEqual(Deno.readDirSync(home.path).map((e) => e.name).toArray(), ["identity.key"]);
});
