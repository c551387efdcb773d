/**
 * Reads the shape of a method's zod params schema: field names, types,
 * defaults, enum values and nested fields. The REPL uses it for parameter
 * completion, `:help METHOD` and positional arguments.
 *
 * @module
 */

import type { ZodTypeAny } from "zod";

/** What the REPL knows about one parameter (or nested field). */
export interface FieldInfo {
  /** Field name (the last segment of its dotted path). */
  readonly name: string;
  /** Human-readable type, e.g. `number`, `string?`, `"move" | "down"`, `{x, y}`. */
  readonly type: string;
  /** False when the field has a default or may be left out. */
  readonly required: boolean;
  /** The default, when the schema declares one. */
  readonly defaultValue?: unknown;
  /** The allowed values of an enum or literal field. */
  readonly enumValues: readonly string[];
  /** Nested fields of an object-typed field. */
  readonly children: readonly FieldInfo[];
  /** The schema's `.describe()` text. */
  readonly description?: string;
  /** True for binary data (`Uint8Array`). */
  readonly binary: boolean;
  /** The element of an array-typed field. */
  readonly element?: FieldInfo;
}

type Def = {
  typeName?: string;
  innerType?: ZodTypeAny;
  schema?: ZodTypeAny;
  in?: ZodTypeAny;
  type?: ZodTypeAny;
  getter?: () => ZodTypeAny;
  options?: ZodTypeAny[] | readonly string[];
  values?: readonly string[] | Record<string, string | number>;
  value?: unknown;
  defaultValue?: () => unknown;
  shape?: () => Record<string, ZodTypeAny>;
  description?: string;
};

function def(schema: ZodTypeAny): Def {
  return (schema as unknown as { _def: Def })._def ?? {};
}

interface Unwrapped {
  core: ZodTypeAny;
  optional: boolean;
  nullable: boolean;
  defaultValue?: unknown;
  hasDefault: boolean;
  description?: string;
  binary: boolean;
}

function unwrap(schema: ZodTypeAny): Unwrapped {
  let current = schema;
  const out: Unwrapped = {
    core: schema,
    optional: false,
    nullable: false,
    hasDefault: false,
    binary: false,
  };
  for (let guard = 0; guard < 20; guard++) {
    const d = def(current);
    if (d.description && out.description === undefined) out.description = d.description;
    switch (d.typeName) {
      case "ZodOptional":
        out.optional = true;
        current = d.innerType!;
        continue;
      case "ZodNullable":
        out.nullable = true;
        current = d.innerType!;
        continue;
      case "ZodDefault":
        out.hasDefault = true;
        try {
          out.defaultValue = d.defaultValue?.();
        } catch {
          out.defaultValue = undefined;
        }
        current = d.innerType!;
        continue;
      case "ZodCatch":
      case "ZodReadonly":
      case "ZodBranded":
        current = d.innerType ?? d.type!;
        continue;
      case "ZodEffects":
        if (isBinarySchema(current)) {
          out.binary = true;
          break;
        }
        current = d.schema!;
        continue;
      case "ZodPipeline":
        current = d.in!;
        continue;
      case "ZodLazy":
        current = d.getter!();
        continue;
      default:
        break;
    }
    break;
  }
  out.core = current;
  return out;
}

/** Returns the fields of an object schema (empty for anything else). */
export function objectFields(schema: ZodTypeAny, depth = 0): FieldInfo[] {
  const core = unwrap(schema).core;
  const d = def(core);
  if (d.typeName !== "ZodObject" || !d.shape || depth > 4) return [];
  const shape = d.shape();
  return Object.entries(shape).map(([name, field]) => describeField(name, field, depth + 1));
}

/**
 * Describes one field.
 *
 * @param name The field name.
 * @param schema Its zod schema.
 * @returns Its {@linkcode FieldInfo}.
 */
export function describeField(name: string, schema: ZodTypeAny, depth = 0): FieldInfo {
  const u = unwrap(schema);
  const d = def(u.core);
  let type = "any";
  let enumValues: string[] = [];
  let children: FieldInfo[] = [];
  let binary = u.binary;
  let element: FieldInfo | undefined;
  switch (d.typeName) {
    case "ZodString":
      type = "string";
      break;
    case "ZodNumber":
      type = "number";
      break;
    case "ZodBigInt":
      type = "integer";
      break;
    case "ZodBoolean":
      type = "boolean";
      break;
    case "ZodEnum":
      enumValues = [...(d.values as readonly string[])];
      type = enumValues.map((v) => `"${v}"`).join(" | ");
      break;
    case "ZodNativeEnum":
      enumValues = Object.values(d.values as Record<string, string | number>)
        .filter((v): v is string => typeof v === "string");
      type = enumValues.map((v) => `"${v}"`).join(" | ");
      break;
    case "ZodLiteral":
      enumValues = [String(d.value)];
      type = JSON.stringify(d.value);
      break;
    case "ZodArray": {
      element = describeField("item", d.type!, depth + 1);
      type = `[${element.type}]`;
      enumValues = [...element.enumValues];
      break;
    }
    case "ZodRecord":
      type = "map";
      break;
    case "ZodObject":
      children = depth > 4 ? [] : objectFields(u.core, depth);
      type = children.length > 0 ? `{${children.map((c) => c.name).join(", ")}}` : "map";
      break;
    case "ZodUnion":
    case "ZodDiscriminatedUnion": {
      const options = (d.options as ZodTypeAny[]).map((o) => describeField(name, o, depth + 1));
      type = options.map((o) => o.type).join(" | ");
      break;
    }
    default:
      if (binary || isBinarySchema(u.core)) {
        type = "bytes";
        binary = true;
      }
      break;
  }
  if (u.nullable) type += "?";
  const info: FieldInfo = {
    name,
    type,
    required: !u.optional && !u.hasDefault && !u.nullable,
    enumValues,
    children,
    binary,
    ...(element ? { element } : {}),
    ...(u.hasDefault ? { defaultValue: u.defaultValue } : {}),
    ...(u.description !== undefined ? { description: u.description } : {}),
  };
  return info;
}

function isBinarySchema(schema: ZodTypeAny): boolean {
  return schema.safeParse(new Uint8Array(1)).success && !schema.safeParse("x").success;
}

/**
 * Finds the field at a dotted path (`event.point.x`) among `fields`.
 *
 * @returns The field, or `undefined` when the path does not exist.
 */
export function fieldAtPath(
  fields: readonly FieldInfo[],
  path: readonly string[],
): FieldInfo | undefined {
  let level = fields;
  let found: FieldInfo | undefined;
  for (const segment of path) {
    found = level.find((f) => f.name === segment);
    if (!found) return undefined;
    level = found.children;
  }
  return found;
}
