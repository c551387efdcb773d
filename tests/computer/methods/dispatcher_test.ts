import assert from "node:assert/strict";
import { FakeComputer } from "../../../src/computer/drivers/fake/fake_computer.ts";
import { textClipboard } from "../../../src/computer/types/clipboard.ts";
import type { WireMap } from "../../../src/protocol/handler.ts";
import { openSession, tempDir } from "../_session.ts";

const KEYS = {
  manifest: ["capabilities", "limits", "protocol_version", "backend", "description"],
  environment: ["os", "os_version", "hostname", "locale", "timezone", "displays"],
  display: ["id", "bounds", "scale_factor", "primary", "name"],
  rect: ["x", "y", "width", "height"],
  point: ["x", "y"],
  pixmap: [
    "data",
    "format",
    "width",
    "height",
    "logical_width",
    "logical_height",
    "display_id",
    "captured_at",
  ],
  window: ["id", "title", "app_name", "pid", "bounds", "focused", "minimized", "workspace"],
  element: [
    "role",
    "name",
    "value",
    "bounds",
    "focused",
    "enabled",
    "actions",
    "children",
    "metadata",
  ],
  clipboard: ["entries"],
  entry: ["mime_type", "data"],
  file: ["path", "name", "is_dir", "size", "mtime", "mode"],
  command: ["returncode", "stdout", "stderr", "duration"],
  process: ["pid", "name", "ppid", "cmdline"],
  notification: ["id", "title", "body", "app", "timestamp"],
  frame: ["pixmap", "frame_number", "keyframe"],
  pointer: [
    "action",
    "point",
    "button",
    "modifiers",
    "dx",
    "dy",
    "pressure",
    "tilt_x",
    "tilt_y",
    "timestamp",
  ],
  key: ["action", "keysym", "char", "scancode", "modifiers", "is_repeat", "timestamp"],
};

function keys(value: unknown): string[] {
  assert.ok(value !== null && typeof value === "object", `expected a map, got ${String(value)}`);
  return Object.keys(value as object);
}

function map(value: unknown): WireMap {
  assert.ok(value !== null && typeof value === "object");
  return value as WireMap;
}

const element = {
  role: "push button",
  name: "OK",
  bounds: { x: 10, y: 80, width: 60, height: 24 }, // window 1 after windows.move to (0, 0)
};

