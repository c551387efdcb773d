/**
 * UI Automation for the Windows driver: the shim's walker gives the same JSON tree as the AT-SPI
 * walker (roles, names, bounds, actions, refs `"<window>|<runtime id>"`), so the tree conversion
 * and element matching of the X11 driver apply unchanged; what differs is that bounds arrive in
 * virtual-screen pixels and are moved to desktop coordinates here, and that the target window
 * is found through the Windows window list.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import {
  SET_TEXT_ACTION,
  type UiActionParamsInit,
  type UiTreeParamsInit,
} from "../../methods/params.ts";
import type { UIElement } from "../../types/ui_element.ts";
import { type AtspiNode, type AtspiTree, type AtspiWalk, toUIElement } from "../x11/atspi_tree.ts";
import { parseWindowId, type X11Windows } from "../x11/x11_windows.ts";
import { findElement } from "../x11/_ui_match.ts";

/** A walked tree with every node's bounds moved by `-origin`. */
export function shiftWalk(walk: AtspiWalk, origin: { x: number; y: number }): AtspiWalk {
  const shift = (node: AtspiNode): AtspiNode => ({
    ...node,
    bounds: node.bounds === null ? null : [
      node.bounds[0] - origin.x,
      node.bounds[1] - origin.y,
      node.bounds[2],
      node.bounds[3],
    ],
    children: node.children.map(shift),
  });
  return { ...walk, tree: shift(walk.tree) };
}

/** The accessibility tree of a window, an app, or the foreground window. */
export async function win32UiTree(
  uia: AtspiTree,
  windows: X11Windows,
  origin: { x: number; y: number },
  params: UiTreeParamsInit = {},
): Promise<UIElement> {
  const budgets = {
    maxDepth: params.max_depth ?? 8,
    ...(params.max_nodes === undefined ? {} : { maxNodes: params.max_nodes }),
    ...(params.deadline_ms === undefined ? {} : { deadlineMs: params.deadline_ms }),
  };
  let target: { pid?: number; app?: string; title?: string } = {};
  if ((params.window_id ?? null) !== null) {
    const id = parseWindowId(params.window_id!);
    const win = (await windows.list()).find((w) => w.id === id);
    if (!win) throw new RemoteError("not_found", `Window '${params.window_id}' does not exist`);
    target = { pid: win.pid, title: win.title };
  } else if ((params.app ?? null) !== null) {
    target = { app: params.app! };
  } else {
    const active = await windows.active();
    const win = (await windows.list()).find((w) => w.id === active);
    if (win && win.pid > 0) target = { pid: win.pid, title: win.title };
  }
  const walk = shiftWalk(await uia.walk({ ...target, ...budgets }), origin);
  return toUIElement(walk, {
    refs: params.refs === true,
    interactiveOnly: params.interactive_only === true,
  });
}

/**
 * Runs a UI Automation action (Invoke, Toggle, Select, Expand/Collapse, focus, or setting a
 * value) on the element named by `ref`, or found by role, name and bounds.
 *
 * @returns Null when done; otherwise the reason no action exists (the caller words the error).
 */
export async function win32UiAction(
  uia: AtspiTree,
  origin: { x: number; y: number },
  params: UiActionParamsInit,
): Promise<string | null> {
  const action = params.action ?? "click";
  const act = (ref: string): Promise<void> =>
    action === SET_TEXT_ACTION ? uia.setText(ref, params.text ?? "") : uia.doAction(ref, action);
  if (params.ref !== undefined) {
    await act(params.ref);
    return null;
  }
  const element = params.element;
  if (element === undefined) {
    throw new RemoteError(
      "invalid_argument",
      "Cannot perform a UI action: give 'element' or 'ref'",
    );
  }
  const wanted = toUIElement({
    app: "",
    tree: {
      role: element.role,
      name: element.name ?? "",
      value: null,
      bounds: element.bounds
        ? [element.bounds.x, element.bounds.y, element.bounds.width, element.bounds.height]
        : null,
      focused: false,
      enabled: true,
      editable: false,
      actions: [],
      ref: "",
      children: [],
    },
    truncated: null,
    nodes: 1,
    elapsed_ms: 0,
  });
  const app = params.app ??
    (typeof element.metadata?.app === "string" ? element.metadata.app : null);
  const walk = shiftWalk(await uia.walk({ ...(app ? { app } : {}), maxDepth: 12 }), origin);
  const found = findElement(walk.tree, wanted);
  if (found === null || found.ref === null) {
    throw new RemoteError(
      "not_found",
      `No element with role '${element.role}' and name '${element.name ?? ""}' found` +
        `${app ? ` in '${app}'` : ""}: read ui.tree again`,
    );
  }
  if (action !== SET_TEXT_ACTION && found.actions.length === 0) {
    return `the element '${found.name}' (${found.role}) offers no UI Automation pattern to act ` +
      "with; click the centre of its bounds instead";
  }
  await act(found.ref);
  return null;
}
