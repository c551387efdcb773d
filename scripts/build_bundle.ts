/**
 * `deno task build`: a runnable distribution in `build/dist/` made with
 * `deno bundle` (works offline): `opendesk.js` (one file, npm packages
 * inlined), the native shim when it is built, and a launcher script
 * `opendesk` that runs the bundle with the permissions it needs and points
 * the FFI loader at the shim. The build is checked by running the bundle's
 * `version`, `help` and `serve --help`.
 *
 * Usage: deno run -A scripts/build_bundle.ts [--out-dir DIR] [--no-verify]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The launcher script. It finds Deno in this order: `$DENO`, a `deno` next to
 * the launcher (an installed copy), `deno` on the PATH, the Deno that built the
 * bundle (the project's own `.tools` Deno). It tells the CLI how it was
 * invoked (`OPENDESK_COMMAND`) so hints print a command that works here.
 */
function launcherScript(buildDeno: string): string {
  return `#!/usr/bin/env sh
# opendesk launcher: runs the bundled CLI with Deno.
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in /*) self=$link ;; *) self=$(dirname "$self")/$link ;; esac
done
dir=$(cd "$(dirname "$self")" && pwd)
deno=\${DENO:-}
[ -z "$deno" ] && [ -x "$dir/deno" ] && deno="$dir/deno"
[ -z "$deno" ] && command -v deno >/dev/null 2>&1 && deno=deno
[ -z "$deno" ] && [ -x ${shellQuote(buildDeno)} ] && deno=${shellQuote(buildDeno)}
if [ -z "$deno" ]; then
  echo "error: opendesk needs Deno 2: run scripts/install.sh, put deno on the PATH, or set DENO=/path/to/deno" >&2
  exit 1
fi
if [ -z "\${OPENDESK_NATIVE_LIB:-}" ] && [ -f "$dir/libopendesk.so" ]; then
  OPENDESK_NATIVE_LIB="$dir/libopendesk.so"
  export OPENDESK_NATIVE_LIB
fi
if [ -z "\${OPENDESK_COMMAND:-}" ]; then
  if [ "$(command -v opendesk 2>/dev/null)" = "$0" ] || [ "$(basename "$0")" = "$0" ]; then
    OPENDESK_COMMAND=opendesk
  else
    OPENDESK_COMMAND=$0
  fi
  export OPENDESK_COMMAND
fi
exec "$deno" run -A --unstable-net --no-config "$dir/opendesk.js" "$@"
`;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Runs a command and returns its exit status and output. */
async function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ok: boolean; out: string; err: string }> {
  const output = await new Deno.Command(cmd, {
    args,
    cwd: root,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    ok: output.success,
    out: decoder.decode(output.stdout),
    err: decoder.decode(output.stderr),
  };
}

/**
 * Builds the bundle into `outDir`.
 *
 * @returns The launcher's path.
 * @throws {Error} when `deno bundle` fails
 */
export async function buildBundle(outDir: string): Promise<string> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const bundle = join(outDir, "opendesk.js");
  const result = await run(Deno.execPath(), [
    "bundle",
    "--platform",
    "deno",
    "--output",
    bundle,
    join(root, "src", "cli", "main.ts"),
  ]);
  if (!result.ok) throw new Error(`deno bundle failed:\n${result.err}`);
  const native = join(root, "build", "native", "libopendesk.so");
  if (existsSync(native)) await copyFile(native, join(outDir, "libopendesk.so"));
  const launcher = join(outDir, "opendesk");
  await writeFile(launcher, launcherScript(Deno.execPath()), { mode: 0o755 });
  return launcher;
}

/**
 * Runs the built launcher with `version`, `help` and `serve --help`.
 *
 * @returns The problems found (empty when the bundle works).
 */
export async function verifyBundle(launcher: string): Promise<string[]> {
  const problems: string[] = [];
  const env = { DENO: Deno.execPath() };
  const checks: Array<[string[], RegExp]> = [
    [["version"], /^opendesk \d+\.\d+\.\d+/],
    [["help"], /Usage: opendesk COMMAND/],
    [["serve", "--help"], /Usage: opendesk serve/],
  ];
  for (const [args, expected] of checks) {
    const result = await run(launcher, args, env);
    if (!result.ok || !expected.test(result.out)) {
      problems.push(
        `\`opendesk ${args.join(" ")}\` did not work: ${result.err.trim() || result.out.trim()}`,
      );
    }
  }
  return problems;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { "out-dir": { type: "string" }, "no-verify": { type: "boolean" } },
    strict: true,
  });
  const outDir = values["out-dir"] ?? join(root, "build", "dist");
  const launcher = await buildBundle(outDir);
  console.log(
    `built ${launcher} (+ opendesk.js${
      existsSync(join(outDir, "libopendesk.so")) ? ", libopendesk.so" : ""
    })`,
  );
  if (!values["no-verify"]) {
    const problems = await verifyBundle(launcher);
    for (const problem of problems) console.error(`error: ${problem}`);
    if (problems.length > 0) Deno.exit(1);
    console.log("checked: version, help and serve --help run from the bundle");
  }
}
