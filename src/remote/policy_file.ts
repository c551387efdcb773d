/**
 * `<home>/policy.json`: the person at the controlled machine says which
 * calls are allowed, asked or denied (docs/policy.md). Read once when the
 * server starts; validated strictly, and every error names the line to fix.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import { jsonValueLines, lineOf } from "./_json_lines.ts";

/** What happens to a call. */
export type PolicyAction = "allow" | "ask" | "deny";

/** File name of the policy inside the home directory. */
export const POLICY_FILE = "policy.json";

const ActionSchema: z.ZodType<PolicyAction> = z.enum(["allow", "ask", "deny"]);
const METHOD_PATTERN = /^(\*|[a-z_]+\.\*|[a-z_]+\.[a-z_]+)$/;

/** The validated file. */
export interface PolicyRules {
  /** Per method (`fs.read`), family (`fs.*`) or everything (`*`). */
  methods: Record<string, PolicyAction>;
  /** Path rules for `fs.*`; the longest matching path wins. */
  paths: { path: string; action: PolicyAction }[];
  /** Apps `apps.open` may start without asking. */
  apps: { allow: string[] };
  /** Extra protected paths (always asked). */
  protected: string[];
}

const PolicyFileSchema: z.ZodType<PolicyRules, z.ZodTypeDef, unknown> = z.object({
  $comment: z.string().optional(),
  methods: z.record(
    z.string().regex(METHOD_PATTERN, {
      message: 'expected a method ("fs.read"), a family ("fs.*") or "*"',
    }),
    ActionSchema,
  ).default({}),
  paths: z.array(
    z.object({
      path: z.string().min(1, { message: "expected a non-empty path" }),
      action: ActionSchema,
    }).strict(),
  ).default([]),
  apps: z.object({ allow: z.array(z.string().min(1)).default([]) }).strict().default({}),
  protected: z.array(z.string().min(1)).default([]),
}).strict().transform(({ $comment: _comment, ...rules }) => rules);

/** The rules of an absent file: nothing beyond the built-in defaults. */
export const EMPTY_POLICY: PolicyRules = {
  methods: {},
  paths: [],
  apps: { allow: [] },
  protected: [],
};

/** `policy.json` is not valid; the message names the file and line. */
export class PolicyFileError extends Error {
  /** The file. */
  readonly path: string;
  /** 1-based line of the first problem. */
  readonly line: number;

  constructor(path: string, line: number, detail: string, options?: ErrorOptions) {
    super(`Cannot use the policy file "${path}": line ${line}: ${detail}`, options);
    this.name = "PolicyFileError";
    this.path = path;
    this.line = line;
  }
}

/**
 * Reads `<home>/policy.json`; a missing file gives {@linkcode EMPTY_POLICY}.
 * @throws {PolicyFileError} when it is not valid JSON or breaks the schema
 */
export function loadPolicyFile(home: string): { rules: PolicyRules; path: string | null } {
  const path = join(home, POLICY_FILE);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { rules: EMPTY_POLICY, path: null };
    throw error;
  }
  return { rules: parsePolicyText(text, path), path };
}

/**
 * Validates policy text.
 * @throws {PolicyFileError} naming the line of the first problem
 */
export function parsePolicyText(text: string, path: string): PolicyRules {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = /line (\d+)/.exec(message)?.[1] ??
      (position ? String(text.slice(0, Number(position[1])).split("\n").length) : "1");
    throw new PolicyFileError(path, Number(line), `not valid JSON (${message})`, {
      cause: error,
    });
  }
  const parsed = PolicyFileSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = jsonValueLines(text);
  const issue = parsed.error.issues[0]!;
  let where = issue.path;
  let detail = issue.message;
  if (issue.code === "unrecognized_keys") {
    where = [...issue.path, issue.keys[0]!];
    detail = `unknown key "${issue.keys[0]}" (allowed: methods, paths, apps, protected)`;
  } else if (issue.code === "invalid_enum_value") {
    detail = `expected "allow", "ask" or "deny", got ${JSON.stringify(issue.received)}`;
  }
  const at = where.length > 0 ? ` at ${where.map((p) => JSON.stringify(p)).join(".")}` : "";
  throw new PolicyFileError(path, lineOf(lines, where), `${detail}${at}`);
}
