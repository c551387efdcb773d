/**
 * Why a capability is absent: the companion of the capability manifest.
 *
 * The manifest itself keeps the reference's exact five keys; the reasons
 * travel only when a client asks for them (`system.capabilities` with the
 * extension param `absent: true`), and a reference server simply leaves them
 * out. Each reason says what is missing and what to install or run.
 *
 * Keys are capability names, plus the names of methods whose capability is
 * advertised but which cannot work themselves (e.g. `input.subscribe`
 * without XInput2).
 *
 * @module
 */

import { CAPABILITIES, type Capability } from "./types/capability.ts";

/** Absent capability (or method) → why, with what to install or run. */
export type CapabilityAbsences = Record<string, string>;

/** Said of capabilities that no opendesk backend implements yet. */
export const NOT_IMPLEMENTED_REASON = "opendesk does not implement it yet";

/** Capabilities only a desktop backend (a display connection) can offer, in catalogue order. */
export const DESKTOP_CAPABILITIES: readonly Capability[] = [
  "display.capture",
  "display.multi_monitor",
  "display.stream",
  "input.pointer",
  "input.keyboard",
  "input.text",
  "ui.tree",
  "ui.actions",
  "windows.list",
  "windows.manipulate",
  "app.lifecycle",
  "clipboard.read",
  "clipboard.write",
  "clipboard.multi_mime",
  "power.lock",
  "notifications.list",
];
const _DESKTOP_SET: ReadonlySet<Capability> = new Set(DESKTOP_CAPABILITIES);

/**
 * The reasons for every capability of the closed set that `supported` lacks:
 * the backend's own reason when it has one, else `desktopReason` for desktop
 * capabilities, else that opendesk does not offer it yet. Method-level reasons of `reasons`
 * (keys that are not capabilities) are kept as given.
 */
export function absenceMap(
  supported: readonly Capability[],
  reasons: CapabilityAbsences,
  desktopReason: string,
): CapabilityAbsences {
  const have = new Set<string>(supported);
  const out: CapabilityAbsences = {};
  for (const capability of CAPABILITIES) {
    if (have.has(capability)) continue;
    out[capability] = reasons[capability] ??
      (_DESKTOP_SET.has(capability) ? desktopReason : NOT_IMPLEMENTED_REASON);
  }
  for (const [name, reason] of Object.entries(reasons)) {
    if (!(CAPABILITIES as readonly string[]).includes(name)) out[name] = reason;
  }
  return out;
}

/**
 * Groups absences that share a reason, for one line each:
 * `[["ui.tree, ui.actions", "no AT-SPI: …"], …]`, in catalogue order.
 * `skipNotImplemented` leaves out the capabilities no backend offers.
 */
export function groupAbsences(
  absences: CapabilityAbsences,
  skipNotImplemented = false,
): Array<[names: string, reason: string]> {
  const byReason = new Map<string, string[]>();
  for (const [name, reason] of Object.entries(absences)) {
    if (skipNotImplemented && reason === NOT_IMPLEMENTED_REASON) continue;
    byReason.set(reason, [...byReason.get(reason) ?? [], name]);
  }
  return [...byReason].map(([reason, names]) => [names.join(", "), reason]);
}
