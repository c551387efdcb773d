import assert from "node:assert/strict";
import { FakeComputer } from "../../../src/computer/drivers/fake/fake_computer.ts";
import type { CallRecord, PolicyRequest } from "../../../src/computer/methods/dispatcher.ts";
import { PermissionDeniedError, type RemoteError } from "../../../src/protocol/errors.ts";
import { textClipboard } from "../../../src/computer/types/clipboard.ts";
import { openSession, rejection, waitUntil } from "../_session.ts";

const move = { event: { action: "move", point: { x: 3, y: 4 } } };

Deno.test("Dispatcher asks the policy for gated calls and stream starts only", async () => {
  const asked: PolicyRequest[] = [];
  const fake = new FakeComputer({ streamFrames: 2 });
  await using s = await openSession(fake, {
    policy: (request) => {
      asked.push(request);
      return Promise.resolve();
    },
  });
  for (const method of ["system.capabilities", "windows.list", "fs.list", "clipboard.read"]) {
    await s.raw(method, method === "fs.list" ? { path: "/" } : {});
  }
  assert.equal(asked.length, 0, "observation methods are not gated");
  await s.raw("input.pointer", move);
  await s.raw("clipboard.write", { contents: textClipboard("x") });
  await s.raw("system.lock", {});
  for await (const _ of s.client.stream("display.subscribe", {})) { /* two frames */ }
  assert.deepEqual(
    asked.map((r) => [r.method, r.kind, r.stream, r.observation, r.summary]),
    [
      ["input.pointer", "action", false, false, "send pointer move at (3.0, 4.0)"],
      ["clipboard.write", "action", false, false, "write to the clipboard"],
      ["system.lock", "action", false, false, "lock the screen"],
      ["display.subscribe", "stream", true, true, "display.subscribe"],
    ],
  );
  assert.deepEqual(asked[0]!.params, {
    event: {
      action: "move",
      point: { x: 3, y: 4 },
      button: null,
      modifiers: [],
      dx: 0,
      dy: 0,
      pressure: null,
      tilt_x: null,
      tilt_y: null,
      timestamp: (asked[0]!.params.event as { timestamp: number }).timestamp,
    },
  });
});

Deno.test("Dispatcher turns a policy denial into permission_denied and never runs the action", async () => {
  const records: CallRecord[] = [];
  const fake = new FakeComputer();
  await using s = await openSession(fake, {
    policy: (r) => Promise.reject(new PermissionDeniedError(`peer-abc123 → ${r.summary}: denied`)),
    onCall: (r) => records.push(r),
  });
  const error = await rejection(() => s.raw("input.pointer", move));
  assert.ok(error instanceof PermissionDeniedError);
  assert.equal(fake.actions.length, 0);
  const stream = await rejection(async () => {
    for await (const _ of s.client.stream("input.subscribe", {})) { /* denied */ }
  });
  assert.ok(stream instanceof PermissionDeniedError);
  assert.deepEqual(records, [
    {
      method: "input.pointer",
      summary: "send pointer move at (3.0, 4.0)",
      outcome: "error",
      error_code: "permission_denied",
      error_message: "peer-abc123 → send pointer move at (3.0, 4.0): denied",
    },
    {
      method: "input.subscribe",
      summary: "input.subscribe",
      outcome: "error",
      error_code: "permission_denied",
      error_message: "peer-abc123 → input.subscribe: denied",
      stream: true,
      event: "denied",
    },
  ]);
});

Deno.test("Dispatcher reports a failing policy as internal, not as a denial", async () => {
  await using s = await openSession(new FakeComputer(), {
    policy: () => Promise.reject(new Error("prompt crashed")),
    onInternalError: () => {},
  });
  const error = await rejection(() => s.raw("input.pointer", move));
  assert.equal((error as unknown as RemoteError).code, "internal");
  assert.match(error.message, /approval policy failed/);
});

Deno.test("Dispatcher audits every call and the start and end of every stream", async () => {
  const records: CallRecord[] = [];
  const fake = new FakeComputer({ streamFrames: 3 });
  await using s = await openSession(fake, { onCall: (r) => records.push(r) });
  await s.raw("fs.read", { path: "/nonexistent/opendesk" }).catch(() => {});
  await s.raw("ui.perform", {
    element: { role: "push button", name: "OK", bounds: { x: 110, y: 120, width: 60, height: 24 } },
  });
  await s.raw("process.shell", { command: "echo 'hello there'" });
  for await (const _ of s.client.stream("display.subscribe", { fps: 30 })) { /* three frames */ }
  const controller = new AbortController();
  let got = 0;
  const infinite = new FakeComputer();
  await using s2 = await openSession(infinite, { onCall: (r) => records.push(r) });
  for await (const _ of s2.client.stream("display.subscribe", {}, { signal: controller.signal })) {
    if (++got === 2) break;
  }
  // Wait for the second stream's end record itself (not for a count of records).
  assert.ok(
    await waitUntil(() => Promise.resolve(records.filter((r) => r.event === "end").length === 2)),
    `the second stream's end was never recorded: ${JSON.stringify(records)}`,
  );
  assert.deepEqual(records.slice(0, 3), [
    {
      method: "fs.read",
      summary: "read file: /nonexistent/opendesk",
      outcome: "error",
      error_code: "not_found",
      error_message: "Cannot read file: '/nonexistent/opendesk' does not exist",
    },
    { method: "ui.perform", summary: "ui action 'click' on OK", outcome: "ok" },
    { method: "process.shell", summary: "run shell: 'echo 'hello there''", outcome: "ok" },
  ]);
  assert.deepEqual(records.slice(3, 5), [
    {
      method: "display.subscribe",
      summary: "display.subscribe",
      outcome: "ok",
      stream: true,
      event: "start",
    },
    {
      method: "display.subscribe",
      summary: "display.subscribe",
      outcome: "ok",
      stream: true,
      event: "end",
      frames: 3,
    },
  ]);
  assert.equal(records[5]!.event, "start");
  assert.equal(records[6]!.event, "end");
  assert.ok((records[6]!.frames ?? 0) >= 2, `frames sent: ${records[6]!.frames}`);
  assert.deepEqual(fake.actions.map((a) => a.method), ["ui.action"]);
});

Deno.test("Dispatcher.manifest() applies the server's description to HELLO and system.capabilities", async () => {
  await using s = await openSession(new FakeComputer(), {
    description: () => "Build box in the lab",
  });
  assert.equal(
    (s.client.remoteHello!.capabilities as { description: string }).description,
    "Build box in the lab",
  );
  const manifest = await s.raw("system.capabilities");
  assert.equal(manifest!.description, "Build box in the lab");
  assert.equal(manifest!.backend, "fake");
  assert.deepEqual(manifest!.limits, { "display.stream": { max_fps: 30 } });
  assert.equal(s.remote.capabilities().description, "Build box in the lab");
});
