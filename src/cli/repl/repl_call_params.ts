/**
 * Turns a parsed REPL line into the params of one method call: maps
 * positional words to parameters, types each value by its parameter's
 * type, lets the fields of a single wrapped parameter be given directly
 * (`input.pointer action=move point.x=1` means `event.action=…`), and
 * validates the result with the method's schema before anything is sent.
 *
 * @module
 */

import type { ZodIssue, ZodTypeAny } from "zod";
import {
  type Assignment,
  buildParamMap,
  type ParsedLine,
  parseValue,
  ReplArgumentError,
} from "./repl_args.ts";
import { fieldAtPath, type FieldInfo, objectFields } from "./param_schema.ts";

/** Documentation of one parameter. */
export interface ReplParamDoc {
  /** Wire name. */
  readonly name: string;
  /** Type in the catalogue's notation. */
  readonly type: string;
  /** Default; absent = required. */
  readonly default?: string;
  /** One line. */
  readonly doc: string;
  /** An opendesk extension a reference peer does not know. */
  readonly extension?: boolean;
}

/** What the REPL needs to know about one wire method. */
export interface ReplMethod {
  /** Wire name, e.g. `display.capture`. */
  readonly name: string;
  /** `observation` and `action` are unary calls; `stream` methods are subscriptions. */
  readonly kind: "observation" | "action" | "stream";
  /** One-line help text. */
  readonly summary: string;
  /** The params schema (zod). */
  readonly params: ZodTypeAny;
  /** Documentation of the top-level params, when the method table has it. */
  readonly paramDocs?: readonly ReplParamDoc[];
  /** The other name of an aliased method (`ui.perform` for `ui.action`). */
  readonly alias?: string;
}

/**
 * The fields the user types at top level for `method`: the method's params,
 * or, when it has exactly one object-typed param (`event`, `text_input`,
 * `contents`), that param's fields.
 */
export function userFields(
  method: ReplMethod,
): { wrapper?: string; fields: readonly FieldInfo[] } {
  const fields = objectFields(method.params);
  const only = fields.length === 1 ? fields[0]! : undefined;
  if (only && only.children.length > 0) return { wrapper: only.name, fields: only.children };
  return { fields };
}

function isStringType(field: FieldInfo | undefined): boolean {
  return field !== undefined && /^string\??$/.test(field.type);
}

const encoder = new TextEncoder();

function typed(raw: string, quoted: boolean, field: FieldInfo | undefined, name: string): unknown {
  if (field?.binary) return encoder.encode(raw);
  if (quoted || isStringType(field)) return raw;
  if (field?.enumValues.length && field.enumValues.includes(raw)) return raw;
  return parseValue(raw, name);
}

/**
 * Builds and validates the params of a call.
 *
 * @param method The method being called.
 * @param parsed The parsed line.
 * @returns The params to send.
 * @throws {ReplArgumentError} naming the parameter that is missing, unknown or of the wrong type
 *
 * @example Usage
 * ```ts ignore
 * const params = buildCallParams(method, parseLine("fs.list /tmp"));
 * ```
 */
export function buildCallParams(method: ReplMethod, parsed: ParsedLine): Record<string, unknown> {
  const top = objectFields(method.params);
  const { wrapper, fields } = userFields(method);
  const topNames = new Set(top.map((f) => f.name));
  const givenTop = [
    ...Object.keys(parsed.jsonParams),
    ...parsed.assignments.map((a) => a.path.split(".")[0]!),
  ];
  const useWrapper = wrapper !== undefined && !givenTop.some((name) => topNames.has(name));
  const level = useWrapper ? fields : top;
  const typeOf = (a: Assignment): unknown =>
    typed(a.raw, a.quoted, fieldAtPath(level, a.path.split(".")), a.path);
  let params = buildParamMap(parsed.jsonParams, parsed.assignments, typeOf);
  assignPositionals(method, level, params, parsed);
  checkUnknown(method, level, params, useWrapper ? `${wrapper}.` : "");
  encodeBinaryStrings(level, params);
  if (useWrapper) params = { [wrapper!]: params };
  const result = method.params.safeParse(params);
  if (!result.success) {
    throw new ReplArgumentError(describeIssue(method, result.error.issues[0]!, useWrapper));
  }
  return params;
}

