/**
 * The consent request the policy tests ask about: controller "laptop" in
 * session "s1", a gated method whose summary is its name, unless `overrides`
 * says otherwise.
 *
 * @module
 */

import type { PolicyRequest } from "../../src/remote/policy.ts";

/** A request for `method` from the test controller; fields of `overrides` win. */
export function policyRequest(
  method: string,
  overrides: Partial<PolicyRequest> = {},
): PolicyRequest {
  return {
    sessionId: "s1",
    peerKeyHex: "ab".repeat(32),
    label: "laptop",
    method,
    summary: method,
    observation: false,
    ...overrides,
  };
}
