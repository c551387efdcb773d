import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { TrustStore } from "../../src/auth/trust_store.ts";
import { sweepStaleTempFiles } from "../../src/auth/_temp_sweep.ts";
import { tempHome } from "./_helpers.ts";

const CHILD = new URL("./_trust_writer_child.ts", import.meta.url).pathname;

function key(i: number): string {
  return i.toString(16).padStart(2, "0").repeat(32);
}

/** Starts a writer process and resolves once it printed `ready`. */
async function startWriter(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", CHILD, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("ready\n")) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`writer ${args.join(" ")} exited before it was ready`);
    seen += value;
  }
  return { child, lines, writer: child.stdin.getWriter() };
}

Deno.test("TrustStore loses no update from 40 concurrent writer processes; every remove sticks", async () => {
  using home = tempHome();
  const store = new TrustStore(home.path);
  for (let i = 0; i < 40; i++) store.add(key(i), `peer-${i}`, "controller");
  // 20 processes describe peers 0–19, 20 processes remove peers 20–39, all released at once.
  const writers = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      startWriter(
        i < 20
          ? [home.path, "describe", `peer-${i}`, `described by writer ${i}`]
          : [home.path, "remove", `peer-${i}`],
      )),
  );
  await Promise.all(writers.map(({ writer }) => writer.write(new TextEncoder().encode("go\n"))));
  const statuses = await Promise.all(writers.map(async ({ child, lines, writer }) => {
    await writer.close();
    while (!(await lines.read()).done) { /* drain */ }
    const status = await child.status;
    const stderr = new TextDecoder().decode(
      await new Response(child.stderr).arrayBuffer(),
    );
    return { code: status.code, stderr };
  }));
  deepStrictEqual(statuses.filter((s) => s.code !== 0), [], "every writer exits 0");
  const peers = store.list();
  const kept = peers.filter((p) => p.descriptionOverride.startsWith("described by")).length;
  console.log(`removes that stuck: ${60 - 20 - peers.length}/20, descriptions kept: ${kept}/20`);
  deepStrictEqual(
    peers.map((p) => p.name),
    Array.from({ length: 20 }, (_, i) => `peer-${i}`),
    "every remove sticks",
  );
  for (let i = 0; i < 20; i++) {
    strictEqual(store.describe(`peer-${i}`), `described by writer ${i}`, `update ${i} kept`);
  }
  for (let i = 20; i < 40; i++) {
    strictEqual(store.isTrustedController(key(i)), false, `peer-${i} stays revoked`);
  }
});

Deno.test("TrustStore sweeps temp files of killed writers once they are stale, never fresh ones", () => {
  using home = tempHome();
  const store = new TrustStore(home.path);
  store.add(key(1), "laptop", "controller");
  const stale = join(home.path, "trusted-peers.json.0123456789ab.tmp");
  const fresh = join(home.path, "trusted-peers.json.ba9876543210.tmp");
  const foreign = join(home.path, "notes.0123456789ab.tmp");
  for (const path of [stale, fresh, foreign]) Deno.writeTextFileSync(path, '[{"torn');
  const old = new Date(Date.now() - 10 * 60_000);
  Deno.utimeSync(stale, old, old);
  Deno.utimeSync(foreign, old, old);
  store.add(key(2), "desk", "remote");
  const names = new Set(Deno.readDirSync(home.path).map((e) => e.name));
  ok(!names.has("trusted-peers.json.0123456789ab.tmp"), "the stale temp file is gone");
  ok(names.has("trusted-peers.json.ba9876543210.tmp"), "a fresh one may belong to a live writer");
  ok(names.has("notes.0123456789ab.tmp"), "files that are not the trust files' are left alone");
  deepStrictEqual(sweepStaleTempFiles(home.path, Date.now() + 120_000), [
    "trusted-peers.json.ba9876543210.tmp",
  ]);
});

