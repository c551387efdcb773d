import assert from "node:assert/strict";
import { FakeComputer } from "../../../src/computer/drivers/fake/fake_computer.ts";
import { HostComputer } from "../../../src/computer/host/host_computer.ts";
import type { WireMap } from "../../../src/protocol/handler.ts";
import { CapabilityUnsupportedError, RemoteError } from "../../../src/protocol/errors.ts";
import { openSession, rejection, tempDir } from "../_session.ts";

Deno.test("Dispatcher.call() rejects missing and mistyped params with invalid_argument naming the param", async () => {
  await using s = await openSession(new FakeComputer());
  const cases: { method: string; params: WireMap; mentions: string[] }[] = [
    { method: "input.pointer", params: {}, mentions: ["'event' is required", "map"] },
    {
      method: "input.pointer",
      params: { event: { action: "click", point: { x: 1, y: 2 } } },
      mentions: ["'event.action' must be one of", "'click'"],
    },
    {
      method: "input.pointer",
      params: { event: { action: "move", point: { x: "1", y: 2 } } },
      mentions: ["'event.point.x' must be number, received string"],
    },
    {
      method: "input.key",
      params: { event: { action: "down", keysym: "a", modifiers: ["command"] } },
      mentions: ["'event.modifiers[0]' must be one of"],
    },
    {
      method: "input.text",
      params: { text_input: "hello" },
      mentions: ["'text_input' must be map"],
    },
    { method: "windows.focus", params: { window_id: 3 }, mentions: ["'window_id' must be string"] },
    { method: "windows.move", params: { window_id: "1" }, mentions: ["'bounds' is required"] },
    { method: "apps.open", params: {}, mentions: ["'name' is required (expected string)"] },
    { method: "ui.tree", params: { max_depth: 2.5 }, mentions: ["'max_depth' must be integer"] },
    { method: "ui.action", params: { action: "click" }, mentions: ["'element' is required"] },
    {
      method: "clipboard.write",
      params: { contents: { text: "hi" } },
      mentions: ["'contents.entries' is required"],
    },
    { method: "fs.read", params: {}, mentions: ["'path' is required (expected string)"] },
    {
      method: "fs.read",
      params: { path: "/x", offset: -1 },
      mentions: ["'offset'", "non-negative"],
    },
    {
      method: "fs.write",
      params: { path: "/tmp/x", data: "text" },
      mentions: ["'data' must be binary"],
    },
    { method: "fs.move", params: { src: "/a" }, mentions: ["'dst' is required"] },
    {
      method: "fs.mkdir",
      params: { path: "/a", parents: "yes" },
      mentions: ["'parents' must be bool"],
    },
    {
      method: "process.shell",
      params: { command: ["ls"] },
      mentions: ["'command' must be string"],
    },
    {
      method: "process.shell",
      params: { command: "ls", timeout: 0 },
      mentions: ["'timeout'", "positive"],
    },
    { method: "process.exec", params: { argv: [] }, mentions: ["'argv' needs at least 1 item"] },
    {
      method: "process.exec",
      params: { argv: ["ls"], env: { A: 1 } },
      mentions: ["'env.A' must be string"],
    },
    {
      method: "display.capture",
      params: { region: { x: 0, y: 0 } },
      mentions: ["'region.width' is required"],
    },
  ];
  for (const c of cases) {
    const error = await rejection(() => s.raw(c.method, c.params));
    assert.ok(error instanceof RemoteError, `${c.method}: ${error}`);
    assert.equal(error.code, "invalid_argument", `${c.method}: ${error.message}`);
    assert.match(
      error.message,
      new RegExp(`^Invalid params for '${c.method.replace(".", "\\.")}'`),
    );
    for (const m of c.mentions) {
      assert.ok(error.message.includes(m), `${c.method}: '${error.message}' lacks '${m}'`);
    }
    assert.equal((error.details as WireMap).method, c.method);
  }
});

Deno.test("Dispatcher accepts the reference's lax scalars: integral floats and 0/1 booleans", async () => {
  await using dir = await tempDir();
  await using s = await openSession(new FakeComputer({ width: 2400, height: 100 }));
  const native = await s.raw("display.capture", { display_id: null, region: null, downscale: 0 });
  assert.equal(native!.width, 2400);
  const scaled = await s.raw("display.capture", { display_id: null, region: null, downscale: 1.0 });
  assert.equal(scaled!.width, 1920);
  await s.raw("fs.mkdir", { path: `${dir.path}/a/b`, parents: 1 });
  assert.ok((await Deno.stat(`${dir.path}/a/b`)).isDirectory);
});

