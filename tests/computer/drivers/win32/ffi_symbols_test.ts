/**
 * The Windows FFI symbol table against the real `opendesk.dll` (cross-compiled with mingw): the
 * table names exactly the functions the DLL exports, and each entry has as many parameters as
 * the header's prototype. The DLL cannot be loaded here (Deno does not run under Wine), so the
 * export table is read with mingw's objdump.
 */

import assert from "node:assert/strict";
import { buildWindows } from "../../../../scripts/_build_windows.ts";
import { win32Symbols } from "../../../../src/computer/drivers/win32/ffi_symbols.ts";

const OBJDUMP = "x86_64-w64-mingw32-objdump";
const HEADER = new URL("../../../../native/include/opendesk.h", import.meta.url).pathname;

async function hasObjdump(): Promise<boolean> {
  try {
    return (await new Deno.Command(OBJDUMP, { args: ["--version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

const missing = !(await hasObjdump());
const skip = missing && Deno.env.get("CI") !== "true";
if (skip) console.log("skipping the Windows symbol table test: mingw-w64 is not installed");

/** Exports the TypeScript layer does not bind (the same on Linux): it reads each call's error
 * text instead of installing a log sink. */
const UNBOUND = new Set(["od_log_set_callback"]);

/** Parameter counts of every OD_API prototype in the header. */
function headerArity(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const flat = text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\s+/g, " ");
  for (const m of flat.matchAll(/OD_API int (od_\w+)\(([^)]*)\);/g)) {
    const params = (m[2] ?? "").trim();
    out.set(m[1] ?? "", params === "" || params === "void" ? 0 : params.split(",").length);
  }
  return out;
}

Deno.test({
  name: "win32Symbols names exactly the exports of opendesk.dll, with the header's arity",
  ignore: skip,
  async fn() {
    const { library } = await buildWindows({ ifStale: true });
    const dump = await new Deno.Command(OBJDUMP, { args: ["-p", library], stdout: "piped" })
      .output();
    const exported = new Set(
      [...new TextDecoder().decode(dump.stdout).matchAll(/^\s+\[\s*\d+\] (od_\w+)$/gm)]
        .map((m) => m[1] ?? ""),
    );
    const table = new Set(Object.keys(win32Symbols));
    assert.deepEqual([...table].filter((n) => !exported.has(n)), [], "in the table, not exported");
    assert.deepEqual(
      [...exported].filter((n) => !table.has(n) && !UNBOUND.has(n)),
      [],
      "exported, not in the table",
    );
    assert.ok(table.has("od_capture_grab") && table.has("od_job_spawn") && exported.size > 60);
    const arity = headerArity(await Deno.readTextFile(HEADER));
    for (const [name, def] of Object.entries(win32Symbols) as [string, Deno.ForeignFunction][]) {
      assert.equal(def.parameters.length, arity.get(name), `parameters of ${name}`);
    }
  },
});
