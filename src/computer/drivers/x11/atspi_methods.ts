/**
 * `ui.tree` and `ui.action` over AT-SPI for any Linux driver: AT-SPI is a
 * session-bus service, the same under X11 and Wayland; only how a window id
 * or the focused window maps to a process and title differs, which the
 * driver passes in as a {@linkcode UiWindowResolver}.
 *
 * @module
 */

import { RemoteError } from "../../../protocol/errors.ts";
import {
  FOCUS_ACTION,
  SET_TEXT_ACTION,
  type UiActionParamsInit,
  type UiTreeParamsInit,
} from "../../methods/params.ts";
import type { UIElement } from "../../types/ui_element.ts";
import { type AtspiTree, toUIElement } from "./atspi_tree.ts";
import { findElement } from "./_ui_match.ts";

/** A window as AT-SPI is asked for it: its process (0 when unknown) and title. */
export interface UiWindowTarget {
  /** Process id, 0 when unknown. */
  pid: number;
  /** Title. */
  title: string;
}

/** How a driver finds the window a `ui.tree` call names. */
export interface UiWindowResolver {
  /** The window with this wire id; null when there is none. */
  window(windowId: string): Promise<UiWindowTarget | null>;
  /** The focused window; null when none. */
  focused(): Promise<UiWindowTarget | null>;
}

function targetOf(win: UiWindowTarget): { pid?: number; title: string } {
  return win.pid > 0 ? { pid: win.pid, title: win.title } : { title: win.title };
}

/** The accessibility tree of a window, an app, or the focused window. */
export async function atspiUiTree(
  atspi: AtspiTree,
  params: UiTreeParamsInit,
  windows: UiWindowResolver,
): Promise<UIElement> {
  const budgets = {
    maxDepth: params.max_depth ?? 8,
    ...(params.max_nodes === undefined ? {} : { maxNodes: params.max_nodes }),
    ...(params.deadline_ms === undefined ? {} : { deadlineMs: params.deadline_ms }),
  };
  let target: { pid?: number; app?: string; title?: string } = {};
  if ((params.window_id ?? null) !== null) {
    const win = await windows.window(params.window_id!);
    if (!win) throw new RemoteError("not_found", `Window '${params.window_id}' does not exist`);
    target = targetOf(win);
  } else if ((params.app ?? null) !== null) {
    target = { app: params.app! };
  } else {
    const win = await windows.focused();
    if (win && win.pid > 0) target = targetOf(win);
  }
  const walk = await atspi.walk({ ...target, ...budgets });
  return toUIElement(walk, {
    refs: params.refs === true,
    interactiveOnly: params.interactive_only === true,
  });
}

/**
 * Runs an accessibility action on an element found by `ref` or by
 * role/name/bounds.
 *
 * @param unsupported Builds the `ui.actions` capability error for an element without actions.
 */
export async function atspiUiAction(
  atspi: AtspiTree,
  params: UiActionParamsInit,
  unsupported: (reason: string) => Error,
): Promise<void> {
  const action = params.action ?? "click";
  const act = (ref: string): Promise<void> =>
    action === SET_TEXT_ACTION
      ? atspi.setText(ref, params.text ?? "")
      : action === FOCUS_ACTION
      ? atspi.grabFocus(ref)
      : atspi.doAction(ref, action);
  if (params.ref !== undefined) return await act(params.ref);
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
  const walk = await atspi.walk({ ...(app ? { app } : {}), maxDepth: 12 });
  const found = findElement(walk.tree, wanted);
  if (found === null || found.ref === null) {
    throw new RemoteError(
      "not_found",
      `No element with role '${element.role}' and name '${element.name ?? ""}' found` +
        `${app ? ` in '${app}'` : ""}: read ui.tree again`,
    );
  }
  if (action === SET_TEXT_ACTION || action === FOCUS_ACTION) return await act(found.ref);
  if (found.actions.length === 0) {
    throw unsupported(
      `the element '${found.name}' (${found.role}) offers no accessibility action; ` +
        "click the centre of its bounds instead",
    );
  }
  await atspi.doAction(found.ref, action);
}
