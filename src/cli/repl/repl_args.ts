/**
 * The REPL's concise argument syntax: `key=value` words build a params map,
 * dotted keys build nested maps (`point.x=10`), values that look like a
 * number, boolean, `null` or JSON are parsed as such, quoted values are
 * always strings, and a whole JSON object may stand for all params. Words
 * without `=` are positionals; `--flag [value]` words are REPL options.
 *
 * @module
 */

import { type Token, tokenize } from "./repl_tokenizer.ts";

/** A REPL line split into its parts, before any method-specific checks. */
export interface ParsedLine {
  /** The first word (a method, helper or `:command`); empty for a blank line. */
  readonly command: string;
  /** The params built from `key=value` words and JSON objects (values typed by their look). */
  readonly params: Record<string, unknown>;
  /** The params of JSON-object words only. */
  readonly jsonParams: Record<string, unknown>;
  /** The `key=value` words, in order, untyped. */
  readonly assignments: readonly Assignment[];
  /** Words without `=` (after the command), in order. */
  readonly positionals: readonly Token[];
  /** `--name value` / `--name=value` / `--switch` options. */
  readonly flags: Readonly<Record<string, string | true>>;
}

/** One `key=value` word. */
export interface Assignment {
  /** The dotted name. */
  readonly path: string;
  /** The value text as typed (quotes removed). */
  readonly raw: string;
  /** True when (part of) the value was quoted: it is a string whatever it looks like. */
  readonly quoted: boolean;
}

/** A REPL argument that cannot be understood; the message names the parameter. */
export class ReplArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplArgumentError";
  }
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Turns the text of an unquoted value into a typed value: numbers, `true`,
 * `false`, `null`, JSON objects and arrays; anything else stays a string.
 *
 * @param text The value as typed.
 * @param name The parameter it belongs to (for error messages).
 * @throws {ReplArgumentError} when a value starting with `{` or `[` is not valid JSON
 */
export function parseValue(text: string, name: string): unknown {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null") return null;
  if (NUMBER.test(text)) return Number(text);
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ReplArgumentError(`Value of '${name}' is not valid JSON: ${detail}`);
    }
  }
  return text;
}

/**
 * Sets `value` at a dotted `path` in `target`, creating nested maps.
 *
 * @throws {ReplArgumentError} when the path is empty, malformed, or collides with a non-map value
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split(".");
  if (segments.some((s) => s.length === 0)) {
    throw new ReplArgumentError(`Parameter name '${path}' is malformed: use names like point.x`);
  }
  let node = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const existing = node[segment];
    if (existing === undefined || existing === null) {
      const child: Record<string, unknown> = {};
      node[segment] = child;
      node = child;
    } else if (typeof existing === "object" && !Array.isArray(existing)) {
      node = existing as Record<string, unknown>;
    } else {
      const prefix = segments.slice(0, i + 1).join(".");
      throw new ReplArgumentError(`Parameter '${prefix}' is set twice: as a value and as a map`);
    }
  }
  const last = segments[segments.length - 1]!;
  if (isPlainMap(node[last])) {
    throw new ReplArgumentError(`Parameter '${path}' is set twice: as a value and as a map`);
  }
  node[last] = value;
}

/** Deep-merges plain maps from `source` into `target` (later words win over a JSON object). */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainMap(existing) && isPlainMap(value)) mergeInto(existing, value);
    else target[key] = value;
  }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

/** Options of {@linkcode parseLine}. */
export interface ParseLineOptions {
  /** Flags that take a value (`--out DIR`); any other `--flag` is a switch. */
  valueFlags?: readonly string[];
}

/**
 * Parses a REPL line into command, params, positionals and flags.
 *
 * @param line The line as typed.
 * @param options See {@linkcode ParseLineOptions}.
 * @returns The parts of the line.
 * @throws {ReplSyntaxError} for unterminated quotes or brackets
 * @throws {ReplArgumentError} for malformed names, duplicate names or invalid JSON
 *
 * @example Usage
 * ```ts
 * import { parseLine } from "./repl_args.ts";
 * const parsed = parseLine("input.pointer action=move point.x=10 point.y=20");
 * // parsed.params = { action: "move", point: { x: 10, y: 20 } }
 * ```
 */
export function parseLine(line: string, options: ParseLineOptions = {}): ParsedLine {
  const tokens = tokenize(line);
  const [first, ...rest] = tokens;
  if (!first) {
    return { command: "", params: {}, jsonParams: {}, assignments: [], positionals: [], flags: {} };
  }
  const jsonParams: Record<string, unknown> = {};
  const assignments: Assignment[] = [];
  const positionals: Token[] = [];
  const flags: Record<string, string | true> = {};
  const valueFlags = new Set(options.valueFlags ?? []);
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    const text = token.text;
    if (token.quotedFrom !== 0 && text.startsWith("--") && text.length > 2) {
      const eq = text.indexOf("=");
      const name = eq >= 0 ? text.slice(2, eq) : text.slice(2);
      if (eq >= 0) flags[name] = text.slice(eq + 1);
      else if (valueFlags.has(name)) {
        const next = rest[i + 1];
        if (!next) throw new ReplArgumentError(`Option '--${name}' needs a value`);
        flags[name] = next.text;
        i++;
      } else flags[name] = true;
      continue;
    }
    if (token.quotedFrom !== 0 && text.startsWith("{")) {
      const value = parseValue(text, "params");
      if (!isPlainMap(value)) {
        throw new ReplArgumentError("A JSON argument must be an object of params");
      }
      mergeInto(jsonParams, value);
      continue;
    }
    const eq = text.indexOf("=");
    const nameIsPlain = eq > 0 && (token.quotedFrom < 0 || token.quotedFrom > eq) &&
      /^[A-Za-z_][\w.-]*$/.test(text.slice(0, eq));
    if (nameIsPlain) {
      assignments.push({
        path: text.slice(0, eq),
        raw: text.slice(eq + 1),
        quoted: token.quotedFrom >= 0,
      });
      continue;
    }
    positionals.push(token);
  }
  const params = buildParamMap(
    jsonParams,
    assignments,
    (a) => a.quoted ? a.raw : parseValue(a.raw, a.path),
  );
  return { command: first.text, params, jsonParams, assignments, positionals, flags };
}

/**
 * Builds a params map from JSON-object params and `key=value` words, typing
 * each word's value with `typeOf`. A word overrides the same key of the JSON.
 *
 * @throws {ReplArgumentError} for malformed or duplicate names
 */
export function buildParamMap(
  jsonParams: Record<string, unknown>,
  assignments: readonly Assignment[],
  typeOf: (assignment: Assignment) => unknown,
): Record<string, unknown> {
  const params: Record<string, unknown> = structuredClone(jsonParams);
  const seen = new Set<string>();
  for (const assignment of assignments) {
    if (seen.has(assignment.path)) {
      throw new ReplArgumentError(`Parameter '${assignment.path}' is given twice`);
    }
    seen.add(assignment.path);
    removePath(params, assignment.path);
    setPath(params, assignment.path, typeOf(assignment));
  }
  return params;
}

function removePath(target: Record<string, unknown>, path: string): void {
  const segments = path.split(".");
  let node: unknown = target;
  for (const segment of segments.slice(0, -1)) {
    if (!isPlainMap(node)) return;
    node = node[segment];
  }
  if (isPlainMap(node)) delete node[segments[segments.length - 1]!];
}
