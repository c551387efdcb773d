/**
 * Locating an element again in a fresh accessibility walk from the
 * `UIElement` a controller sent (no id, so role, name and
 * bounds), as the reference's Linux backend does: role and name as
 * case-insensitive substrings, bounds within 5 px, at most 12 levels deep.
 *
 * @module
 */

import type { UIElement } from "../../types/ui_element.ts";
import type { AtspiNode } from "./atspi_tree.ts";

/** Bounds tolerance in pixels. */
export const BOUNDS_TOLERANCE = 5;

function includesCi(hay: string, needle: string): boolean {
  return hay.toLowerCase().includes(needle.toLowerCase());
}

function boundsMatch(node: AtspiNode, element: UIElement): boolean {
  if (element.bounds === null) return true;
  if (node.bounds === null) return false;
  const [x, y, w, h] = node.bounds;
  const b = element.bounds;
  return Math.abs(x - b.x) <= BOUNDS_TOLERANCE && Math.abs(y - b.y) <= BOUNDS_TOLERANCE &&
    Math.abs(w - b.width) <= BOUNDS_TOLERANCE && Math.abs(h - b.height) <= BOUNDS_TOLERANCE;
}

/**
 * The first node (breadth-first, so the shallowest) matching `element`, or
 * null. Exact role and name equality wins over substring matches.
 */
export function findElement(root: AtspiNode, element: UIElement): AtspiNode | null {
  let partial: AtspiNode | null = null;
  let level: AtspiNode[] = [root];
  for (let depth = 0; depth <= 12 && level.length > 0; depth++) {
    const next: AtspiNode[] = [];
    for (const node of level) {
      if (node.ref !== null && boundsMatch(node, element)) {
        const exact = node.role === element.role && node.name === element.name;
        if (exact) return node;
        if (
          partial === null && includesCi(node.role, element.role) &&
          includesCi(node.name, element.name)
        ) {
          partial = node;
        }
      }
      next.push(...node.children);
    }
    level = next;
  }
  return partial;
}
