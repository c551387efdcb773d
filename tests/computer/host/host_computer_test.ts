import {
  DESKTOP_METHODS,
  type DesktopDriver,
} from "../../../src/computer/drivers/desktop_driver.ts";
import assert from "node:assert/strict";
import { HostComputer } from "../../../src/computer/host/host_computer.ts";
import { FakeDriver } from "../../../src/computer/drivers/fake/fake_driver.ts";
import { CapabilityUnsupportedError } from "../../../src/protocol/errors.ts";
import type { Computer } from "../../../src/computer/computer.ts";
import { rejection } from "../_session.ts";

Deno.test("HostComputer advertises only what it really does", () => {
  const host = new HostComputer({ description: "build box" });
  assert.deepEqual(host.capabilities(), {
    capabilities: ["fs.read", "fs.write", "process.list", "process.shell", "process.spawn"],
    limits: {},
    protocol_version: "0.1",
    backend: "local/linux",
    description: "build box",
  });
  host.description = "renamed";
  assert.equal(host.capabilities().description, "renamed");
});

Deno.test("HostComputer.environment() reports the platform and the display hook's displays", async () => {
  const plain = await new HostComputer().environment();
  assert.equal(plain.os, "Linux");
  assert.equal(plain.hostname, Deno.hostname());
  assert.equal(plain.os_version, Deno.osRelease());
  assert.ok(plain.timezone.length > 0);
  assert.deepEqual(plain.displays, []);
  const display = {
    id: "1",
    bounds: { x: 0, y: 0, width: 800, height: 600 },
    scale_factor: 1,
    primary: true,
    name: "display-1",
  };
  const hooked = await new HostComputer({ displays: () => Promise.resolve([display]) })
    .environment();
  assert.deepEqual(hooked.displays, [display]);
});

Deno.test("HostComputer desktop methods fail with the right capability and backend", async () => {
  const host = new HostComputer({ backend: "local/linux" });
  const event = {
    action: "move" as const,
    point: { x: 0, y: 0 },
    button: null,
    modifiers: [],
    dx: 0,
    dy: 0,
    pressure: null,
    tilt_x: null,
    tilt_y: null,
    timestamp: 0,
  };
  const key = {
    action: "down" as const,
    keysym: "a",
    char: null,
    scancode: null,
    modifiers: [],
    is_repeat: false,
    timestamp: 0,
  };
  const cases: [string, (c: Computer) => Promise<unknown>][] = [
    ["display.capture", (c) => c.displays()],
    ["display.capture", (c) => c.capture()],
    ["display.capture", (c) => c.pixel({ x: 0, y: 0 })],
    ["input.pointer", (c) => c.cursorPosition()],
    ["input.pointer", (c) => c.pointer(event)],
    ["input.keyboard", (c) => c.key(key)],
    ["input.text", (c) => c.text({ text: "x", interval_ms: 0 })],
    ["windows.list", (c) => c.windows()],
    ["windows.list", (c) => c.focusedWindow()],
    ["windows.manipulate", (c) => c.focusWindow("1")],
    ["windows.manipulate", (c) => c.closeWindow("1")],
    ["windows.manipulate", (c) => c.moveWindow("1", { x: 0, y: 0, width: 1, height: 1 })],
    ["app.lifecycle", (c) => c.openApp("a")],
    ["app.lifecycle", (c) => c.closeApp("a")],
    ["app.lifecycle", (c) => c.focusApp("a")],
    ["app.lifecycle", (c) => c.listApps()],
    ["ui.tree", (c) => c.uiTree()],
    ["ui.actions", (c) => c.performUiAction({ ref: "e1" })],
    ["clipboard.read", (c) => c.clipboardRead()],
    ["clipboard.write", (c) => c.clipboardWrite({ entries: [] })],
    ["power.lock", (c) => c.lockScreen()],
    ["notifications.list", (c) => c.notifications()],
    ["display.stream", async (c) => {
      for await (const _ of c.subscribeDisplay()) { /* none */ }
    }],
    ["input.pointer", async (c) => {
      for await (const _ of c.subscribeInput()) { /* none */ }
    }],
  ];
  for (const [capability, run] of cases) {
    const error = await rejection(() => run(host));
    assert.ok(error instanceof CapabilityUnsupportedError, `${capability}: ${error}`);
    assert.equal(error.capability, capability);
    assert.equal(error.backend, "local/linux");
    assert.match(error.message, /no desktop driver/);
  }
});

Deno.test("HostComputer forwards every desktop method to its driver, arguments untouched", async () => {
  const calls: [string, unknown[]][] = [];
  const driver = Object.fromEntries(
    Object.keys(DESKTOP_METHODS).map((name) => [
      name,
      DESKTOP_METHODS[name as keyof typeof DESKTOP_METHODS].stream
        ? async function* (...args: unknown[]) {
          calls.push([name, args]);
          yield name;
        }
        : (...args: unknown[]) => {
          calls.push([name, args]);
          return Promise.resolve(name);
        },
    ]),
  );
  const host = new HostComputer({
    driver: {
      ...driver,
      name: "recording",
      capabilities: () => [],
      limits: () => ({}),
      close: () => Promise.resolve(),
    } as unknown as DesktopDriver,
  });
  for (const name of Object.keys(DESKTOP_METHODS) as (keyof typeof DESKTOP_METHODS)[]) {
    const method = host[name] as (...args: unknown[]) => unknown;
    const result = method.call(host, "a", { b: 1 });
    if (DESKTOP_METHODS[name].stream) {
      const items = [];
      for await (const item of result as AsyncIterable<unknown>) items.push(item);
      assert.deepEqual(items, [name]);
    } else {
      assert.equal(await result, name);
    }
    assert.deepEqual(calls.at(-1), [name, ["a", { b: 1 }]]);
  }
  assert.equal(calls.length, Object.keys(DESKTOP_METHODS).length);
});

/** A fake driver whose session hands commands one variable. */
class SessionFakeDriver extends FakeDriver {
  override childEnv(): Readonly<Record<string, string>> {
    return { OD_SESSION: "driver", OD_BOTH: "driver" };
  }
}

Deno.test("HostComputer gives commands the driver's session variables under the option's and the request's", async () => {
  const host = new HostComputer({
    driver: new SessionFakeDriver(),
    childEnv: { OD_BOTH: "option", OD_OPTION: "option" },
  });
  try {
    const script = 'printf "%s %s %s" "$OD_SESSION" "$OD_BOTH" "$OD_OPTION"';
    const plain = await host.shell(script);
    assert.equal(new TextDecoder().decode(plain.stdout), "driver option option");
    const own = await host.exec(["/bin/sh", "-c", script], { env: { OD_OPTION: "request" } });
    assert.equal(new TextDecoder().decode(own.stdout), "driver option request");
  } finally {
    await host.close();
  }
});

Deno.test("HostComputer.absentCapabilities() gives the driver's reasons, a generic one for the rest", async () => {
  const host = new HostComputer({ driver: new FakeDriver({ capabilities: ["display.capture"] }) });
  const absent = await host.absentCapabilities();
  assert.equal(absent["display.capture"], undefined);
  assert.equal(absent["fs.read"], undefined);
  assert.equal(absent["ui.tree"], "it was left out of this fake's capabilities");
  assert.equal(absent["display.multi_monitor"], "the 'fake' desktop driver does not offer it");
  const none = await new HostComputer({ noDriverReason: "no display here" }).absentCapabilities();
  assert.equal(none["ui.tree"], "no display here");
});
