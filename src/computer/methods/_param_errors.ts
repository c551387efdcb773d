/**
 * Turns zod validation issues into one clear message that names the
 * parameter and the expected type.
 *
 * @module
 */

import type { z } from "zod";

/** A formatted validation failure. */
export interface ParamProblem {
  /** Sentence-case message: `Invalid params for 'fs.read': 'path' is required (expected string)`. */
  message: string;
  /** Dotted path of the first bad parameter (`event.point.x`). */
  param: string;
  /** What was expected there, when known. */
  expected?: string;
}

const TYPE_NAMES: Record<string, string> = {
  object: "map",
  array: "list",
  boolean: "bool",
  number: "number",
  integer: "integer",
  string: "string",
  null: "nil",
  undefined: "nothing",
  float: "non-integral number",
  nan: "NaN",
};

function typeName(t: string): string {
  return TYPE_NAMES[t] ?? t;
}

function pathOf(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out === "" ? "params" : out;
}

function describeIssue(issue: z.ZodIssue): { text: string; expected?: string } {
  const name = `'${pathOf(issue.path)}'`;
  switch (issue.code) {
    case "invalid_type": {
      const expected = typeName(issue.expected);
      if (issue.received === "undefined") {
        return { text: `${name} is required (expected ${expected})`, expected };
      }
      if (issue.received === "null") {
        return { text: `${name} must not be nil (expected ${expected})`, expected };
      }
      return {
        text: `${name} must be ${expected}, received ${typeName(issue.received)}`,
        expected,
      };
    }
    case "invalid_enum_value": {
      const options = issue.options.map((o) => `'${String(o)}'`).join(", ");
      return {
        text: `${name} must be one of ${options}, received '${String(issue.received)}'`,
        expected: `one of ${options}`,
      };
    }
    case "too_small":
      if (issue.type === "array") {
        return { text: `${name} needs at least ${issue.minimum} item(s)` };
      }
      return { text: `${name} is too small: ${issue.message}` };
    case "too_big":
      return { text: `${name} is too big: ${issue.message}` };
    case "invalid_union":
      return { text: `${name} has an invalid value` };
    default:
      return {
        text: `${name} ${
          issue.message.replace(/^Input not instance of Uint8Array$/, "must be binary data (bin)")
        }`,
      };
  }
}

/** Formats the issues of a failed params parse for `method`. */
export function describeParamIssues(method: string, error: z.ZodError): ParamProblem {
  const described = error.issues.slice(0, 5).map(describeIssue);
  const first = error.issues[0];
  const problem: ParamProblem = {
    message: `Invalid params for '${method}': ${described.map((d) => d.text).join("; ")}`,
    param: first ? pathOf(first.path) : "params",
  };
  const expected = described[0]?.expected;
  if (expected !== undefined) problem.expected = expected;
  return problem;
}
