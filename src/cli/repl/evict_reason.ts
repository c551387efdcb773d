/**
 * Words for the reasons a controlled machine gives when it ends a session
 * (`session.evicted`), so people read what happened instead of a code.
 *
 * @module
 */

import { escapeForTerminal } from "../../protocol/escape_for_terminal.ts";

const REASONS: Readonly<Record<string, string>> = {
  admin_disconnect: "the person at that machine ended it (`opendesk disconnect` there)",
  unpaired: "that machine no longer trusts this controller (it was unpaired there)",
  replaced: "another session of this controller (same identity) took over",
  server_shutdown: "the opendesk server there is shutting down",
};

/**
 * A sentence for an eviction reason; unknown codes (from other
 * implementations) are shown escaped, as sent.
 *
 * @param reason The `reason` of the `session.evicted` push.
 */
export function describeEvictReason(reason: string): string {
  const known = REASONS[reason];
  if (known) return known;
  return reason.length > 0 ? `reason given: ${escapeForTerminal(reason)}` : "no reason given";
}

/** True when the reason means reconnecting cannot help (only the other side can change it). */
export function isFinalEviction(reason: string): boolean {
  return reason !== "server_shutdown";
}
