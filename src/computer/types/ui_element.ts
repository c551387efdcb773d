/**
 * The accessibility element type, recursive.
 *
 * @module
 */

import { z } from "zod";
import { boolSchema, strSchema } from "./_lax.ts";
import { type Rect, RectSchema } from "./geometry.ts";

/** One accessibility element and its subtree. */
export interface UIElement {
  /** Platform-native role (`push button`, `AXButton`, `button`, …). */
  role: string;
  name: string;
  value: string | null;
  /** Logical bounds. */
  bounds: Rect | null;
  focused: boolean;
  enabled: boolean;
  actions: string[];
  children: UIElement[];
  /** Free-form; well-known keys `app` and `menu_path`. */
  metadata: Record<string, unknown>;
  /**
   * Extension (only when `ui.tree` was called with `refs: true`): a handle
   * that `ui.action` accepts as `ref` to find the element again.
   */
  ref?: string | undefined;
}

/** A UIElement before defaults are applied. */
export interface UIElementInit {
  role: string;
  name?: string | undefined;
  value?: string | null | undefined;
  bounds?: Rect | null | undefined;
  focused?: boolean | undefined;
  enabled?: boolean | undefined;
  actions?: string[] | undefined;
  children?: UIElementInit[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  ref?: string | undefined;
}

/** One accessibility element and its subtree. */
export const UIElementSchema: z.ZodType<UIElement, z.ZodTypeDef, UIElementInit> = z.lazy(() =>
  z.object({
    role: strSchema,
    name: strSchema.default(""),
    value: strSchema.nullable().default(null),
    bounds: RectSchema.nullable().default(null),
    focused: boolSchema.default(false),
    enabled: boolSchema.default(true),
    actions: z.array(strSchema).default([]),
    children: z.array(UIElementSchema).default([]),
    metadata: z.record(z.unknown()).default({}),
    ref: strSchema.optional(),
  })
);
