import { assert, assertEquals } from "../remote/_assert.ts";
import { buildWindows } from "../../scripts/_build_windows.ts";
import { nativeLibraryFor } from "../../scripts/compile.ts";
import { skipWine } from "../native/win32/_wine.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test({
  name: "buildWindows() with ifStale leaves an up-to-date DLL alone; compile.ts embeds it",
  ignore: skipWine,
  fn: async () => {
    const first = await buildWindows({ ifStale: true });
    const bytes = await Deno.readFile(first.library);
    assertEquals(String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0), "MZ", "a PE file");
    const before = Deno.statSync(first.library).mtime?.getTime();
    const second = await buildWindows({ ifStale: true });
    assertEquals([second.built, second.library], [false, first.library]);
    assertEquals(Deno.statSync(second.library).mtime?.getTime(), before);
    assertEquals(nativeLibraryFor("x86_64-pc-windows-msvc"), first.library);
  },
});

Deno.test("build_native.ts refuses an unknown --target with exit code 2", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/build_native.ts`, "--target", "macos"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 2);
  assert(new TextDecoder().decode(out.stderr).includes("Unknown target 'macos'"));
});
