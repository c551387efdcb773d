/**
 * Renders a `ui.tree` result (a UIElement with nested children) as an
 * indented tree: role, name, value, bounds, states and actions per line.
 *
 * @module
 */

import { formatRect, truncate } from "./text_layout.ts";

/** Options of {@linkcode renderUiTree}. */
export interface RenderUiTreeOptions {
  /**
   * Stop after this many lines (a last line says how many were left out).
   * @default {400}
   */
  maxLines?: number;
  /**
   * Cut each line to this many columns.
   * @default {120}
   */
  width?: number;
  /** Short numbers of the elements by position (`@N`), shown instead of the server's refs. */
  refs?: ReadonlyMap<number, { readonly ref: string }>;
}

type Element = Record<string, unknown>;

/** The element's ref (`ref`, or `metadata.ref` as some servers send it). */
function refOf(element: Element): string | undefined {
  const metadata = element.metadata as Record<string, unknown> | undefined;
  const ref = element.ref ?? metadata?.ref;
  return typeof ref === "string" ? ref : undefined;
}

function describe(element: Element, label: string | undefined): string {
  const parts: string[] = label !== undefined ? [label] : [];
  parts.push(String(element.role ?? "?"));
  if (typeof element.name === "string" && element.name.length > 0) {
    parts.push(JSON.stringify(element.name));
  }
  if (typeof element.value === "string" && element.value.length > 0) {
    parts.push(`= ${JSON.stringify(truncate(element.value, 40))}`);
  }
  if (element.bounds) parts.push(`[${formatRect(element.bounds)}]`);
  if (element.focused === true) parts.push("focused");
  if (element.enabled === false) parts.push("disabled");
  const actions = Array.isArray(element.actions) ? element.actions : [];
  if (actions.length > 0) parts.push(`actions: ${actions.join(",")}`);
  const ref = refOf(element);
  if (label === undefined && ref !== undefined) parts.push(`ref=${ref}`);
  return parts.join(" ");
}

/**
 * Renders `root` as a tree.
 *
 * @param root A UIElement map.
 * @param options See {@linkcode RenderUiTreeOptions}.
 * @returns The tree text, ending with a newline.
 *
 * @example Usage
 * ```ts
 * import { renderUiTree } from "./ui_tree_view.ts";
 * renderUiTree({ role: "window", name: "Demo", children: [{ role: "push button", name: "OK", children: [] }] });
 * ```
 */
export function renderUiTree(root: Element, options: RenderUiTreeOptions = {}): string {
  const maxLines = options.maxLines ?? 400;
  const width = options.width ?? 120;
  const lines: string[] = [];
  let total = 0;
  const labels = new Map<string, number>();
  for (const [n, { ref }] of options.refs ?? []) labels.set(ref, n);
  const walk = (element: Element, prefix: string, childPrefix: string): void => {
    total++;
    const ref = refOf(element);
    const n = ref === undefined ? undefined : labels.get(ref);
    const label = n === undefined ? undefined : `@${n}`;
    if (lines.length < maxLines) lines.push(truncate(prefix + describe(element, label), width));
    const children = Array.isArray(element.children) ? element.children as Element[] : [];
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      walk(child, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
    });
  };
  walk(root, "", "");
  if (total > lines.length) {
    lines.push(`… ${total - lines.length} more elements (use :raw to see all)`);
  }
  return lines.join("\n") + "\n";
}

/** Counts the elements of a tree. */
export function countElements(root: Element): number {
  const children = Array.isArray(root.children) ? root.children as Element[] : [];
  return 1 + children.reduce((sum, child) => sum + countElements(child), 0);
}
