/**
 * The Wayland driver of the native shim against a real headless sway: builds the library and
 * the C test program (`wayland_test.c` and its case files), runs it with foot and a GTK probe,
 * and asserts every case it reports. The program compares capture with grim, input with what
 * arrives in GTK, windows with sway's tree and the clipboard with wl-clipboard.
 */
import { assert, assertEquals } from "../../remote/_assert.ts";
import { buildNative } from "../../../scripts/build_native.ts";
import { skipSway, withHeadlessSway } from "./_sway_fixture.ts";

const HERE = new URL(".", import.meta.url).pathname;
const ROOT = new URL("../../../", import.meta.url).pathname;

/** Every case the program must report as passed. */
const CASES = [
  "open",
  "features",
  "open of a missing compositor is WAYLAND_CONNECT",
  "cursor position before any move is STATE",
  "probe",
  "foot",
  "capture full output equals grim",
  "capture region equals grim",
  "capture 1920x1080 png",
  "capture with cursor overlay",
  "capture outside the layout is rejected",
  "stream first frame is the whole output",
  "stream static screen sends nothing",
  "stream reports the damaged area",
  "stream follows an animation",
  "pointer move",
  "pointer button 1 reaches the GTK app",
  "pointer button 3 reaches the GTK app",
  "pointer wheel down reaches the GTK app",
  "pointer wheel up reaches the GTK app",
  "pointer move outside the layout is rejected",
  "text: mixed Unicode arrives in the GTK entry",
  "key: Shift chord",
  "key: Ctrl+A selects all",
  "key: a keysym outside the layout",
  "key: release_all lets go of Shift",
  "text: AltGr levels (de layout)",
  "one handle used from two threads",
  "text: 400 characters arrive without error",
  "wtype peer run",
  "clipboard write owns the selection",
  "clipboard types seen by wl-paste",
  "clipboard text read by wl-paste",
  "clipboard 6 MB read by wl-paste",
  "clipboard 6 MB from wl-copy",
  "clipboard html from wl-copy",
  "clipboard missing type is NO_SELECTION",
  "windows list matches sway's tree",
  "windows list has titles",
  "windows listed by a later connection",
  "windows focus activates foot in sway",
  "sway IPC moves foot",
  "windows fullscreen reaches sway",
  "windows close ends foot",
  "windows close of a closed window is NOT_FOUND",
  "outputs: one 1920x1080 HEADLESS-1",
  "outputs: a scale-2 output has its logical size and position",
  "layout bounds",
  "capture of a scale-2 output equals grim",
  "capture across scales is refused",
  "compositor exit gives CONNECTION_LOST",
];

/** The drivers the library was built with (od_library_drivers). */
function libraryDrivers(library: string): string[] {
  const lib = Deno.dlopen(library, {
    od_library_drivers: { parameters: ["buffer", "u32", "buffer"], result: "i32" },
  });
  try {
    const buf = new Uint8Array(256);
    const len = new Uint32Array(1);
    assertEquals(lib.symbols.od_library_drivers(buf, buf.length, len), 0);
    return new TextDecoder().decode(buf.subarray(0, len[0])).split("\n").filter(Boolean);
  } finally {
    lib.close();
  }
}

async function compileTest(dir: string): Promise<string> {
  const { library, skipped } = await buildNative({ ifStale: true });
  const reason = skipped.find((s) => s.driver === "wayland")?.reason;
  assert(reason === undefined, `the Wayland driver was not built: ${reason}`);
  assert(libraryDrivers(library).includes("wayland"), "the library has no Wayland driver");
  const libDir = library.slice(0, library.lastIndexOf("/"));
  const sources = [...Deno.readDirSync(HERE)].filter((e) => e.name.endsWith(".c"))
    .map((e) => `${HERE}${e.name}`);
  const cflags = await new Deno.Command("pkg-config", { args: ["--cflags", "xkbcommon"] }).output();
  const out = `${dir}/wayland_test`;
  const cc = await new Deno.Command("cc", {
    args: [
      "-std=gnu11",
      "-O2",
      "-Wall",
      "-pthread",
      "-o",
      out,
      ...sources,
      ...new TextDecoder().decode(cflags.stdout).trim().split(/\s+/).filter(Boolean),
      `-L${libDir}`,
      "-lopendesk",
      `-Wl,-rpath,${libDir}`,
    ],
    cwd: ROOT,
  }).output();
  assert(cc.success, `compiling the C test failed:\n${new TextDecoder().decode(cc.stderr)}`);
  return out;
}

Deno.test({
  name: "od_wl_* drive a headless sway: capture, input, windows, clipboard",
  ignore: skipSway,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "opendesk-wl-test-" });
    try {
      const program = await compileTest(dir);
      const output = await withHeadlessSway(async (sway) => {
        const run = await new Deno.Command(program, {
          args: [`${HERE}gtk_probe.py`],
          env: sway.env,
          clearEnv: true,
          stdout: "piped",
          stderr: "piped",
        }).output();
        return {
          code: run.code,
          stdout: new TextDecoder().decode(run.stdout),
          stderr: new TextDecoder().decode(run.stderr),
        };
      });
      const lines = output.stdout.split("\n");
      for (const line of lines.filter((l) => l.startsWith("figure "))) console.log(line);
      const failed = lines.filter((l) => l.startsWith("not ok "));
      assertEquals(failed, [], `cases failed; program stderr:\n${output.stderr.slice(-3000)}`);
      const passed = new Set(lines.filter((l) => l.startsWith("ok ")).map((l) => l.slice(3)));
      assertEquals(CASES.filter((c) => !passed.has(c)), [], "cases missing from the output");
      assert(lines.includes("done"), "the program did not finish");
      assertEquals(output.code, 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