Deno.test("Dispatcher answers unknown methods with capability_unsupported naming the method", async () => {
  await using s = await openSession(new FakeComputer());
  const cases = [
    { method: "foo.bar", stream: false, capability: "display.capture" },
    { method: "ui.hover", stream: false, capability: "ui.tree" },
    { method: "display.watch", stream: true, capability: "display.stream" },
  ];
  for (const c of cases) {
    const error = await rejection(async () => {
      if (!c.stream) return await s.raw(c.method, {});
      for await (const _ of s.client.stream(c.method, {})) { /* nothing arrives */ }
      return null;
    });
    assert.ok(error instanceof CapabilityUnsupportedError, String(error));
    assert.ok(error.message.includes(`'${c.method}'`), error.message);
    assert.deepEqual(error.details, {
      capability: c.capability,
      backend: `server (unknown method '${c.method}')`,
      method: c.method,
    });
  }
});

Deno.test("Dispatcher rejects a stream method sent as unary and the reverse with invalid_argument", async () => {
  await using s = await openSession(new FakeComputer());
  const unary = await rejection(() => s.raw("display.subscribe", {}));
  assert.equal((unary as unknown as RemoteError).code, "invalid_argument");
  assert.match(unary.message, /stream = true/);
  const stream = await rejection(async () => {
    for await (const _ of s.client.stream("fs.read", { path: "/etc/hostname" })) { /* none */ }
  });
  assert.equal((stream as unknown as RemoteError).code, "invalid_argument");
});

Deno.test("Dispatcher gates every method by the advertised capability", async () => {
  const fake = new FakeComputer({ capabilities: ["fs.read", "display.capture"] });
  await using s = await openSession(fake);
  const gated: [string, WireMap, string][] = [
    ["input.pointer", { event: { action: "move", point: { x: 1, y: 1 } } }, "input.pointer"],
    ["display.cursor_position", {}, "input.pointer"],
    ["fs.write", { path: "/tmp/never-written", data: new Uint8Array() }, "fs.write"],
    ["process.shell", { command: "true" }, "process.shell"],
    ["process.exec", { argv: ["true"] }, "process.spawn"],
    ["power.lock", {}, "power.lock"],
    ["notifications.list", {}, "notifications.list"],
    ["clipboard.read", {}, "clipboard.read"],
  ];
  for (const [method, params, capability] of gated) {
    const error = await rejection(() => s.raw(method, params));
    assert.ok(error instanceof CapabilityUnsupportedError, `${method}: ${error}`);
    assert.equal(error.capability, capability);
    assert.equal(error.backend, "fake");
    assert.ok(error.message.includes(`'${method}'`), error.message);
  }
  const stream = await rejection(async () => {
    for await (const _ of s.client.stream("display.subscribe", {})) { /* none */ }
  });
  assert.equal((stream as unknown as CapabilityUnsupportedError).capability, "display.stream");
  assert.equal(fake.actions.length, 0);
  assert.equal((await s.raw("system.environment"))!.os, "Linux");
});

Deno.test("Dispatcher maps backend errors to wire codes without leaking internals", async () => {
  class Broken extends HostComputer {
    override stat(path: string): never {
      if (path === "range") throw new RangeError("Value 7 is out of range");
      if (path === "missing") {
        throw new Deno.errors.NotFound("No such file or directory: 'missing'");
      }
      throw new Error("database at /srv/internal/secret.db is corrupt");
    }
  }
  const logged: unknown[] = [];
  await using s = await openSession(new Broken(), { onInternalError: (e) => logged.push(e) });
  const internal = await rejection(() => s.raw("fs.stat", { path: "boom" }));
  assert.equal((internal as unknown as RemoteError).code, "internal");
  assert.ok(!internal.message.includes("/srv/internal"), internal.message);
  assert.match(internal.message, /'fs\.stat'/);
  assert.equal(logged.length, 1);
  const range = await rejection(() => s.raw("fs.stat", { path: "range" }));
  assert.equal((range as unknown as RemoteError).code, "invalid_argument");
  const missing = await rejection(() => s.raw("fs.stat", { path: "missing" }));
  assert.equal((missing as unknown as RemoteError).code, "not_found");
});

Deno.test("Dispatcher serves a HostComputer without a display: desktop methods are capability_unsupported", async () => {
  await using s = await openSession(new HostComputer());
  const error = await rejection(() => s.raw("display.capture", {}));
  assert.ok(error instanceof CapabilityUnsupportedError);
  assert.deepEqual(error.details, { capability: "display.capture", backend: "local/linux" });
  const env = await s.raw("system.environment");
  assert.deepEqual(env!.displays, []);
});
