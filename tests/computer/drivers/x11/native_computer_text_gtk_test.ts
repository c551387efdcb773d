import { assertEquals } from "../../../remote/_assert.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import { PointerEventSchema, TextInputSchema } from "../../../../src/computer/types/input.ts";
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
      const child = new Deno.Command(PYTHON, {
        args: [SCRIPT],
        env: { DISPLAY: xvfb.display, NO_AT_BRIDGE: "1", GTK_A11Y: "none" },
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
        for (let attempt = 0; attempt < 50 && got !== text; attempt++) {
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
      }
    }),
});
