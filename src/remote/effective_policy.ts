/**
 * The policy a server started with this home would apply: the policy file's
 * rules plus the protected paths (built-in ones and those the file adds).
 * Shared by `opendesk serve` and `opendesk policy show`.
 *
 * @module
 */

import { resolve } from "node:path";
import { loadPolicyFile, type PolicyRules } from "./policy_file.ts";
import { defaultProtectedPaths, expandHome, type ProtectedPath } from "./protected_paths.ts";

/** The rules and protected paths in force. */
export interface EffectivePolicy {
  /** The validated rules (empty when there is no file). */
  rules: PolicyRules;
  /** Built-in protected paths, then the file's `protected` entries. */
  protectedPaths: ProtectedPath[];
  /** The policy file read, or `null` when there is none. */
  file: string | null;
}

/**
 * Loads `<home>/policy.json` and builds the protected-path list.
 * @param home opendesk's home
 * @param options the user's home directory (default: HOME or USERPROFILE)
 * @throws {PolicyFileError} when the file is invalid (the message names the line)
 */
export function loadEffectivePolicy(
  home: string,
  options: { userHome?: string | undefined } = {},
): EffectivePolicy {
  const { rules, path } = loadPolicyFile(home);
  const protectedPaths = [
    ...defaultProtectedPaths({ home, userHome: options.userHome }),
    ...rules.protected.map((p) => ({ path: resolve(expandHome(p)), why: "listed in policy.json" })),
  ];
  return { rules, protectedPaths, file: path };
}
