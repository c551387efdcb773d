import assert from "node:assert/strict";
import {
  findMethod,
  isIdempotentMethod,
  isObservationMethod,
  methodNames,
  METHODS,
} from "../../../src/computer/methods/methods.ts";
import type { WireMap } from "../../../src/protocol/handler.ts";

const UNARY = [
  "system.capabilities",
  "system.environment",
  "display.displays",
  "display.capture",
  "display.pixel", // opendesk extension, not in the catalogue
  "display.cursor_position",
  "input.pointer",
  "input.key",
  "input.text",
  "windows.list",
  "windows.focused",
  "windows.focus",
  "windows.move",
  "windows.close",
  "apps.open",
  "apps.close",
  "apps.focus",
  "apps.list",
  "ui.tree",
  "ui.action",
  "clipboard.read",
  "clipboard.write",
  "fs.read",
  "fs.write",
  "fs.list",
  "fs.stat",
  "fs.delete",
  "fs.move",
  "fs.mkdir",
  "process.list",
  "process.shell",
  "process.exec",
  "power.lock",
  "notifications.list",
];

// Methods that only read the screen or state: allowed without a prompt in console mode.
const OBSERVATION = [
  "system.capabilities",
  "system.environment",
  "display.capture",
  "display.pixel",
  "display.cursor_position",
  "display.displays",
  "display.subscribe",
  "windows.list",
  "windows.focused",
  "ui.tree",
  "clipboard.read",
  "fs.read",
  "fs.list",
  "fs.stat",
  "process.list",
  "apps.list",
  "notifications.list",
  "input.subscribe",
];

// Methods that a reconnecting client may safely replay.
const IDEMPOTENT = [
  "system.environment",
  "display.capture",
  "display.pixel",
  "display.cursor_position",
  "display.displays",
  "windows.list",
  "windows.focused",
  "ui.tree",
  "clipboard.read",
  "fs.read",
  "fs.list",
  "fs.stat",
  "process.list",
  "apps.list",
  "notifications.list",
];

Deno.test("METHODS defines the 33 unary and 2 streaming methods of the catalogue and display.pixel, once each", () => {
  assert.deepEqual(METHODS.filter((m) => !m.stream).map((m) => m.name), UNARY);
  assert.deepEqual(METHODS.filter((m) => m.stream).map((m) => m.name), [
    "display.subscribe",
    "input.subscribe",
  ]);
  assert.equal(new Set(METHODS.map((m) => m.name)).size, 36);
});

Deno.test("findMethod() resolves both names of the aliased pairs to one definition", () => {
  assert.equal(findMethod("ui.perform"), findMethod("ui.action"));
  assert.equal(findMethod("system.lock"), findMethod("power.lock"));
  assert.equal(findMethod("nope.nope"), undefined);
  assert.equal(methodNames().length, 38);
  assert.ok(methodNames().includes("ui.perform") && methodNames().includes("system.lock"));
});

Deno.test("Every method's observation and idempotent flags match the specification", () => {
  for (const name of methodNames()) {
    const def = findMethod(name)!;
    assert.equal(isObservationMethod(name), OBSERVATION.includes(def.name), name);
    assert.equal(isIdempotentMethod(name), IDEMPOTENT.includes(def.name), name);
    assert.equal(
      def.kind,
      def.stream ? "stream" : OBSERVATION.includes(def.name) ? "observation" : "action",
      name,
    );
    assert.ok(def.help.length > 0 && !def.help.endsWith("."), name);
  }
});

Deno.test("Method summaries match the reference's prompt and audit text", () => {
  const element = { role: "push button", name: "", bounds: null };
  const cases: [string, WireMap, string][] = [
    [
      "input.pointer",
      { event: { action: "down", point: { x: 10, y: 20.5 }, button: "left" } },
      "send pointer down at (10.0, 20.5)",
    ],
    ["input.key", { event: { action: "up", keysym: "return" } }, "send key up 'return'"],
    ["input.text", { text_input: { text: "x".repeat(45) } }, `type 45 chars: '${"x".repeat(40)}…'`],
    ["input.text", { text_input: { text: "hi" } }, "type 2 chars: 'hi'"],
    ["process.shell", { command: "ls -la" }, "run shell: 'ls -la'"],
    ["process.exec", { argv: ["git", "status"] }, "exec: 'git status'"],
    ["fs.write", { path: "/a", data: new Uint8Array() }, "write file: /a"],
    ["fs.delete", { path: "/a" }, "delete file: /a"],
    ["fs.mkdir", { path: "/a" }, "mkdir file: /a"],
    ["fs.stat", { path: "/a" }, "stat file: /a"],
    ["fs.read", { path: "/a" }, "read file: /a"],
    ["fs.move", { src: "/a", dst: "/b" }, "move /a → /b"],
    ["clipboard.write", { contents: { entries: [] } }, "write to the clipboard"],
    ["apps.open", { name: "Mail" }, "open app: 'Mail'"],
    ["apps.close", { name: "Mail" }, "close app: 'Mail'"],
    ["apps.focus", { name: "Mail" }, "focus app: 'Mail'"],
    ["windows.focus", { window_id: "3" }, "windows.focus (window_id='3')"],
    [
      "windows.move",
      { window_id: "3", bounds: { x: 0, y: 0, width: 10, height: 5.5 } },
      "windows.move (window_id='3', bounds={'x': 0, 'y': 0, 'width': 10, 'height': 5.5})",
    ],
    ["ui.action", { element, action: "press" }, "ui action 'press' on push button"],
    ["ui.perform", { element: { ...element, name: "Save" } }, "ui action 'click' on Save"],
    ["power.lock", {}, "lock the screen"],
    ["system.lock", {}, "lock the screen"],
    ["display.capture", {}, "display.capture"],
  ];
  for (const [method, params, summary] of cases) {
    const def = findMethod(method)!;
    assert.equal(def.summary(def.params.parse(params)), summary, method);
  }
});

