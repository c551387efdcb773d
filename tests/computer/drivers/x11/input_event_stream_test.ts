import { assert, assertEquals } from "../../../remote/_assert.ts";
import {
  decodeInputRecord,
  InputEventStream,
} from "../../../../src/computer/drivers/x11/input_event_stream.ts";
import { keyNameOf, keysymChar } from "../../../../src/computer/drivers/x11/_x_key_names.ts";
import type { InputEvent, KeyEvent, PointerEvent } from "../../../../src/computer/types/input.ts";
import { skipDesktop, withDesktop } from "./_desktop_fixture.ts";

Deno.test("keyNameOf() maps X keysym names to the canonical key names", () => {
  const cases: Array<[string, number, string]> = [
    ["Return", 0xff0d, "return"],
    ["KP_Enter", 0xff8d, "return"],
    ["Escape", 0xff1b, "escape"],
    ["BackSpace", 0xff08, "backspace"],
    ["ISO_Left_Tab", 0xfe20, "tab"],
    ["space", 0x20, "space"],
    ["Prior", 0xff55, "pageup"],
    ["Next", 0xff56, "pagedown"],
    ["Super_L", 0xffeb, "meta"],
    ["Control_R", 0xffe4, "ctrl"],
    ["Caps_Lock", 0xffe5, "caps_lock"],
    ["F11", 0xffc8, "f11"],
    ["A", 0x41, "a"],
    ["exclam", 0x21, "!"],
    ["eacute", 0xe9, "é"],
    ["XF86AudioMute", 0x1008ff12, "xf86audiomute"],
  ];
  for (const [name, keysym, expected] of cases) assertEquals(keyNameOf(name, keysym), expected);
  assertEquals([keysymChar(0x41), keysymChar(0xff0d), keysymChar(0x10020ac)], ["A", null, "€"]);
});

Deno.test("decodeInputRecord() reads the shim's 64-byte records", () => {
  const buf = new ArrayBuffer(128);
  const v = new DataView(buf);
  v.setUint8(0, 1); // pointer
  v.setUint8(1, 1); // down
  v.setUint8(2, 3); // right button
  v.setUint32(4, 0x05, true); // shift + ctrl
  v.setInt32(8, 10, true);
  v.setInt32(12, 20, true);
  v.setFloat64(32, 1700000000.5, true);
  v.setUint8(64, 2); // key
  v.setUint8(65, 2); // up
  v.setUint32(64 + 24, 0xff0d, true);
  v.setUint32(64 + 28, 36, true);
  new Uint8Array(buf, 64 + 40, 6).set(new TextEncoder().encode("Return"));
  const p = decodeInputRecord(v, 0) as PointerEvent;
  assertEquals([p.action, p.button, p.point, p.modifiers], [
    "down",
    "right",
    { x: 10, y: 20 },
    ["shift", "ctrl"],
  ]);
  assertEquals(p.timestamp, 1700000000.5);
  const k = decodeInputRecord(v, 64) as KeyEvent;
  assertEquals([k.action, k.keysym, k.char, k.scancode], ["up", "return", null, 36]);
});

function isKey(e: InputEvent): e is KeyEvent {
  return "keysym" in e;
}

Deno.test({
  name: "InputEventStream delivers real pointer and key events in order",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, run }) => {
      await run("xdotool", ["mousemove", "100", "100"]);
      const stream = await InputEventStream.open({ display });
      const events: InputEvent[] = [];
      const controller = new AbortController();
      const reading = (async () => {
        for await (const e of stream.events(controller.signal)) {
          events.push(e);
          if (isKey(e) && e.keysym === "return" && e.action === "up") controller.abort();
        }
      })();
      // open() returns once the X server has confirmed the event selection, so everything
      // xdotool does from here on is seen (no sleep). A bound ends a hang with a clear failure.
      const hang = setTimeout(() => controller.abort(), 30_000);
      await run("xdotool", ["mousemove_relative", "--", "15", "25"]);
      await run("xdotool", ["click", "1", "click", "4"]);
      await run("xdotool", ["keydown", "shift", "key", "a", "keyup", "shift", "key", "Return"]);
      await reading;
      clearTimeout(hang);
      const pointer = events.filter((e): e is PointerEvent => !isKey(e));
      const moves = pointer.filter((e) => e.action === "move");
      assert(moves.some((e) => e.point.x === 115 && e.point.y === 125), JSON.stringify(moves));
      const buttons = pointer.filter((e) => e.action !== "move").map((e) => [e.action, e.button]);
      assertEquals(buttons, [["down", "left"], ["up", "left"], ["scroll", null]]);
      assertEquals(pointer.find((e) => e.action === "scroll")?.dy, 1);
      const keys = events.filter(isKey).map((e) => `${e.action} ${e.keysym} ${e.modifiers}`);
      // xdotool may add a redundant release; the events it really caused come in this order.
      const expected = [
        "down shift ",
        "down a shift",
        "up a shift",
        "up shift shift",
        "down return ",
        "up return ",
      ];
      let at = 0;
      for (const k of keys) if (k === expected[at]) at++;
      assertEquals(at, expected.length, `key events ${JSON.stringify(keys)}`);
      const a = events.filter(isKey).find((e) => e.keysym === "a");
      assertEquals(a?.char, "A");
    }),
});

Deno.test({
  name: "InputEventStream drops the oldest events for a slow consumer and keeps the newest",
  ignore: skipDesktop,
  fn: () =>
    withDesktop(async ({ display, run }) => {
      const stream = await InputEventStream.open({ display, capacity: 4 });
      const iterator = stream.events();
      try {
        // 20 key events (10 presses) while nobody reads (the selection is in place once open()
        // returned). The reader thread may still be taking them in when reading starts, so the
        // test reads until the last one and checks what holds whatever the timing: nothing is
        // lost unaccounted, order is kept, the newest four arrive and older ones were dropped.
        const letters = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        await run("xdotool", ["key", ...letters]);
        const all = letters.flatMap((l) => [`down ${l}`, `up ${l}`]);
        const got: string[] = [];
        const deadline = Date.now() + 30_000;
        while (got.at(-1) !== "up j") {
          if (Date.now() > deadline) throw new Error(`"up j" never arrived; got ${got}`);
          const e = (await iterator.next()).value as KeyEvent;
          got.push(`${e.action} ${e.keysym}`);
        }
        assertEquals(got.slice(-4), ["down i", "up i", "down j", "up j"]);
        const positions = got.map((g) => all.indexOf(g));
        assert(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), `${got}`);
        assertEquals(got.length + stream.dropped, all.length, `got ${got}`);
        assert(stream.dropped > 0, "the slow consumer lost the oldest events");
      } finally {
        await iterator.return(undefined);
      }
    }),
});
