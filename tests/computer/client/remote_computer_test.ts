import assert from "node:assert/strict";
import { FakeComputer } from "../../../src/computer/drivers/fake/fake_computer.ts";
import { SessionEvictedError } from "../../../src/computer/client/session_evicted_error.ts";
import type { CallRecord } from "../../../src/computer/methods/dispatcher.ts";
import { textClipboard } from "../../../src/computer/types/clipboard.ts";
import {
  CapabilityUnsupportedError,
  PermissionDeniedError,
  RemoteError,
} from "../../../src/protocol/errors.ts";
import { openSession, rejection, waitUntil } from "../_session.ts";

const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("RemoteComputer exposes every operation with decoded, typed results", async () => {
  const fake = new FakeComputer({ displayCount: 2 });
  await using s = await openSession(fake);
  const r = s.remote;
  assert.equal(r.backend, "fake");
  assert.ok(r.capabilities().capabilities.includes("display.multi_monitor"));
  const env = await r.environment();
  assert.equal(env.displays.length, 2);
  const displays = await r.displays();
  assert.deepEqual(displays[1]!.bounds, { x: 320, y: 0, width: 320, height: 200 });
  const shot = await r.capture({ display_id: "2", region: null });
  assert.ok(shot.data instanceof Uint8Array);
  assert.deepEqual([shot.width, shot.height, shot.display_id], [320, 200, "2"]);
  await r.pointer({
    action: "move",
    point: { x: 7, y: 8 },
    button: null,
    modifiers: [],
    dx: 0,
    dy: 0,
    pressure: null,
    tilt_x: null,
    tilt_y: null,
    timestamp: 1,
  });
  assert.deepEqual(await r.cursorPosition(), { x: 7, y: 8 });
  await r.key({
    action: "down",
    keysym: "a",
    char: null,
    scancode: null,
    modifiers: ["shift"],
    is_repeat: false,
    timestamp: 1,
  });
  await r.text({ text: "héllo ✓", interval_ms: 0 });
  assert.equal(fake.typed, "héllo ✓");
  assert.deepEqual((await r.windows()).map((w) => w.app_name), ["Editor", "Terminal"]);
  assert.equal((await r.focusedWindow())!.id, "2");
  await r.focusWindow("1");
  await r.moveWindow("1", { x: 5, y: 5, width: 100, height: 100 });
  await r.openApp("Files");
  assert.deepEqual(await r.listApps(), ["Terminal", "Editor", "Files"]);
  await r.focusApp("Terminal");
  await r.closeApp("Files");
  await r.closeWindow("2");
  const tree = await r.uiTree({ window_id: "1", refs: true });
  assert.equal(tree.role, "window");
  const box = tree.children[1]!.children[0]!;
  assert.equal(box.role, "check box");
  await r.performUiAction({ ref: box.ref!, action: "toggle" });
  assert.equal((await r.uiTree({ window_id: "1" })).children[1]!.children[0]!.value, "true");
  await r.clipboardWrite(textClipboard("über"));
  assert.deepEqual(await r.clipboardRead(), textClipboard("über"));
  await r.lockScreen();
  assert.equal((await r.notifications())[0]!.title, "Build finished");
  assert.ok((await r.processes()).length > 0);
  await r.close();
});

Deno.test("RemoteComputer sends ui.action and power.lock, and the REQ bytes of display.subscribe match the vector", async () => {
  const records: CallRecord[] = [];
  const fake = new FakeComputer({ streamFrames: 1 });
  await using s = await openSession(fake, { onCall: (rec) => records.push(rec) });
  await s.remote.call("system.lock");
  for await (const _ of s.remote.subscribeDisplay()) { /* one frame */ }
  await s.remote.performUiAction({
    element: { role: "push button", name: "OK", bounds: { x: 110, y: 120, width: 60, height: 24 } },
  });
  await s.remote.call("ui.perform", {
    element: { role: "push button", name: "OK", bounds: { x: 110, y: 120, width: 60, height: 24 } },
  });
  assert.deepEqual(records.map((rec) => rec.method), [
    "power.lock",
    "display.subscribe",
    "display.subscribe",
    "ui.action",
    "ui.action",
  ]);
  const fixture = new URL(
    "../../fixtures/frames/req/req_display_subscribe_stream.hex",
    import.meta.url,
  );
  const expected = (await Deno.readTextFile(fixture)).replace(/\s+/g, "");
  assert.equal(hex(s.clientConnection.sent[2]!), expected); // HELLO, REQ 1, then REQ 2
});

