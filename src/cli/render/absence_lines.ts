/**
 * Lines that say why capabilities are absent, for `serve`'s start-up output
 * and the REPL's `:caps`: one line per reason, naming every capability it
 * covers. Reasons may come from the network, so control characters are
 * shown escaped.
 *
 * @module
 */

import { groupAbsences } from "../../computer/capability_absences.ts";

/** Shows control characters as `\xNN` so a peer's text cannot drive the terminal. */
function escapeControls(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => {
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

/**
 * `"<names>: <reason>"` lines, one per distinct reason.
 *
 * @param absences Absent capability (or method) → reason.
 * @param skipNotImplemented Leave out what no opendesk backend implements.
 */
export function absenceLines(
  absences: Readonly<Record<string, unknown>>,
  skipNotImplemented = false,
): string[] {
  const texts: Record<string, string> = {};
  for (const [name, reason] of Object.entries(absences)) {
    if (typeof reason === "string") texts[escapeControls(name)] = escapeControls(reason);
  }
  return groupAbsences(texts, skipNotImplemented).map(([names, reason]) => `${names}: ${reason}`);
}
