import { assert, assertEquals, assertRejects } from "../../../remote/_assert.ts";
import { RemoteError } from "../../../../src/protocol/errors.ts";
import { NativeComputer } from "../../../../src/computer/drivers/x11/native_computer.ts";
import {
  KeyEventSchema,
  PointerEventSchema,
  TextInputSchema,
} from "../../../../src/computer/types/input.ts";
import { runX, skipX11, startClient, withXvfb, type XClient } from "./_x11_fixture.ts";

const SHIFT_MASK = 1;
const CONTROL_MASK = 4;

const pointer = (init: Record<string, unknown>) => PointerEventSchema.parse(init);
const key = (init: Record<string, unknown>) => KeyEventSchema.parse(init);

/** The character an X keysym stands for (Latin-1, Unicode keysyms, Return, Tab). */
function keysymChar(keysym: number): string {
  if (keysym === 0xff0d) return "\n";
  if (keysym === 0xff09) return "\t";
  if (keysym >= 0x01000000) return String.fromCodePoint(keysym - 0x01000000);
  return String.fromCodePoint(keysym);
}

/** Characters of the key presses the client saw, modifier keys left out. */
function typedText(client: XClient): string {
  return client.lines
    .filter((l) => l.startsWith("key press "))
    .map((l) => parseInt(l.split(" ")[2] ?? "0", 16))
    .filter((ks) => ks < 0xffe1 || ks > 0xffee)
    .map(keysymChar)
    .join("");
}

