import assert from "node:assert/strict";
import { FakeComputer } from "../../../src/computer/drivers/fake/fake_computer.ts";
import {
  click,
  clipboardText,
  doubleClick,
  drag,
  hotkey,
  press,
  scroll,
  setClipboardText,
  typeText,
} from "../../../src/computer/client/helpers.ts";
import { openSession } from "../_session.ts";

function pointerLog(fake: FakeComputer): string[] {
  return fake.actions.filter((a) => a.method === "input.pointer").map((a) => {
    const e = a.params.event as {
      action: string;
      point: { x: number; y: number };
      button: string | null;
      dy: number;
    };
    return `${e.action}@${e.point.x},${e.point.y}${e.button ? `:${e.button}` : ""}${
      e.action === "scroll" ? ` dy=${e.dy}` : ""
    }`;
  });
}

function keyLog(fake: FakeComputer): string[] {
  return fake.actions.filter((a) => a.method === "input.key").map((a) => {
    const e = a.params.event as { action: string; keysym: string };
    return `${e.action} ${e.keysym}`;
  });
}

Deno.test("click(), doubleClick(), drag() and scroll() send the primitive pointer sequences", async () => {
  const cases = [
    {
      name: "click",
      run: (f: FakeComputer) => click(f, { x: 1, y: 2 }),
      log: ["move@1,2", "down@1,2:left", "up@1,2:left"],
    },
    {
      name: "right click",
      run: (f: FakeComputer) => click(f, { x: 1, y: 2 }, { button: "right" }),
      log: ["move@1,2", "down@1,2:right", "up@1,2:right"],
    },
    {
      name: "double click",
      run: (f: FakeComputer) => doubleClick(f, { x: 3, y: 4 }),
      log: ["move@3,4", "down@3,4:left", "up@3,4:left", "down@3,4:left", "up@3,4:left"],
    },
    {
      name: "drag",
      run: (f: FakeComputer) => drag(f, { x: 0, y: 0 }, { x: 9, y: 9 }),
      log: ["move@0,0", "down@0,0:left", "move@9,9:left", "up@9,9:left"],
    },
    {
      name: "scroll",
      run: (f: FakeComputer) => scroll(f, { x: 5, y: 5 }, { dy: -3 }),
      log: ["scroll@5,5 dy=-3"],
    },
  ];
  for (const c of cases) {
    const fake = new FakeComputer();
    await c.run(fake);
    assert.deepEqual(pointerLog(fake), c.log, c.name);
  }
  await assert.rejects(() => click(new FakeComputer(), { x: 0, y: 0 }, { count: 0 }), RangeError);
});

Deno.test("press() and hotkey() wrap keys in modifier downs and ups in the right order", async () => {
  const fake = new FakeComputer();
  await press(fake, "Enter", { modifiers: ["ctrl", "shift"] });
  assert.deepEqual(keyLog(fake), [
    "down ctrl",
    "down shift",
    "down return",
    "up return",
    "up shift",
    "up ctrl",
  ]);
  const combo = new FakeComputer();
  await hotkey(combo, ["ctrl", "alt", "Del"]);
  assert.deepEqual(keyLog(combo), [
    "down ctrl",
    "down alt",
    "down delete",
    "up delete",
    "up alt",
    "up ctrl",
  ]);
  await assert.rejects(() => hotkey(combo, []), RangeError);
});

Deno.test("typeText(), setClipboardText() and clipboardText() work over a remote session", async () => {
  const fake = new FakeComputer();
  await using s = await openSession(fake);
  await typeText(s.remote, "remote text", { intervalMs: 5 });
  assert.equal(fake.typed, "remote text");
  await setClipboardText(s.remote, "π ≈ 3.14");
  assert.equal(await clipboardText(s.remote), "π ≈ 3.14");
  await click(s.remote, { x: 10.5, y: 20.25 });
  assert.deepEqual(pointerLog(fake), [
    "move@10.5,20.25",
    "down@10.5,20.25:left",
    "up@10.5,20.25:left",
  ]);
});
