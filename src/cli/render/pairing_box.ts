/**
 * The box `serve` and `pair` print around a pairing code, so the person
 * at the controlled machine can read it out: the code in large groups,
 * where to connect, this machine's fingerprint, when the code expires and
 * the command to type on the controller.
 *
 * @module
 */

import { displayWidth } from "./text_layout.ts";

/** What the box shows. */
export interface PairingBoxInfo {
  /** The 6-digit code. */
  readonly code: string;
  /** Addresses the controller can dial (first one is used in the hint). */
  readonly hosts: readonly string[];
  /** The listening port. */
  readonly port: number;
  /** This machine's fingerprint (e.g. `7b4e:909b:be7f:fe44`). */
  readonly fingerprint: string;
  /** When the code stops working, epoch milliseconds. */
  readonly expiresAt: number;
  /** Now, epoch milliseconds. */
  readonly now: number;
  /**
   * The command that runs opendesk (see `command_name.ts`).
   * @default {"opendesk"}
   */
  readonly command?: string;
}

function clock(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Renders the pairing box.
 *
 * @param info What to show.
 * @returns The box, one line per row, ending with a newline.
 *
 * @example Usage
 * ```ts
 * import { renderPairingBox } from "./pairing_box.ts";
 * const now = Date.now();
 * console.log(renderPairingBox({ code: "123456", hosts: ["10.0.0.5"], port: 8423,
 *   fingerprint: "7b4e:909b:be7f:fe44", expiresAt: now + 300_000, now }));
 * ```
 */
export function renderPairingBox(info: PairingBoxInfo): string {
  const minutes = Math.max(0, Math.round((info.expiresAt - info.now) / 60_000));
  const host = info.hosts[0] ?? "THIS-MACHINE";
  const portFlag = info.port === 8423 ? "" : ` --port ${info.port}`;
  const rows = [
    "",
    `   PAIRING CODE   ${info.code.slice(0, 3)} ${info.code.slice(3)}`,
    "",
    `   address        ${
      info.hosts.length > 0 ? info.hosts.join(", ") : "(this machine)"
    }  port ${info.port}`,
    `   fingerprint    ${info.fingerprint}`,
    `   expires        in ${minutes} min (${clock(info.expiresAt)}), after one use or a failed try`,
    "",
    "   On the controller, run:",
    `     ${info.command ?? "opendesk"} pair-with ${host} ${info.code}${portFlag}`,
    "",
  ];
  const width = Math.max(...rows.map(displayWidth)) + 3;
  const line = "─".repeat(width);
  return [
    `┌${line}┐`,
    ...rows.map((row) => `│${row}${" ".repeat(width - displayWidth(row))}│`),
    `└${line}┘`,
  ].join("\n") + "\n";
}
