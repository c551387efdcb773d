/**
 * Telling the controller that its call waits for approval on the controlled
 * machine. Opt-in, like every opendesk extension: a client that puts
 * `opendesk.consent_notices: true` in its HELLO `capabilities` receives a
 * `consent.prompt` PUSH when a prompt for one of its calls opens and when it
 * is answered; clients that do not ask (the reference's) never see one.
 *
 * Payload: `{state: "waiting" | "allowed" | "denied", method, summary, machine}`.
 *
 * @module
 */

import { hostname } from "node:os";
import type { Peer } from "../protocol/peer.ts";
import type { WireMap } from "../protocol/handler.ts";
import { escapeForTerminal } from "../protocol/escape_for_terminal.ts";
import type { PromptPhase } from "./policy.ts";

/** The client HELLO capability that asks for consent notices. */
export const CONSENT_NOTICES_CAPABILITY = "opendesk.consent_notices";
/** The PUSH topic of consent notices. */
export const CONSENT_PUSH_TOPIC = "consent.prompt";

/** One consent notice. */
export interface ConsentNotice {
  state: PromptPhase;
  method: string;
  summary: string;
  /** The controlled machine's host name. */
  machine: string;
}

/** The HELLO capabilities an opendesk client sends. */
export function clientHelloCapabilities(): WireMap {
  return { [CONSENT_NOTICES_CAPABILITY]: true };
}

/**
 * The server side: a function that pushes the prompt's phases to `peer`, or
 * `undefined` when the client did not opt in.
 */
export function consentNotifier(
  peer: Peer,
  method: string,
  summary: string,
): ((phase: PromptPhase) => void) | undefined {
  if (peer.remoteHello?.capabilities?.[CONSENT_NOTICES_CAPABILITY] !== true) return undefined;
  // Looked up only when a prompt is shown: every call builds a notifier, few ever prompt, and
  // the system call cost ~4 µs a call.
  let machine: string | undefined;
  return (phase) => {
    if (peer.isClosed) return;
    machine ??= hostname();
    peer.push(CONSENT_PUSH_TOPIC, { state: phase, method, summary, machine }).catch(() => {});
  };
}

/** Reads a `consent.prompt` payload; `null` when it is not one. */
export function parseConsentNotice(payload: WireMap): ConsentNotice | null {
  const { state, method, summary, machine } = payload as Record<string, unknown>;
  if (state !== "waiting" && state !== "allowed" && state !== "denied") return null;
  if (typeof method !== "string" || typeof summary !== "string" || typeof machine !== "string") {
    return null;
  }
  return { state, method, summary, machine };
}

/** The line a client shows (escaped: the text comes from the network). */
export function formatConsentNotice(notice: ConsentNotice, machineLabel?: string): string {
  const machine = escapeForTerminal(machineLabel || notice.machine, { maxLength: 80 });
  const summary = escapeForTerminal(notice.summary, { maxLength: 120 });
  switch (notice.state) {
    case "waiting":
      return `waiting for approval on ${machine}… (${summary})`;
    case "allowed":
      return `approved on ${machine}`;
    case "denied":
      return `denied on ${machine}: ${summary}`;
  }
}
