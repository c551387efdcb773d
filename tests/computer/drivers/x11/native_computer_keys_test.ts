/**
 * `input.key` against a real X client that logs the keysyms it reads: a key
 * is the layout's own key, so held modifiers (Shift, Ctrl, AltGr) act on it
 * exactly as on a physical keyboard, and any spare keycode a key needed is
 * unmapped again afterwards.
 */
import { assertEquals } from "../../../remote/_assert.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import { KeyEventSchema, TextInputSchema } from "../../../../src/computer/types/input.ts";
import { runX, skipX11, startClient, withXvfb, type XClient } from "./_x11_fixture.ts";

const SHIFT_MASK = 1;
const CONTROL_MASK = 4;

const key = (init: Record<string, unknown>) => KeyEventSchema.parse(init);

/**
 * What Shift makes of each key of Xvfb's US pc105 keyboard: '<' is the
 * unshifted level of the extra 102nd key, whose shifted level is '>'.
 */
const US_SHIFTED: Record<string, string> = Object.fromEntries(
  [..."`1234567890-=[]\\;',./<"].map((c, i) => [c, '~!@#$%^&*()_+{}|:"<>?>'[i] ?? ""]),
);

/** The character of a keysym: Latin-1, the Euro sign, or a Unicode keysym. */
function keysymText(keysym: number): string {
  if (keysym === 0x20ac) return "€";
  return String.fromCodePoint(keysym >= 0x01000000 ? keysym - 0x01000000 : keysym);
}

function usShifted(ch: string): string {
  if (/[a-z]/.test(ch)) return ch.toUpperCase();
  return US_SHIFTED[ch] ?? ch;
}

/** "key press" lines of non-modifier keys as [keysym, state, keycode]. */
function presses(client: XClient): Array<[number, number, number]> {
  return client.lines
    .filter((l) => l.startsWith("key press "))
    .map((l) => l.split(" ").slice(2).map((f, i) => (i === 0 ? parseInt(f, 16) : Number(f))))
    .filter(([ks]) => ks !== undefined && (ks < 0xffe1 || ks > 0xffee) && ks !== 0xfe03)
    .map(([ks, state, code]) => [ks ?? 0, state ?? 0, code ?? 0]);
}

/** Presses and releases `name` (with `modifiers`) and returns the press the client read. */
async function tap(
  computer: NativeComputer,
  client: XClient,
  name: string,
  modifiers: string[] = [],
): Promise<[number, number, number]> {
  client.lines.length = 0;
  await computer.key(key({ action: "down", keysym: name, modifiers }));
  await computer.key(key({ action: "up", keysym: name, modifiers }));
  await client.waitFor((l) => l.startsWith("key release ") && !/ (ffe[1-9a-e]|fe03) /.test(l));
  const got = presses(client);
  assertEquals(got.length, 1, `one key press for ${JSON.stringify(name)}: ${client.lines}`);
  return got[0] ?? [0, 0, 0];
}

async function withKeyClient(
  fn: (computer: NativeComputer, client: XClient, display: string) => Promise<void>,
  layout?: string,
): Promise<void> {
  await withXvfb(async (xvfb) => {
    if (layout) await runX(xvfb.display, "setxkbmap", [layout]);
    const client = await startClient(xvfb.display, ["events"]);
    const computer = await NativeComputer.open({ display: xvfb.display });
    try {
      await fn(computer, client, xvfb.display);
    } finally {
      await computer.close();
      await client.stop();
    }
  });
}

/** The highest keycode the layout maps (spare keycodes lie above it on Xvfb). */
function layoutKeycodes(pke: string): Set<number> {
  const codes = new Set<number>();
  for (const line of pke.split("\n")) {
    const m = /^keycode\s+(\d+) = \S/.exec(line);
    if (m) codes.add(Number(m[1]));
  }
  return codes;
}

Deno.test({
  name: "NativeComputer.key() types every printable ASCII key with and without Shift",
  ignore: skipX11,
  fn: () =>
    withKeyClient(async (computer, client, display) => {
      const before = await runX(display, "xmodmap", ["-pke"]);
      const onLayout = layoutKeycodes(before);
      const wrong: string[] = [];
      for (let cp = 0x20; cp <= 0x7e; cp++) {
        const ch = String.fromCharCode(cp);
        const plain = ch.toLowerCase();
        for (const shifted of [false, true]) {
          const [ks, state, code] = await tap(computer, client, ch, shifted ? ["shift"] : []);
          // A shifted character names its key; Shift on top of it changes nothing.
          const want = shifted ? usShifted(plain) : plain;
          const seen = keysymText(ks);
          if (seen !== want || !onLayout.has(code) || (shifted && !(state & SHIFT_MASK))) {
            wrong.push(`${JSON.stringify(ch)}${shifted ? "+shift" : ""} → ${seen} kc ${code}`);
          }
        }
      }
      assertEquals(wrong, []);
      assertEquals(computer.nativeDisplay.modifierState().mods, 0);
      assertEquals(await runX(display, "xmodmap", ["-pke"]), before, "keymap unchanged");
    }),
});

