import { assertEquals } from "../../remote/_assert.ts";
import { NativeComputer } from "../../../src/computer/native/native_computer.ts";
import { PointerEventSchema, TextInputSchema } from "../../../src/computer/types/input.ts";
import { skipX11, withXvfb } from "./_x11_fixture.ts";

const SCRIPT = new URL("./_gtk_entry.py", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";

function hasGtk(): boolean {
  try {
    const res = new Deno.Command(PYTHON, {
      args: ["-c", "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return res.success;
  } catch {
    return false;
  }
}

const skipGtk = skipX11 || (!hasGtk() && Deno.env.get("CI") !== "true");
if (skipGtk && !skipX11) {
  console.log("skipping the GTK typing test: python3-gi with GTK 3 is missing");
}

Deno.test({
  name: "NativeComputer.text() types mixed Unicode into a real GTK entry intact",
  ignore: skipGtk,
  fn: () =>
    withXvfb(async (xvfb) => {
      // Only this environment: the user's input method, settings and session bus stay out.
      const home = await Deno.makeTempDir({ prefix: "opendesk-gtk-home-" });
      const child = new Deno.Command(PYTHON, {
        args: [SCRIPT],
        env: {
          DISPLAY: xvfb.display,
          PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
          HOME: home,
          LANG: "C.UTF-8",
          NO_AT_BRIDGE: "1",
          GTK_A11Y: "none",
        },
        clearEnv: true,
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const writer = child.stdin.getWriter();
      const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = "";
      const nextLine = async (): Promise<string> => {
        for (;;) {
          const nl = buffered.indexOf("\n");
          if (nl >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            return line;
          }
          const { value, done } = await lines.read();
          if (done) throw new Error("the GTK app exited");
          buffered += value;
        }
      };
      const computer = await NativeComputer.open({ display: xvfb.display });
      try {
        assertEquals(await nextLine(), "ready");
        // No window manager: keyboard focus follows the pointer.
        await computer.pointer(
          PointerEventSchema.parse({ action: "move", point: { x: 50, y: 30 } }),
        );
        const text = "Grüße aus Köln — naïve café, ¿Qué tal? 日本語テキスト 中文 한국어 €→✓ Ωμέγα!";
        await computer.text(TextInputSchema.parse({ text, interval_ms: 0 }));
        let got = "";
        // Ask the app for its text until it is complete, for up to 30 s.
        const deadline = Date.now() + 30_000;
        while (got !== text && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          await writer.write(new TextEncoder().encode("dump\n"));
          got = JSON.parse(await nextLine());
        }
        assertEquals(got, text);
      } finally {
        await computer.close();
        await writer.close().catch(() => {});
        await lines.cancel().catch(() => {});
        await child.status;
        await Deno.remove(home, { recursive: true });
      }
    }),
});