Deno.test("TrustStore keeps a remote peer's role when the reference rewrites the file without roles", () => {
  using home = tempHome();
  const store = new TrustStore(home.path);
  store.add(key(3), "desk", "remote");
  store.add(key(4), "laptop", "controller");
  // The reference rewrites trusted-peers.json with only its own fields (json.dumps, indent 2).
  const path = join(home.path, "trusted-peers.json");
  const entries = (JSON.parse(Deno.readTextFileSync(path)) as Record<string, unknown>[])
    .map(({ role: _role, ...rest }) => rest);
  Deno.writeTextFileSync(path, JSON.stringify(entries, null, 2));
  ok(!Deno.readTextFileSync(path).includes('"role"'));

  strictEqual(store.isTrustedController(key(3)), false, "the remote peer is still refused");
  strictEqual(store.get("desk")?.role, "remote");
  strictEqual(store.isTrustedController(key(4)), true);
  deepStrictEqual(store.legacyPeers(), [], "no entry turned into a legacy both-ways entry");
  // The next write by opendesk puts the roles back into the file.
  store.setDescriptionOverride("desk", "build box");
  const rewritten = JSON.parse(Deno.readTextFileSync(path)) as Record<string, unknown>[];
  deepStrictEqual(rewritten.map((e) => e.role), ["remote", "controller"]);
  strictEqual(
    Deno.statSync(join(home.path, "peer-roles.json")).mode! & 0o777,
    0o600,
  );
});

Deno.test("TrustStore treats a peer the reference paired (no role, no sidecar entry) as legacy", () => {
  using home = tempHome();
  const store = new TrustStore(home.path);
  store.add(key(5), "desk", "remote");
  const path = join(home.path, "trusted-peers.json");
  const entries = JSON.parse(Deno.readTextFileSync(path)) as Record<string, unknown>[];
  entries.push({ public_key: key(6), name: "old", paired_at: 1 });
  Deno.writeTextFileSync(path, JSON.stringify(entries));
  strictEqual(store.get("old")?.role, "");
  strictEqual(store.isTrustedController(key(5)), false);
  store.remove("desk");
  deepStrictEqual(
    JSON.parse(Deno.readTextFileSync(join(home.path, "peer-roles.json"))),
    {},
    "a removed peer's role goes with it",
  );
});

Deno.test("TrustStore refuses to guess roles when peer-roles.json is corrupt", () => {
  using home = tempHome();
  const store = new TrustStore(home.path);
  store.add(key(7), "desk", "remote");
  Deno.writeTextFileSync(join(home.path, "peer-roles.json"), "{oops");
  let error: unknown;
  try {
    store.isTrustedController(key(7));
  } catch (e) {
    error = e;
  }
  ok(error instanceof Error && error.message.includes("peer-roles.json"), String(error));
});

Deno.test("TrustStore: a writer killed inside the lock blocks nobody, and its temp file is swept", async () => {
  using home = tempHome();
  const store = new TrustStore(home.path);
  store.add(key(1), "laptop", "controller");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", CHILD, home.path, "hang"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/hanging (\S+)\n/.test(seen)) {
    const { value, done } = await lines.read();
    if (done) throw new Error("the writer exited before it hung");
    seen += value;
  }
  const temp = /hanging (\S+)\n/.exec(seen)![1]!;
  child.kill("SIGKILL");
  await child.status;
  await lines.cancel();
  // The kernel released the dead writer's lock: the next writer goes ahead.
  store.add(key(2), "desk", "remote");
  deepStrictEqual(store.list().map((p) => p.name), ["laptop", "desk"]);
  ok(Deno.statSync(temp).isFile, "the killed writer's temp file is still there while fresh");
  const old = new Date(Date.now() - 10 * 60_000);
  Deno.utimeSync(temp, old, old);
  store.setDescriptionOverride("desk", "build box");
  strictEqual(
    Deno.readDirSync(home.path).filter((e) => e.name.endsWith(".tmp")).toArray().length,
    0,
    "swept under the lock",
  );
});