Deno.test("RemoteComputer rebuilds wire errors as the matching error classes", async () => {
  const fake = new FakeComputer({ capabilities: ["display.capture", "input.pointer", "fs.read"] });
  await using s = await openSession(fake, {
    policy: (req) =>
      req.method === "input.pointer"
        ? Promise.reject(new PermissionDeniedError("denied by the local user"))
        : Promise.resolve(),
  });
  const unsupported = await rejection(() => s.remote.windows());
  assert.ok(unsupported instanceof CapabilityUnsupportedError);
  assert.equal(unsupported.capability, "windows.list");
  assert.equal(unsupported.backend, "fake");
  const denied = await rejection(() =>
    s.remote.pointer({
      action: "move",
      point: { x: 1, y: 1 },
      button: null,
      modifiers: [],
      dx: 0,
      dy: 0,
      pressure: null,
      tilt_x: null,
      tilt_y: null,
      timestamp: 0,
    })
  );
  assert.ok(denied instanceof PermissionDeniedError);
  const missing = await rejection(() => s.remote.capture({ display_id: "9" }));
  assert.ok(missing instanceof RemoteError);
  assert.equal(missing.code, "not_found");
});

Deno.test("RemoteComputer validates params locally and names the bad one", async () => {
  await using s = await openSession(new FakeComputer());
  const error = await rejection(() => s.remote.call("fs.read", { path: 3 }));
  assert.ok(error instanceof TypeError);
  assert.match(
    error.message,
    /Invalid params for 'fs\.read': 'path' must be string, received number/,
  );
  const unknown = await rejection(() => s.remote.call("nope.nope", {}));
  assert.ok(unknown instanceof CapabilityUnsupportedError);
});

Deno.test("RemoteComputer.call() and stream() return raw maps for the REPL", async () => {
  await using s = await openSession(new FakeComputer({ streamFrames: 2 }));
  const point = await s.remote.call("display.cursor_position");
  assert.deepEqual(point, { x: 0, y: 0 });
  const items = [];
  for await (const item of s.remote.stream("display.subscribe", { fps: 10 })) items.push(item);
  assert.deepEqual(items.map((i) => i.frame_number), [0, 1]);
});

Deno.test("RemoteComputer fails every call with SessionEvictedError after session.evicted", async () => {
  await using s = await openSession(new FakeComputer());
  await s.server.push("session.evicted", { reason: "replaced" });
  assert.ok(await waitUntil(() => Promise.resolve(s.remote.evictedReason !== null)), "no eviction");
  assert.equal(s.remote.evictedReason, "replaced");
  const error = await rejection(() => s.remote.environment());
  assert.ok(error instanceof SessionEvictedError);
  assert.match(error.message, /^Session evicted \(replaced\)/);
  const stream = await rejection(async () => {
    for await (const _ of s.remote.subscribeInput()) { /* none */ }
  });
  assert.ok(stream instanceof SessionEvictedError);
});

Deno.test("RemoteComputer.subscribeDisplay() cancels the server stream when the consumer stops", async () => {
  const records: CallRecord[] = [];
  await using s = await openSession(new FakeComputer(), { onCall: (rec) => records.push(rec) });
  let n = 0;
  for await (const frame of s.remote.subscribeDisplay({ fps: 30 })) {
    assert.equal(frame.frame_number, n);
    if (++n === 3) break;
  }
  assert.ok(
    await waitUntil(() => Promise.resolve(records.some((r) => r.event === "end"))),
    "the server never recorded the stream's end",
  );
  assert.deepEqual(records.map((r) => [r.event, r.outcome]), [["start", "ok"], ["end", "ok"]]);
  assert.ok(records[1]!.frames! >= 3, `frames: ${records[1]!.frames}`);
});
