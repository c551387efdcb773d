/**
 * How the policy file's rules decide one call in console mode, and which
 * paths of a call are protected. Most specific wins: for `fs.*` calls a
 * matching path rule (the longest matching path; with two paths, the
 * stricter outcome), for `apps.open` the app allow-list, then the method's
 * own rule, its family's (`fs.*`), `*`, and finally the built-in default
 * (observation methods allowed, everything else asked).
 *
 * @module
 */

import { resolve } from "node:path";
import type { PolicyAction, PolicyRules } from "./policy_file.ts";
import { expandHome, findProtectedPath, type ProtectedPath } from "./protected_paths.ts";

/** The outcome for one call, before remembered answers and prompts. */
export interface PolicyDecision {
  action: PolicyAction;
  /** What decided it. */
  by: "mode" | "policy_file";
  /** Why (for denials and protected paths). */
  why: string;
  /** The policy-file rule that decided, e.g. `methods "fs.*"`. */
  rule?: string;
  /** What an `a` or `t` answer remembers: the method, or the method and protected path. */
  key: string;
  /** The protected path that forces a prompt. */
  protectedPath?: { path: string; why: string };
}

/** Param names that hold paths, per `fs.*` method. */
const PATH_PARAMS: Record<string, readonly string[]> = {
  "fs.read": ["path"],
  "fs.write": ["path"],
  "fs.list": ["path"],
  "fs.stat": ["path"],
  "fs.delete": ["path"],
  "fs.mkdir": ["path"],
  "fs.move": ["src", "dst"],
};

/** Methods that also touch everything inside the path they name. */
const CONTAINING = new Set(["fs.delete", "fs.move"]);

/** The paths a call names (empty for methods without paths). */
export function pathsOf(method: string, params: Readonly<Record<string, unknown>>): string[] {
  return (PATH_PARAMS[method] ?? [])
    .map((name) => params[name])
    .filter((v): v is string => typeof v === "string" && v !== "");
}

/** The first protected path a call touches, or `null`. */
export function protectedPathOf(
  method: string,
  params: Readonly<Record<string, unknown>>,
  list: readonly ProtectedPath[],
): { requested: string; path: string; why: string } | null {
  if (list.length === 0) return null;
  for (const requested of pathsOf(method, params)) {
    const hit = findProtectedPath(requested, list, { containing: CONTAINING.has(method) });
    if (hit) return { requested, path: hit.path, why: hit.why };
  }
  return null;
}

const RANK: Record<PolicyAction, number> = { allow: 0, ask: 1, deny: 2 };

/** Decides a call by the rules (console mode; protected paths are handled before). */
export function decideByRules(
  method: string,
  params: Readonly<Record<string, unknown>>,
  observation: boolean,
  rules: PolicyRules,
): PolicyDecision {
  const fromFile = (action: PolicyAction, rule: string): PolicyDecision => ({
    action,
    by: "policy_file",
    why: action === "deny" ? `denied by the policy file (${rule})` : "",
    key: method,
    rule,
  });
  const paths = pathsOf(method, params);
  if (paths.length > 0 && rules.paths.length > 0) {
    let strictest: { action: PolicyAction; rule: string } | null = null;
    for (const path of paths) {
      const rule = matchPathRule(path, rules.paths);
      if (!rule) {
        strictest = null;
        break;
      }
      if (!strictest || RANK[rule.action] > RANK[strictest.action]) {
        strictest = { action: rule.action, rule: `path rule "${rule.path}"` };
      }
    }
    if (strictest) return fromFile(strictest.action, strictest.rule);
  }
  if (method === "apps.open" && typeof params.name === "string") {
    if (rules.apps.allow.includes(params.name)) return fromFile("allow", "apps.allow");
  }
  const family = `${method.split(".")[0]}.*`;
  for (const pattern of [method, family, "*"]) {
    const action = rules.methods[pattern];
    if (action) return fromFile(action, `methods "${pattern}"`);
  }
  return { action: observation ? "allow" : "ask", by: "mode", why: "", key: method };
}

function matchPathRule(
  path: string,
  rules: PolicyRules["paths"],
): PolicyRules["paths"][number] | null {
  const target = resolve(expandHome(path));
  let best: PolicyRules["paths"][number] | null = null;
  let bestLength = -1;
  for (const rule of rules) {
    const root = resolve(expandHome(rule.path));
    const inside = target === root || target.startsWith(root.endsWith("/") ? root : root + "/");
    if (inside && root.length > bestLength) {
      best = rule;
      bestLength = root.length;
    }
  }
  return best;
}
