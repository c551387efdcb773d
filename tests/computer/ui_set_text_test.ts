import assert from "node:assert/strict";
import { FakeComputer } from "../../src/computer/drivers/fake/fake_computer.ts";
import { RemoteError } from "../../src/protocol/errors.ts";
import type { UIElement } from "../../src/computer/types/ui_element.ts";
import { openSession, rejection } from "./_session.ts";

function findByRole(node: UIElement, role: string): UIElement | null {
  if (node.role === role) return node;
  for (const child of node.children) {
    const hit = findByRole(child, role);
    if (hit) return hit;
  }
  return null;
}

Deno.test("ui.action with action 'set_text' replaces an editable element's text by ref", async () => {
  await using s = await openSession(new FakeComputer());
  const tree = await s.remote.uiTree({ refs: true });
  const entry = findByRole(tree, "text");
  assert.ok(entry?.ref, "the fake window has a text entry with a ref");
  assert.equal(
    await s.raw("ui.action", { ref: entry.ref, action: "set_text", text: "héllo 世界" }),
    null,
  );
  const after = findByRole(await s.remote.uiTree({}), "text");
  assert.equal(after?.value, "héllo 世界");
});

Deno.test("ui.action rejects set_text without text, text without set_text, and non-editable targets", async () => {
  await using s = await openSession(new FakeComputer());
  const tree = await s.remote.uiTree({ refs: true });
  const button = findByRole(tree, "push button");
  assert.ok(button?.ref);
  const cases: { params: Record<string, unknown>; mentions: string }[] = [
    { params: { ref: button.ref, action: "set_text" }, mentions: "'text' is required" },
    { params: { ref: button.ref, action: "click", text: "x" }, mentions: "only used with" },
    { params: { ref: button.ref, action: "set_text", text: "x" }, mentions: "not editable" },
  ];
  for (const { params, mentions } of cases) {
    const error = await rejection(() => s.raw("ui.action", params));
    assert.ok(error instanceof RemoteError);
    assert.equal(error.code, "invalid_argument");
    assert.match(error.message, new RegExp(mentions));
  }
});
