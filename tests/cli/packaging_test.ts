import { buildBundle, verifyBundle } from "../../scripts/build_bundle.ts";
import { currentTarget, denortCachePath, missingRuntime, TARGETS } from "../../scripts/compile.ts";
import { assert, assertEquals, assertMatch } from "./_util/assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("buildBundle() makes a runnable distribution: version, help and serve --help work", async () => {
  const out = await Deno.makeTempDir({ prefix: "opendesk_dist_" });
  try {
    const launcher = await buildBundle(out);
    assertEquals(launcher, `${out}/opendesk`);
    assert(((await Deno.stat(launcher)).mode! & 0o111) !== 0, "the launcher is executable");
    assertEquals(await verifyBundle(launcher), []);
    const peers = await new Deno.Command(launcher, {
      args: ["peers", "--home", out],
      env: { DENO: Deno.execPath() },
      stdout: "piped",
    }).output();
    assertMatch(new TextDecoder().decode(peers.stdout), /No trusted peers/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("missingRuntime() finds a cached denort and explains a missing one", async () => {
  const cache = await Deno.makeTempDir();
  try {
    const target = currentTarget();
    const message = missingRuntime(target, cache, undefined)!;
    assertMatch(message, new RegExp(`denort-${target}\\.zip`));
    assertMatch(message, /dl\.deno\.land/);
    assertMatch(message, /DENORT_BIN/);
    assertMatch(
      missingRuntime(target, cache, "/nonexistent/denort")!,
      /DENORT_BIN points to \/nonexistent\/denort/,
    );
    assertEquals(missingRuntime(target, cache, Deno.execPath()), undefined);
    const other = TARGETS.find((t) => t !== target)!;
    assert(
      !missingRuntime(other, cache, Deno.execPath())!.includes("DENORT_BIN"),
      "DENORT_BIN only serves this target",
    );
    const zip = denortCachePath(cache, target);
    await Deno.mkdir(zip.slice(0, zip.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(zip, new Uint8Array([0x50, 0x4b]));
    assertEquals(missingRuntime(target, cache, undefined), undefined);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("scripts/compile.ts stops with a clear message when denort cannot be had", async () => {
  const cache = await Deno.makeTempDir();
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}scripts/compile.ts`, "--out-dir", `${cache}/bin`],
      env: { DENO_DIR: cache },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(output.stderr);
    if (output.code === 0) {
      // A machine that can download denort builds a real binary; it must run.
      const bin = `${cache}/bin/opendesk-${currentTarget()}`;
      const version = await new Deno.Command(bin, { args: ["version"], stdout: "piped" }).output();
      assertMatch(new TextDecoder().decode(version.stdout), /^opendesk /);
      return;
    }
    assertEquals(output.code, 1);
    assertMatch(err, new RegExp(`^error: cannot compile ${currentTarget()}: deno compile needs`));
    assertMatch(err, /deno task build/);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("scripts/compile.ts rejects an unknown target with exit code 2", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/compile.ts`, "--target", "mips-unknown-none"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(output.code, 2);
  assertMatch(new TextDecoder().decode(output.stderr), /unknown target mips-unknown-none/);
});

Deno.test("scripts/install.sh installs a command that runs without Deno on the PATH", async () => {
  const prefix = await Deno.makeTempDir({ prefix: "opendesk_prefix_" });
  try {
    const install = await new Deno.Command(`${ROOT}scripts/install.sh`, {
      args: ["--prefix", prefix],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(install.stdout);
    assertEquals(install.code, 0, new TextDecoder().decode(install.stderr));
    assertMatch(said, new RegExp(`installed ${prefix}/bin/opendesk -> ${prefix}/share/opendesk`));
    const run = async (path: string, args: string[]): Promise<string> => {
      const output = await new Deno.Command(args[0]!, {
        args: args.slice(1),
        env: { PATH: path, HOME: prefix },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(output.stdout) +
        new TextDecoder().decode(output.stderr);
      assertEquals(output.code, 0, text);
      return text;
    };
    // No Deno anywhere on the PATH: the copy beside the launcher runs the bundle.
    const outside = await run("/usr/bin:/bin", [`${prefix}/bin/opendesk`, "peers"]);
    assertMatch(outside, new RegExp(`pair with a machine with \`${prefix}/bin/opendesk pair-with`));
    const onPath = await run(`${prefix}/bin:/usr/bin:/bin`, ["opendesk", "peers"]);
    assertMatch(onPath, /with `opendesk pair-with HOST CODE`/);
  } finally {
    await Deno.remove(prefix, { recursive: true });
  }
});

Deno.test("scripts/opendesk skips the set-up when nothing it depends on changed", async () => {
  const stamp = `${ROOT}build/.setup-done`;
  // The first call runs the set-up if needed (and leaves a fresh stamp); the second must not.
  const first = await new Deno.Command(`${ROOT}scripts/opendesk`, { args: ["version"] }).output();
  assertEquals(first.code, 0);
  const before = (await Deno.stat(stamp)).mtime!.getTime();
  const second = await new Deno.Command(`${ROOT}scripts/opendesk`, {
    args: ["version"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(second.code, 0);
  assertMatch(new TextDecoder().decode(second.stdout), /^opendesk \d+\.\d+\.\d+/);
  assertEquals(new TextDecoder().decode(second.stderr), "", "no set-up output");
  assertEquals((await Deno.stat(stamp)).mtime!.getTime(), before, "the set-up did not run");
});
