import { assertEquals } from "../../../remote/_assert.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import {
  KeyEventSchema,
  PointerEventSchema,
  TextInputSchema,
} from "../../../../src/computer/types/input.ts";
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

/** Runs `fn` with a GTK entry under the pointer on a fresh Xvfb; `entryText()` reads the entry. */
function withGtkEntry(
  fn: (computer: NativeComputer, entryText: () => Promise<string>) => Promise<void>,
): Promise<void> {
  return withXvfb(async (xvfb) => {
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
    const entryText = async (): Promise<string> => {
      await writer.write(new TextEncoder().encode("dump\n"));
      return JSON.parse(await nextLine());
    };
    const computer = await NativeComputer.open({ display: xvfb.display });
    try {
      assertEquals(await nextLine(), "ready");
      // No window manager: keyboard focus follows the pointer.
      await computer.pointer(
        PointerEventSchema.parse({ action: "move", point: { x: 50, y: 30 } }),
      );
      await fn(computer, entryText);
    } finally {
      await computer.close();
      await writer.close().catch(() => {});
      await lines.cancel().catch(() => {});
      await child.status;
      await Deno.remove(home, { recursive: true });
    }
  });
}

/** Reads the entry until it shows `want` (the app reads its events asynchronously). */
async function waitForEntry(entryText: () => Promise<string>, want: string): Promise<string> {
  let got = "";
  // Up to 30 s: a loaded machine delivers the events late, never wrongly.
  for (let attempt = 0; attempt < 300 && got !== want; attempt++) {
    await new Promise((r) => setTimeout(r, 100));
    got = await entryText();
  }
  return got;
}

Deno.test({
  name: "NativeComputer.text() types mixed Unicode into a real GTK entry intact",
  ignore: skipGtk,
  fn: () =>
    withGtkEntry(async (computer, entryText) => {
      const text = "Grüße aus Köln — naïve café, ¿Qué tal? 日本語テキスト 中文 한국어 €→✓ Ωμέγα!";
      await computer.text(TextInputSchema.parse({ text, interval_ms: 0 }));
      assertEquals(await waitForEntry(entryText, text), text);
    }),
});

Deno.test({
  name: "NativeComputer.key() shift chords type capitals and symbols into a real GTK entry",
  ignore: skipGtk,
  fn: () =>
    withGtkEntry(async (computer, entryText) => {
      const key = (init: Record<string, unknown>) => computer.key(KeyEventSchema.parse(init));
      for (const name of ["c", "1"]) {
        await key({ action: "down", keysym: "shift" });
        await key({ action: "down", keysym: name });
        await key({ action: "up", keysym: name });
        await key({ action: "up", keysym: "shift" });
      }
      await key({ action: "down", keysym: "d", modifiers: ["shift"] });
      await key({ action: "up", keysym: "d", modifiers: ["shift"] });
      await key({ action: "down", keysym: "e" });
      await key({ action: "up", keysym: "e" });
      assertEquals(await waitForEntry(entryText, "C!De"), "C!De");
    }),
});
