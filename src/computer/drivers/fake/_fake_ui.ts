/**
 * Accessibility-tree helpers of `FakeComputer`: a default tree per window,
 * the `ui.tree` options (depth, node budget, interactive-only, refs) and
 * element lookup by ref or by (role, name, bounds).
 *
 * @module
 */

import type { Rect } from "../../types/geometry.ts";
import type { UIElement } from "../../types/ui_element.ts";
import type { Window } from "../../types/window.ts";

function element(partial: Partial<UIElement> & { role: string }): UIElement {
  return {
    name: "",
    value: null,
    bounds: null,
    focused: false,
    enabled: true,
    actions: [],
    children: [],
    metadata: {},
    ...partial,
  };
}

/** A small form: two buttons, a text field and a check box inside a panel. */
export function defaultWindowTree(window: Window): UIElement {
  const b = window.bounds ?? { x: 0, y: 0, width: 200, height: 150 };
  const at = (dx: number, dy: number, width: number, height: number): Rect => ({
    x: b.x + dx,
    y: b.y + dy,
    width,
    height,
  });
  return element({
    role: "window",
    name: window.title,
    bounds: { ...b },
    metadata: { app: window.app_name },
    children: [
      element({
        role: "text",
        name: "Name",
        value: "",
        bounds: at(10, 10, 120, 20),
        actions: ["activate"],
        focused: true,
      }),
      element({
        role: "panel",
        bounds: at(10, 40, 150, 30),
        children: [
          element({
            role: "check box",
            name: "Remember",
            value: "false",
            bounds: at(12, 42, 100, 20),
            actions: ["toggle", "click"],
          }),
        ],
      }),
      element({
        role: "push button",
        name: "OK",
        bounds: at(10, 80, 60, 24),
        actions: ["click", "press"],
      }),
      element({
        role: "push button",
        name: "Cancel",
        bounds: at(80, 80, 60, 24),
        actions: ["click", "press"],
      }),
    ],
  });
}

/**
 * Gives every element a stable preorder ref in place, unique across windows
 * (`w<window id>.e0`, `w<window id>.e1`, …).
 */
export function assignRefs(root: UIElement, windowId: string): void {
  let n = 0;
  const walk = (e: UIElement): void => {
    e.ref = `w${windowId}.e${n++}`;
    e.children.forEach(walk);
  };
  walk(root);
}

/** Options of {@linkcode shapeTree}. */
export interface ShapeTreeOptions {
  maxDepth: number;
  maxNodes?: number | undefined;
  interactiveOnly?: boolean | undefined;
  refs?: boolean | undefined;
}

function isInteractive(e: UIElement): boolean {
  return e.actions.length > 0;
}

/**
 * A copy of the tree shaped by the `ui.tree` options. Refs (when asked for)
 * come from the full tree, so they stay valid for `ui.action`.
 */
export function shapeTree(root: UIElement, options: ShapeTreeOptions): UIElement {
  let budget = options.maxNodes ?? Infinity;
  let truncated = false;
  const copy = (e: UIElement, depth: number): UIElement | null => {
    const kids = depth >= options.maxDepth ? [] : e.children;
    const children: UIElement[] = [];
    for (const child of kids) {
      if (options.interactiveOnly && !hasInteractive(child)) continue;
      if (budget <= 1) {
        truncated = true;
        break;
      }
      budget -= 1;
      const c = copy(child, depth + 1);
      if (c) children.push(c);
    }
    const out: UIElement = { ...e, actions: [...e.actions], metadata: { ...e.metadata }, children };
    if (!options.refs) delete out.ref;
    return out;
  };
  budget -= 1;
  const shaped = copy(root, 0)!;
  if (truncated) {
    shaped.children.push({
      role: "…",
      name: "(truncated)",
      value: null,
      bounds: null,
      focused: false,
      enabled: true,
      actions: [],
      children: [],
      metadata: {},
    });
  }
  return shaped;
}

function hasInteractive(e: UIElement): boolean {
  return isInteractive(e) || e.children.some(hasInteractive);
}

function near(a: Rect | null, b: Rect | null, tolerance: number): boolean {
  if (a === null || b === null) return true;
  return Math.abs(a.x - b.x) <= tolerance && Math.abs(a.y - b.y) <= tolerance &&
    Math.abs(a.width - b.width) <= tolerance && Math.abs(a.height - b.height) <= tolerance;
}

/** Finds an element by ref, or by role and name with bounds within 5 px. */
export function findElement(
  root: UIElement,
  query: { ref?: string | undefined; element?: UIElement | undefined },
): UIElement | null {
  const stack = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (query.ref !== undefined) {
      if (e.ref === query.ref) return e;
    } else if (
      query.element && e.role === query.element.role && e.name === query.element.name &&
      near(e.bounds, query.element.bounds, 5)
    ) {
      return e;
    }
    stack.push(...e.children);
  }
  return null;
}
