/**
 * `decodeUIElement`: `UIElementSchema.parse` for a received tree, without
 * zod's cost on well-formed input (a 600-element tree took ~30 ms through
 * the recursive schema, as long as the walk itself).
 *
 * The result is the schema's, field for field: defaults for missing fields,
 * 0 and 1 accepted as booleans, unknown keys left out, `ref` only when
 * present. Anything the fast path does not recognise is handed to the
 * schema, so errors (and their messages) are the schema's own.
 *
 * @module
 */

import { type UIElement, UIElementSchema } from "./ui_element.ts";
import type { Rect } from "./geometry.ts";

/** Thrown inside the fast path when the input needs the schema. */
const NEEDS_SCHEMA = Symbol("needs the schema");

function _isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function _str(v: unknown, fallback?: string): string {
  if (typeof v === "string") return v;
  if (v === undefined && fallback !== undefined) return fallback;
  throw NEEDS_SCHEMA;
}

function _bool(v: unknown, fallback: boolean): boolean {
  if (v === true || v === 1) return true;
  if (v === false || v === 0) return false;
  if (v === undefined) return fallback;
  throw NEEDS_SCHEMA;
}

function _num(v: unknown): number {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  throw NEEDS_SCHEMA;
}

function _rect(v: unknown): Rect | null {
  if (v === null || v === undefined) return null;
  if (!_isRecord(v)) throw NEEDS_SCHEMA;
  return { x: _num(v.x), y: _num(v.y), width: _num(v.width), height: _num(v.height) };
}

function _strings(v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw NEEDS_SCHEMA;
  const out = new Array<string>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = _str(v[i]);
  return out;
}

function _element(v: unknown): UIElement {
  if (!_isRecord(v)) throw NEEDS_SCHEMA;
  const value = v.value;
  if (value !== null && value !== undefined && typeof value !== "string") throw NEEDS_SCHEMA;
  const kids = v.children;
  if (kids !== undefined && !Array.isArray(kids)) throw NEEDS_SCHEMA;
  const metadata = v.metadata;
  if (metadata !== undefined && (!_isRecord(metadata) || Object.hasOwn(metadata, "__proto__"))) {
    throw NEEDS_SCHEMA; // the schema leaves a "__proto__" key out
  }
  const el: UIElement = {
    role: _str(v.role),
    name: _str(v.name, ""),
    value: value ?? null,
    bounds: _rect(v.bounds),
    focused: _bool(v.focused, false),
    enabled: _bool(v.enabled, true),
    actions: _strings(v.actions),
    children: kids === undefined ? [] : kids.map(_element),
    metadata: metadata === undefined ? {} : { ...metadata },
  };
  if ("ref" in v) {
    if (v.ref === undefined) throw NEEDS_SCHEMA; // the schema's own handling of an explicit undefined
    el.ref = _str(v.ref);
  }
  return el;
}

/**
 * A received UIElement tree, as `UIElementSchema.parse` gives it.
 *
 * @throws {z.ZodError} What the schema throws for input that is not a UIElement.
 */
export function decodeUIElement(raw: unknown): UIElement {
  try {
    return _element(raw);
  } catch (error) {
    if (error !== NEEDS_SCHEMA) throw error;
    return UIElementSchema.parse(raw);
  }
}