Deno.test("encodeParams() emits the reference's keys and order, extensions only when given", () => {
  const capture = findMethod("display.capture")!;
  assert.deepEqual(Object.keys(capture.encodeParams(capture.params.parse({}))), [
    "display_id",
    "region",
    "downscale",
  ]);
  assert.deepEqual(
    Object.keys(
      capture.encodeParams(capture.params.parse({ max_width: 800, format: "jpeg", quality: 70 })),
    ),
    ["display_id", "region", "downscale", "max_width", "format", "quality"],
  );
  const tree = findMethod("ui.tree")!;
  assert.deepEqual(Object.keys(tree.encodeParams(tree.params.parse({}))), [
    "window_id",
    "app",
    "max_depth",
  ]);
  const read = findMethod("fs.read")!;
  assert.deepEqual(read.encodeParams(read.params.parse({ path: "/x" })), { path: "/x" });
  const exec = findMethod("process.exec")!;
  assert.deepEqual(Object.keys(exec.encodeParams(exec.params.parse({ argv: ["ls"] }))), [
    "argv",
    "timeout",
    "cwd",
    "env",
    "stdin",
  ]);
  const pointer = findMethod("input.pointer")!;
  const event = pointer.encodeParams(
    pointer.params.parse({ event: { action: "move", point: { x: 1, y: 2 } } }),
  ).event as WireMap;
  assert.deepEqual(Object.keys(event), [
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
  ]);
});

Deno.test("Every documented parameter is a key the method encodes", () => {
  const samples: Record<string, WireMap> = {
    "display.capture": {
      max_width: 1,
      max_height: 1,
      max_pixels: 1,
      format: "png",
      quality: 1,
      cursor: true,
      compact: true,
    },
    "display.subscribe": {
      delta: true,
      keyframe_interval: 2,
      downscale: false,
      max_width: 1,
      max_height: 1,
      max_pixels: 1,
      format: "png",
      quality: 1,
      cursor: true,
      compact: true,
    },
    "input.pointer": { event: { action: "move", point: { x: 0, y: 0 } } },
    "input.key": { event: { action: "down", keysym: "a" } },
    "display.pixel": { point: { x: 1, y: 2 } },
    "input.text": { text_input: { text: "" } },
    "windows.focus": { window_id: "1" },
    "windows.close": { window_id: "1" },
    "windows.move": { window_id: "1", bounds: { x: 0, y: 0, width: 1, height: 1 } },
    "apps.open": { name: "a" },
    "apps.close": { name: "a" },
    "apps.focus": { name: "a" },
    "ui.tree": { max_nodes: 1, deadline_ms: 1, interactive_only: true, refs: true },
    "ui.action": { element: { role: "r" }, ref: "e1", action: "set_text", text: "t" },
    "clipboard.write": { contents: { entries: [] } },
    "fs.read": { path: "/", offset: 0, length: 1 },
    "fs.write": { path: "/", data: new Uint8Array(), offset: 0, size: 0, upload: "u" },
    "fs.list": { path: "/" },
    "fs.stat": { path: "/" },
    "fs.delete": { path: "/" },
    "fs.move": { src: "/", dst: "/" },
    "fs.mkdir": { path: "/" },
    "process.shell": { command: "true" },
    "process.exec": { argv: ["true"] },
    "system.capabilities": { absent: true, extensions: true },
  };
  for (const def of METHODS) {
    const encoded = def.encodeParams(def.params.parse(samples[def.name] ?? {}));
    assert.deepEqual(def.paramDocs.map((d) => d.name), Object.keys(encoded), def.name);
  }
});