Deno.test({
  name: "NativeComputer.key() keeps Shift held across separate down and up events",
  ignore: skipX11,
  fn: () =>
    withKeyClient(async (computer, client, display) => {
      const before = await runX(display, "xmodmap", ["-pke"]);
      const table: Array<[string, number, number]> = [
        ["c", 0x43, SHIFT_MASK], // C
        ["1", 0x21, SHIFT_MASK], // exclam
        ["tab", 0xfe20, SHIFT_MASK], // ISO_Left_Tab, what shift+Tab sends on a real keyboard
      ];
      for (const [name, keysym, mask] of table) {
        client.lines.length = 0;
        await computer.key(key({ action: "down", keysym: "shift" }));
        await computer.key(key({ action: "down", keysym: name }));
        await computer.key(key({ action: "up", keysym: name }));
        await computer.key(key({ action: "up", keysym: "shift" }));
        await client.waitFor((l) => l.startsWith("key release ffe1 "));
        const [[ks, state] = [0, 0]] = presses(client);
        assertEquals([ks.toString(16), state & mask], [keysym.toString(16), mask], name);
      }
      assertEquals(await tap(computer, client, "tab", ["shift"]).then(([ks]) => ks), 0xfe20);
      assertEquals(await runX(display, "xmodmap", ["-pke"]), before, "keymap unchanged");
    }),
});

Deno.test({
  name: "NativeComputer.key() sends ctrl+shift chords on the layout's own key",
  ignore: skipX11,
  fn: () =>
    withKeyClient(async (computer, client, display) => {
      const onLayout = layoutKeycodes(await runX(display, "xmodmap", ["-pke"]));
      for (const [name, keysym] of [["t", 0x54], ["tab", 0xfe20], ["2", 0x40]] as const) {
        const [ks, state, code] = await tap(computer, client, name, ["ctrl", "shift"]);
        assertEquals(ks.toString(16), keysym.toString(16), name);
        assertEquals(state & (CONTROL_MASK | SHIFT_MASK), CONTROL_MASK | SHIFT_MASK, name);
        assertEquals(onLayout.has(code), true, `${name} on a layout keycode, got ${code}`);
      }
    }),
});

const noSetxkbmap = !(Deno.env.get("PATH") ?? "").split(":").some((dir) => {
  try {
    return Deno.statSync(`${dir}/setxkbmap`).isFile;
  } catch {
    return false;
  }
});
if (noSetxkbmap && !skipX11) console.log("skipping the German layout test: setxkbmap is missing");

Deno.test({
  name: "NativeComputer.key() and text() type AltGr characters on a German layout",
  ignore: skipX11 || (noSetxkbmap && Deno.env.get("CI") !== "true"),
  fn: () =>
    withKeyClient(async (computer, client, display) => {
      const before = await runX(display, "xmodmap", ["-pke"]);
      const onLayout = layoutKeycodes(before);
      // German layout: z and y swapped, Shift+2 is '"', AltGr+q is '@', AltGr+7 is '{'.
      // AltGr characters are pressed as AltGr plus the layout's key, like on the keyboard;
      // '€' is sent as its Unicode keysym, which the layout (EuroSign) lacks: a spare key.
      const table: Array<[string, string[], string, "layout" | "spare"]> = [
        ["z", [], "z", "layout"],
        ["y", ["shift"], "Y", "layout"],
        ["2", ["shift"], '"', "layout"],
        ["@", [], "@", "layout"],
        ["{", [], "{", "layout"],
        ["\\", [], "\\", "layout"],
        ["µ", [], "µ", "layout"],
        ["€", [], "€", "spare"],
        ["ß", [], "ß", "layout"],
        ["ä", ["shift"], "Ä", "layout"],
      ];
      for (const [name, modifiers, want, where] of table) {
        const [ks, , code] = await tap(computer, client, name, modifiers);
        const label = `${name}${modifiers.map((m) => "+" + m).join("")}`;
        assertEquals(keysymText(ks), want, label);
        assertEquals(onLayout.has(code) ? "layout" : "spare", where, `${label}: keycode ${code}`);
      }
      client.lines.length = 0;
      const text = "@€{[]}\\|~ Zürich ÄÖÜ ß µ";
      await computer.text(TextInputSchema.parse({ text, interval_ms: 0 }));
      await client.waitFor(() => presses(client).length >= [...text].length);
      const typed = presses(client).map(([ks]) => keysymText(ks)).join("");
      assertEquals(typed, text);
      const spares = presses(client).filter(([, , code]) => !onLayout.has(code));
      assertEquals(spares.map(([ks]) => keysymText(ks)), ["€"], "only '€' needs a spare key");
      assertEquals(await runX(display, "xmodmap", ["-pke"]), before, "keymap unchanged");
    }, "de"),
});

Deno.test({
  name: "NativeComputer.key() unmaps the spare keycode of a key the layout lacks after release",
  ignore: skipX11,
  fn: () =>
    withKeyClient(async (computer, client, display) => {
      const before = await runX(display, "xmodmap", ["-pke"]);
      await computer.key(key({ action: "down", keysym: "€" }));
      const held = await runX(display, "xmodmap", ["-pke"]);
      assertEquals(held.includes("EuroSign") || held.includes("U20AC"), true, "mapped while held");
      await computer.key(key({ action: "up", keysym: "€" }));
      await client.waitFor((l) => l.startsWith("key release "));
      assertEquals(keysymText(presses(client)[0]?.[0] ?? 0), "€");
      assertEquals(await runX(display, "xmodmap", ["-pke"]), before, "keymap restored");
    }),
});
