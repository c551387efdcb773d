/**
 * Builds the single `opendesk` binary with `deno compile`, for the current
 * target or others, with the native shim embedded (`--include`): the FFI
 * loader finds it at its source-tree path inside the binary's embedded file
 * system, and Deno writes it to a temp file before `dlopen`.
 *
 * `deno compile` needs the `denort` runtime of the exact Deno version for
 * each target. It looks in `$DENO_DIR/dl/release/v<version>/` and downloads
 * it otherwise; `DENORT_BIN` overrides it for the current target. When it is
 * neither there nor downloadable this script stops with a clear message.
 *
 * Usage: deno run -A scripts/compile.ts [--target T]... [--all] [--out-dir DIR]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Targets `deno compile` supports that opendesk builds for. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The Rust-style target triple of this machine. */
export function currentTarget(): string {
  return Deno.build.target;
}

/** Where `deno compile` looks for a cached runtime of `target`. */
export function denortCachePath(denoDir: string, target: string): string {
  return join(denoDir, "dl", "release", `v${Deno.version.deno}`, `denort-${target}.zip`);
}

/**
 * The native shim built for a target, if this machine has it: the one for this machine's own
 * target, or for Windows the DLL cross-compiled by `build_native.ts --target windows`.
 */
export function nativeLibraryFor(target: string): string | undefined {
  if (target !== currentTarget() && !target.includes("windows")) return undefined;
  const name = target.includes("windows")
    ? "opendesk.dll"
    : target.includes("apple")
    ? "libopendesk.dylib"
    : "libopendesk.so";
  const path = join(root, "build", "native", name);
  return existsSync(path) ? path : undefined;
}

async function denoDir(): Promise<string> {
  const fromEnv = Deno.env.get("DENO_DIR");
  if (fromEnv) return fromEnv;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  })
    .output();
  return JSON.parse(new TextDecoder().decode(output.stdout)).denoDir;
}

/** Why a target cannot be compiled here, or `undefined` when it can. */
export function missingRuntime(
  target: string,
  cacheDir: string,
  denortBin: string | undefined,
): string | undefined {
  if (denortBin && target === currentTarget()) {
    return existsSync(denortBin)
      ? undefined
      : `DENORT_BIN points to ${denortBin}, which does not exist`;
  }
  const cached = denortCachePath(cacheDir, target);
  if (existsSync(cached)) return undefined;
  return `deno compile needs the Deno ${Deno.version.deno} runtime for ${target} (denort-${target}.zip), ` +
    `which it downloads from dl.deno.land; that host cannot be reached from here. ` +
    `Copy the zip to ${cached}` +
    (target === currentTarget() ? " or set DENORT_BIN to a denort binary" : "") +
    ", then run this again";
}

async function canReachDownloads(): Promise<boolean> {
  try {
    const response = await fetch(
      `https://dl.deno.land/release/v${Deno.version.deno}/denort-${currentTarget()}.zip`,
      {
        method: "HEAD",
        signal: AbortSignal.timeout(3000),
      },
    );
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function compileOne(target: string, outDir: string): Promise<boolean> {
  const windows = target.includes("windows");
  const output = join(outDir, `opendesk-${target}${windows ? ".exe" : ""}`);
  const args = ["compile", "-A", "--unstable-net", "--target", target, "--output", output];
  const native = nativeLibraryFor(target);
  if (native) args.push("--include", native);
  args.push(join(root, "src", "cli", "main.ts"));
  console.log(
    `compiling ${target}${
      native
        ? " (native shim embedded)"
        : " (no native shim: display and input need OPENDESK_NATIVE_LIB)"
    }`,
  );
  const status = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  })
    .spawn().status;
  if (!status.success) {
    console.error(`error: deno compile failed for ${target} (exit ${status.code})`);
    return false;
  }
  if (target === currentTarget()) {
    const check = await new Deno.Command(output, {
      args: ["version"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(check.stdout).trim();
    if (!check.success || !text.startsWith("opendesk ")) {
      console.error(
        `error: the binary ${output} does not run: ${
          new TextDecoder().decode(check.stderr).trim()
        }`,
      );
      return false;
    }
    console.log(`  ${output}: ${text}`);
  } else {
    console.log(`  ${output}`);
  }
  return true;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      target: { type: "string", multiple: true },
      all: { type: "boolean" },
      "out-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log("Usage: deno run -A scripts/compile.ts [--target T]... [--all] [--out-dir DIR]");
    console.log(`Targets: ${TARGETS.join(", ")}; default: this machine (${currentTarget()})`);
    Deno.exit(0);
  }
  const targets = values.all
    ? [...TARGETS]
    : values.target?.length
    ? values.target
    : [currentTarget()];
  const unknown = targets.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    console.error(`error: unknown target ${unknown.join(", ")}: use one of ${TARGETS.join(", ")}`);
    Deno.exit(2);
  }
  const outDir = values["out-dir"] ?? join(root, "build", "bin");
  const cache = await denoDir();
  const denortBin = Deno.env.get("DENORT_BIN");
  const online = await canReachDownloads();
  const blocked = targets
    .map((t) => ({ target: t, reason: online ? undefined : missingRuntime(t, cache, denortBin) }))
    .filter((b) => b.reason !== undefined);
  if (blocked.length > 0) {
    for (const b of blocked) console.error(`error: cannot compile ${b.target}: ${b.reason}`);
    console.error(
      "hint: `deno task build` makes a runnable bundle without deno compile (build/dist/)",
    );
    Deno.exit(1);
  }
  await Deno.mkdir(outDir, { recursive: true });
  let ok = true;
  for (const target of targets) ok = (await compileOne(target, outDir)) && ok;
  Deno.exit(ok ? 0 : 1);
}
