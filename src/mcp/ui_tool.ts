/**
 * The `ui` tool: the accessibility tree with element refs, and actions on
 * an element by ref (click, set its text, or any action it offers).
 *
 * @module
 */

import { z } from "zod";
import { FOCUS_ACTION, type UIElement } from "./_target.ts";
import { oneLine } from "./_text.ts";
import type { ImageSpace } from "./image_space.ts";
import { type OpendeskTool, requireCapability, textResult, type ToolCall } from "./tool_def.ts";
import { ToolError } from "./targets.ts";

const DEFAULT_MAX_NODES = 300;
const VALUE_MAX = 80;

function line(e: UIElement, depth: number, space: ImageSpace | null): string {
  const parts = [`${"  ".repeat(depth)}${e.ref !== undefined ? `[${e.ref}] ` : ""}${e.role}`];
  if (e.name) parts.push(JSON.stringify(oneLine(e.name, VALUE_MAX)));
  if (e.value !== null && e.value !== "") {
    parts.push(`value=${JSON.stringify(oneLine(e.value, VALUE_MAX))}`);
  }
  if (e.bounds) {
    const b = e.bounds;
    parts.push(`screen (${b.x}, ${b.y}) ${b.width}x${b.height}`);
    const c = space?.toImage({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
    if (c) parts.push(`image center (${c.x}, ${c.y})`);
  }
  if (e.focused) parts.push("focused");
  if (!e.enabled) parts.push("disabled");
  if (e.actions.length) parts.push(`actions: ${e.actions.join(", ")}`);
  return parts.join(" ");
}

/** Renders a tree as indented lines; returns them and the element count. */
export function renderTree(
  root: UIElement,
  space: ImageSpace | null,
): { text: string; count: number } {
  const lines: string[] = [];
  const walk = (e: UIElement, depth: number): void => {
    lines.push(line(e, depth, space));
    for (const c of e.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return { text: lines.join("\n"), count: lines.length };
}

async function tree(args: Record<string, unknown>, call: ToolCall) {
  requireCapability(call, "ui.tree", "read the accessibility tree");
  const root = await call.computer.uiTree({
    app: (args.app as string | undefined) ?? null,
    window_id: (args.window_id as string | undefined) ?? null,
    max_depth: (args.max_depth as number | undefined) ?? 12,
    max_nodes: (args.max_nodes as number | undefined) ?? DEFAULT_MAX_NODES,
    deadline_ms: 5000,
    interactive_only: (args.interactive_only as boolean | undefined) ?? true,
    refs: true,
  }, { signal: call.signal });
  const { text, count } = renderTree(root, call.lastImage());
  return textResult(
    `Accessibility tree (${count} elements; [ref] role "name" …). Act on an element with ` +
      `ui action=click|set_text|perform and its ref; refs last until the UI changes.\n${text}`,
  );
}

/** The `ui` tool. */
export const UI_TOOL: OpendeskTool = {
  name: "ui",
  title: "Accessibility tree and actions",
  description:
    "Read the accessibility tree of the focused window (or an app / window) with a ref " +
    "per element, and act on elements by ref: click (press a button, open a menu item), set_text " +
    "(replace an editable field's text), focus (move the keyboard focus to it, so that typed " +
    "text and keys go there) or perform any action the element lists. More reliable " +
    "than clicking pixels when the app exposes accessibility.",
  input: {
    action: z.enum(["tree", "click", "set_text", "focus", "perform"]).describe("What to do"),
    ref: z.string().min(1).optional().describe(
      "click / set_text / focus / perform: the element's ref from a tree",
    ),
    text: z.string().optional().describe("set_text: the new text"),
    name: z.string().min(1).optional().describe("perform: the action's name as the tree lists it"),
    app: z.string().optional().describe(
      "tree: an app name (substring) instead of the focused window",
    ),
    window_id: z.string().optional().describe("tree: a window id from the windows tool"),
    interactive_only: z.boolean().optional().describe(
      "tree: keep only interactive elements and their ancestors (default true)",
    ),
    max_depth: z.number().int().min(0).max(64).optional().describe(
      "tree: depth limit (default 12)",
    ),
    max_nodes: z.number().int().min(1).max(5000).optional().describe(
      `tree: element budget (default ${DEFAULT_MAX_NODES})`,
    ),
  },
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  capabilities: ["ui.tree"],
  async run(args, call) {
    const action = args.action as string;
    if (action === "tree") return await tree(args, call);
    requireCapability(call, "ui.actions", "act on accessibility elements");
    const ref = args.ref as string | undefined;
    if (ref === undefined) throw new ToolError(`Action '${action}' needs 'ref' (from a ui tree)`);
    if (action === "set_text") {
      const text = args.text as string | undefined;
      if (text === undefined) throw new ToolError("Action 'set_text' needs 'text'");
      await call.computer.performUiAction({ ref, action: "set_text", text }, {
        signal: call.signal,
      });
      return textResult(`Set the text of element ${ref}`);
    }
    if (action === "focus") {
      await call.computer.performUiAction({ ref, action: FOCUS_ACTION }, { signal: call.signal });
      return textResult(`Moved the keyboard focus to element ${ref}`);
    }
    const name = action === "click" ? "click" : args.name as string | undefined;
    if (name === undefined) {
      throw new ToolError("Action 'perform' needs 'name' (one of the element's actions)");
    }
    await call.computer.performUiAction({ ref, action: name }, { signal: call.signal });
    return textResult(`Performed '${name}' on element ${ref}`);
  },
};