async function withEvents(
  fn: (computer: NativeComputer, client: XClient, display: string) => Promise<void>,
): Promise<void> {
  await withXvfb(async (xvfb) => {
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

Deno.test({
  name: "NativeComputer.pointer() moves, clicks and scrolls where a real client sees it",
  ignore: skipX11,
  fn: () =>
    withEvents(async (computer, client, display) => {
      await computer.pointer(pointer({ action: "move", point: { x: 123.4, y: 77.6 } }));
      await client.waitFor((l) => l === "motion 123 78");
      assertEquals(await computer.cursorPosition(), { x: 123, y: 78 });
      assertEquals((await runX(display, "xdotool", ["getmouselocation"])).split(" ").slice(0, 2), [
        "x:123",
        "y:78",
      ]);
      const table: Array<[Record<string, unknown>, string[]]> = [
        [{ action: "down", point: { x: 10, y: 20 }, button: "left" }, ["button press 1 10 20"]],
        [{ action: "up", point: { x: 10, y: 20 }, button: "left" }, ["button release 1 10 20"]],
        [{ action: "down", point: { x: 30, y: 40 }, button: "right" }, ["button press 3 30 40"]],
        [{ action: "up", point: { x: 30, y: 40 }, button: "right" }, ["button release 3 30 40"]],
        [{ action: "down", point: { x: 5, y: 5 }, button: "middle" }, ["button press 2 5 5"]],
        [{ action: "up", point: { x: 5, y: 5 }, button: "middle" }, ["button release 2 5 5"]],
        [{ action: "scroll", point: { x: 50, y: 60 }, dy: 2 }, ["button press 4 50 60"]],
        [{ action: "scroll", point: { x: 50, y: 60 }, dy: -1 }, ["button press 5 50 60"]],
        [{ action: "scroll", point: { x: 50, y: 60 }, dx: 1 }, ["button press 7 50 60"]],
        [{ action: "scroll", point: { x: 50, y: 60 }, dx: -1 }, ["button press 6 50 60"]],
      ];
      for (const [event, expected] of table) {
        client.lines.length = 0;
        await computer.pointer(pointer(event));
        for (const line of expected) {
          await client.waitFor((l) => l.startsWith(line));
        }
      }
      client.lines.length = 0;
      await computer.pointer(pointer({ action: "scroll", point: { x: 50, y: 60 }, dy: 2 }));
      // A later move is a witness: X delivers one client's events in order, so once its motion
      // arrives every wheel click the scroll caused has arrived too.
      await computer.pointer(pointer({ action: "move", point: { x: 71, y: 72 } }));
      await client.waitFor((l) => l === "motion 71 72");
      assertEquals(client.lines.filter((l) => l.startsWith("button press 4")).length, 2);
    }),
});

Deno.test({
  name: "NativeComputer.pointer() holds modifiers for the event only",
  ignore: skipX11,
  fn: () =>
    withEvents(async (computer, client) => {
      await computer.pointer(
        pointer({ action: "down", point: { x: 9, y: 9 }, button: "left", modifiers: ["ctrl"] }),
      );
      const press = await client.waitFor((l) => l.startsWith("button press 1"));
      assert((Number(press.split(" ")[5]) & CONTROL_MASK) !== 0, `ctrl held: ${press}`);
      await computer.pointer(pointer({ action: "up", point: { x: 9, y: 9 }, button: "left" }));
      const release = await client.waitFor((l) => l.startsWith("button release 1"));
      assertEquals(Number(release.split(" ")[5]) & CONTROL_MASK, 0, `ctrl released: ${release}`);
      assertEquals(computer.nativeDisplay.modifierState().mods & ~0x100, 0);
    }),
});

Deno.test({
  name: "NativeComputer.key() presses named keys with modifiers and releases them",
  ignore: skipX11,
  fn: () =>
    withEvents(async (computer, client) => {
      await computer.key(key({ action: "down", keysym: "a", modifiers: ["ctrl", "shift"] }));
      await computer.key(key({ action: "up", keysym: "a" }));
      const press = await client.waitFor((l) =>
        l.startsWith("key press 41 ") || l.startsWith("key press 61 ")
      );
      const state = Number(press.split(" ")[3]);
      assertEquals(state & (CONTROL_MASK | SHIFT_MASK), CONTROL_MASK | SHIFT_MASK);
      assertEquals(computer.nativeDisplay.modifierState().mods, 0);
      const table: Array<[string, number]> = [
        ["Return", 0xff0d],
        ["esc", 0xff1b],
        ["f5", 0xffc2],
        ["pgdn", 0xff56],
        ["arrowleft", 0xff51],
        ["ctrl", 0xffe3],
        // pyautogui's names, as the original's clients send them.
        ["shiftleft", 0xffe1],
        ["ctrlright", 0xffe3],
        ["num0", 0xffb0],
        ["num9", 0xffb9],
        ["add", 0xffab],
        ["prtsc", 0xff61],
        ["apps", 0xff67],
        ["help", 0xff6a],
        ["volumeup", 0x1008ff13],
        ["\n", 0xff0d],
        ["\t", 0xff09],
      ];
      for (const [name, keysym] of table) {
        client.lines.length = 0;
        await computer.key(key({ action: "down", keysym: name }));
        await computer.key(key({ action: "up", keysym: name }));
        await client.waitFor((l) => l.startsWith(`key release ${keysym.toString(16)} `));
      }
      await assertRejects(
        () => computer.key(key({ action: "down", keysym: "no-such-key" })),
        RemoteError,
        "Unknown key name",
      );
      // fn has no X11 equivalent: accepted and ignored, as a modifier and as a key.
      client.lines.length = 0;
      await computer.key(key({ action: "down", keysym: "fn" }));
      await computer.key(key({ action: "down", keysym: "b", modifiers: ["fn"] }));
      await computer.key(key({ action: "up", keysym: "b", modifiers: ["fn"] }));
      await computer.key(key({ action: "up", keysym: "fn" }));
      const plain = await client.waitFor((l) => l.startsWith("key press 62 "));
      assertEquals(Number(plain.split(" ")[3]), 0, "no modifier held for fn");
      assertEquals(computer.nativeDisplay.modifierState().mods, 0);
    }),
});

Deno.test({
  name: "NativeComputer.text() types ASCII, accents, CJK and symbols intact through XTEST",
  ignore: skipX11,
  fn: () =>
    withEvents(async (computer, client, display) => {
      const before = await runX(display, "xmodmap", ["-pke"]);
      const text = "Hello, World! ~`|\\ {x} 1+1=2\tnaïve café Ünïcödé ¿Qué? " +
        "日本語のテキスト 中文 한국어 €∑→✓ 😀 Ωμέγα done\n";
      await computer.text(TextInputSchema.parse({ text, interval_ms: 0 }));
      const expected = text.replaceAll("\r", "");
      // Wait for the exact text (not a character count), then compare for a readable diff.
      await client.waitFor(() => typedText(client) === expected, 10_000).catch(() => {});
      assertEquals(typedText(client), expected);
      assertEquals(computer.nativeDisplay.modifierState().mods, 0);
      assertEquals(await runX(display, "xmodmap", ["-pke"]), before, "keymap restored");
      await assertRejects(
        () => computer.text(TextInputSchema.parse({ text: "bell\u0007" })),
        RemoteError,
        "U+0007",
      );
    }),
});
