/**
 * One controller, one session — and no silent takeover of an open REPL.
 *
 * A controller that connects while a session of its own identity is open
 * replaces it (the original's rule, kept for its clients). opendesk's client
 * says more in its HELLO (opt-in capabilities a reference server ignores):
 * `opendesk.interactive: true` marks a session a person types into, and
 * `opendesk.takeover: false` asks the server not to end such a session. The
 * server then answers `busy` with `details.same_controller: true`, and the
 * client asks its user (or says to use `--takeover`). Reconnects of the
 * client's own lost session always take over.
 *
 * @module
 */

import type { WireMap } from "../protocol/handler.ts";
import type { Peer } from "../protocol/peer.ts";

/** HELLO capability: this session is interactive (a REPL). */
export const INTERACTIVE_CAPABILITY = "opendesk.interactive";
/** HELLO capability: whether this connection may end an open session of the same controller. */
export const TAKEOVER_CAPABILITY = "opendesk.takeover";

/** What the client says about taking over, in its HELLO. */
export interface TakeoverIntent {
  /** The new session is interactive. */
  interactive?: boolean | undefined;
  /** False: do not end an interactive session of the same controller; undefined: say nothing. */
  takeover?: boolean | undefined;
}

/** The HELLO capabilities for `intent`. */
export function takeoverCapabilities(intent: TakeoverIntent): WireMap {
  const out: WireMap = {};
  if (intent.interactive !== undefined) out[INTERACTIVE_CAPABILITY] = intent.interactive;
  if (intent.takeover !== undefined) out[TAKEOVER_CAPABILITY] = intent.takeover;
  return out;
}

/**
 * Server side: whether a new connection must leave the open session of the
 * same controller alone (it is interactive, and the newcomer asked not to end it).
 */
export function keepsExistingSession(newcomer: Peer, existing: Peer): boolean {
  return newcomer.remoteHello?.capabilities?.[TAKEOVER_CAPABILITY] === false &&
    existing.remoteHello?.capabilities?.[INTERACTIVE_CAPABILITY] === true;
}

/** The `details` of the busy answer that means "your own other session is open". */
export const SAME_CONTROLLER_DETAILS: WireMap = { same_controller: true };

/** Client side: whether a busy answer is about a session of this same controller. */
export function isSameControllerBusy(details: Record<string, unknown> | undefined): boolean {
  return details?.same_controller === true;
}