Deno.test("Dispatcher.call() answers every unary method with the catalogue's exact keys", async () => {
  await using dir = await tempDir();
  const fake = new FakeComputer();
  await using s = await openSession(fake);
  const file = `${dir.path}/a.bin`;
  const cases: [string, WireMap, (r: WireMap | null) => void][] = [
    ["system.capabilities", {}, (r) => assert.deepEqual(keys(r), KEYS.manifest)],
    ["system.environment", {}, (r) => {
      assert.deepEqual(keys(r), KEYS.environment);
      assert.deepEqual(keys((r!.displays as unknown[])[0]), KEYS.display);
    }],
    ["display.displays", {}, (r) => {
      assert.deepEqual(keys(r), ["items"]);
      const d = map((r!.items as unknown[])[0]);
      assert.deepEqual(keys(d), KEYS.display);
      assert.deepEqual(keys(d.bounds), KEYS.rect);
    }],
    ["display.capture", { display_id: null, region: null, downscale: true }, (r) => {
      assert.deepEqual(keys(r), KEYS.pixmap);
      assert.deepEqual([...(r!.data as Uint8Array).subarray(1, 4)], [0x50, 0x4e, 0x47]);
    }],
    ["display.cursor_position", {}, (r) => assert.deepEqual(keys(r), KEYS.point)],
    ["input.pointer", { event: { action: "move", point: { x: 5, y: 6 } } }, (r) => {
      assert.equal(r, null);
    }],
    ["input.key", { event: { action: "down", keysym: "a" } }, (r) => assert.equal(r, null)],
    ["input.text", { text_input: { text: "hi" } }, (r) => assert.equal(r, null)],
    ["windows.list", {}, (r) => {
      assert.deepEqual(keys(map((r!.items as unknown[])[0])), KEYS.window);
    }],
    ["windows.focused", {}, (r) => {
      assert.deepEqual(keys(r), ["window"]);
      assert.deepEqual(keys(r!.window), KEYS.window);
    }],
    ["windows.focus", { window_id: "1" }, (r) => assert.equal(r, null)],
    ["windows.move", { window_id: "1", bounds: { x: 0, y: 0, width: 50, height: 40 } }, (r) => {
      assert.equal(r, null);
    }],
    ["apps.open", { name: "Calculator" }, (r) => assert.equal(r, null)],
    ["apps.focus", { name: "Editor" }, (r) => assert.equal(r, null)],
    ["apps.list", {}, (r) => assert.deepEqual(r, { items: ["Terminal", "Calculator", "Editor"] })],
    ["apps.close", { name: "Calculator" }, (r) => assert.equal(r, null)],
    ["windows.close", { window_id: "2" }, (r) => assert.equal(r, null)],
    ["ui.tree", { window_id: null, app: "editor", max_depth: 8 }, (r) => {
      assert.deepEqual(keys(r), KEYS.element);
      assert.deepEqual(keys(map((r!.children as unknown[])[0])), KEYS.element);
    }],
    ["ui.action", { element, action: "click", app: null }, (r) => assert.equal(r, null)],
    ["clipboard.write", { contents: textClipboard("copied") }, (r) => assert.equal(r, null)],
    ["clipboard.read", {}, (r) => {
      assert.deepEqual(keys(r), KEYS.clipboard);
      assert.deepEqual(keys((r!.entries as unknown[])[0]), KEYS.entry);
    }],
    ["fs.mkdir", { path: `${dir.path}/sub/deeper`, parents: true }, (r) => assert.equal(r, null)],
    ["fs.write", { path: file, data: new Uint8Array([0, 255, 7]) }, (r) => assert.equal(r, null)],
    ["fs.read", { path: file }, (r) => assert.deepEqual(r, { data: new Uint8Array([0, 255, 7]) })],
    ["fs.stat", { path: file }, (r) => assert.deepEqual(keys(r), KEYS.file)],
    ["fs.list", { path: dir.path }, (r) => {
      assert.deepEqual(keys(map((r!.items as unknown[])[0])), KEYS.file);
    }],
    ["fs.move", { src: file, dst: `${dir.path}/b.bin` }, (r) => assert.equal(r, null)],
    ["fs.delete", { path: `${dir.path}/b.bin` }, (r) => assert.equal(r, null)],
    [
      "process.list",
      {},
      (r) => assert.deepEqual(keys(map((r!.items as unknown[])[0])), KEYS.process),
    ],
    ["process.shell", { command: "printf ok" }, (r) => {
      assert.deepEqual(keys(r), KEYS.command);
      assert.equal(new TextDecoder().decode(r!.stdout as Uint8Array), "ok");
    }],
    [
      "process.exec",
      { argv: ["printf", "%s", "x"] },
      (r) => assert.deepEqual(keys(r), KEYS.command),
    ],
    ["power.lock", {}, (r) => assert.equal(r, null)],
    ["notifications.list", {}, (r) => {
      assert.deepEqual(keys(map((r!.items as unknown[])[0])), KEYS.notification);
    }],
  ];
  assert.equal(cases.length, 33);
  for (const [method, params, check] of cases) {
    check(await s.raw(method, params));
  }
  assert.deepEqual(fake.actions.map((a) => a.method), [
    "input.pointer",
    "input.key",
    "input.text",
    "windows.focus",
    "windows.move",
    "apps.open",
    "apps.focus",
    "apps.close",
    "windows.close",
    "ui.action",
    "clipboard.write",
    "power.lock",
  ]);
  assert.equal(fake.typed, "hi");
  assert.ok(fake.locked);
});

Deno.test("Dispatcher.stream() serves display.subscribe and input.subscribe with the catalogue's keys", async () => {
  const fake = new FakeComputer({
    streamFrames: 3,
    inputScript: [
      {
        action: "down",
        keysym: "a",
        char: "a",
        scancode: 38,
        modifiers: [],
        is_repeat: false,
        timestamp: 1,
      },
      {
        action: "move",
        point: { x: 1, y: 2 },
        button: null,
        modifiers: [],
        dx: 0,
        dy: 0,
        pressure: null,
        tilt_x: null,
        tilt_y: null,
        timestamp: 2,
      },
    ],
  });
  await using s = await openSession(fake);
  const frames: WireMap[] = [];
  for await (
    const item of s.client.stream("display.subscribe", { display_id: null, fps: 30, region: null })
  ) {
    frames.push(item);
  }
  assert.equal(frames.length, 3);
  assert.deepEqual(frames.map((f) => f.frame_number), [0, 1, 2]);
  for (const f of frames) {
    assert.deepEqual(keys(f), KEYS.frame);
    assert.deepEqual(keys(f.pixmap), KEYS.pixmap);
  }
  const events: WireMap[] = [];
  for await (const item of s.client.stream("input.subscribe", {})) events.push(item);
  assert.deepEqual(keys(events[0]), KEYS.key);
  assert.deepEqual(keys(events[1]), KEYS.pointer);
});

Deno.test("Dispatcher sends float-typed fields as float64, byte-identical to the res_point_result vector", async () => {
  const fixture = new URL("../../fixtures/frames/res/res_point_result.hex", import.meta.url);
  const expected = (await Deno.readTextFile(fixture)).replace(/\s+/g, "");
  const fake = new FakeComputer();
  await fake.pointer({
    action: "move",
    point: { x: 50, y: 60 },
    button: null,
    modifiers: [],
    dx: 0,
    dy: 0,
    pressure: null,
    tilt_x: null,
    tilt_y: null,
    timestamp: 0,
  });
  await using s = await openSession(fake);
  assert.deepEqual(await s.raw("display.cursor_position"), { x: 50, y: 60 });
  const res = s.serverConnection.sent.at(-1)!;
  const hex = Array.from(res, (b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(hex, expected);
});