function assignPositionals(
  method: ReplMethod,
  level: readonly FieldInfo[],
  params: Record<string, unknown>,
  parsed: ParsedLine,
): void {
  if (parsed.positionals.length === 0) return;
  const free = [
    ...level.filter((f) => f.required && !(f.name in params)),
    ...level.filter((f) => !f.required && !(f.name in params)),
  ];
  const words = [...parsed.positionals];
  const requiredCount = level.filter((f) => f.required).length;
  for (const field of free) {
    if (words.length === 0) break;
    if (field.type.startsWith("[")) {
      const items = words.splice(0).map((w) =>
        field.type.startsWith("[string]")
          ? w.text
          : typed(w.text, w.quotedFrom >= 0, undefined, field.name)
      );
      params[field.name] = items;
      break;
    }
    if (isStringType(field) && field.required && requiredCount === 1 && words.length > 1) {
      // `sh`-like methods: the rest of the line is the one required string.
      params[field.name] = words.splice(0).map((w) => w.text).join(" ");
      break;
    }
    const word = words.shift()!;
    params[field.name] = typed(word.text, word.quotedFrom >= 0, field, field.name);
  }
  if (words.length > 0) {
    const names = level.map((f) => f.name).join(", ");
    throw new ReplArgumentError(
      `Too many arguments for ${method.name}: '${words[0]!.text}' has no parameter to go to` +
        (names ? ` (parameters: ${names})` : " (it takes no parameters)"),
    );
  }
}

/**
 * Text given for a binary parameter (e.g. `fs.write data=…`, or the `data` of
 * a `clipboard.write` text entry) is sent as its UTF-8 bytes.
 */
function encodeBinaryStrings(fields: readonly FieldInfo[], params: Record<string, unknown>): void {
  for (const field of fields) {
    const value = params[field.name];
    const encoded = encodeBinaryValue(field, value);
    if (encoded !== value) params[field.name] = encoded;
  }
}

function encodeBinaryValue(field: FieldInfo, value: unknown): unknown {
  if (field.binary && typeof value === "string") return encoder.encode(value);
  if (Array.isArray(value) && field.element) {
    const element = field.element;
    return value.map((item) => encodeBinaryValue(element, item));
  }
  if (field.children.length > 0 && value && typeof value === "object" && !Array.isArray(value)) {
    encodeBinaryStrings(field.children, value as Record<string, unknown>);
  }
  return value;
}

function checkUnknown(
  method: ReplMethod,
  fields: readonly FieldInfo[],
  params: Record<string, unknown>,
  prefix: string,
): void {
  for (const [key, value] of Object.entries(params)) {
    const field = fields.find((f) => f.name === key);
    if (!field) {
      const known = fields.map((f) => f.name);
      throw new ReplArgumentError(
        `Unknown parameter '${prefix}${key}' for ${method.name}` +
          (known.length > 0 ? `: expected one of ${known.join(", ")}` : ": it takes no parameters"),
      );
    }
    if (field.children.length > 0 && value && typeof value === "object" && !Array.isArray(value)) {
      checkUnknown(method, field.children, value as Record<string, unknown>, `${prefix}${key}.`);
    }
  }
}

function describeIssue(method: ReplMethod, issue: ZodIssue, wrapped: boolean): string {
  const path = (wrapped ? issue.path.slice(1) : issue.path).join(".") ||
    String(issue.path[0] ?? "params");
  const field = fieldAtPath(objectFields(method.params), issue.path.map(String));
  const expected = field ? ` (${field.type})` : "";
  switch (issue.code) {
    case "invalid_type":
      if (issue.received === "undefined") {
        return `Missing parameter '${path}'${expected} for ${method.name}: ` +
          `try \`:help ${method.name}\``;
      }
      return `Parameter '${path}' must be ${issue.expected}, got ${issue.received}`;
    case "invalid_enum_value":
      return `Parameter '${path}' must be one of ${issue.options.join(", ")}, ` +
        `got '${String(issue.received)}'`;
    case "unrecognized_keys":
      return `Unknown parameter '${
        [path, issue.keys[0]].filter(Boolean).join(".")
      }' for ${method.name}`;
    default:
      return `Parameter '${path}' is invalid: ${issue.message}`;
  }
}
