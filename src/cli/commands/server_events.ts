/**
 * How `serve` and `pair` show what the server tells them: the pairing box,
 * burned codes, pairings, refused connections and sessions, each on its
 * own line with a time stamp (the box stands out on its own).
 *
 * @module
 */

import { escapeForTerminal } from "../../protocol/escape_for_terminal.ts";
import type { ServerEvent } from "../../remote/server_options.ts";
import type { CliDeps } from "../deps.ts";
import { renderPairingBox } from "../render/pairing_box.ts";
import { commandName, localizeHints } from "../command_name.ts";

/** Addresses a controller can dial when the server listens on `host`. */
export function dialableHosts(host: string): string[] {
  if (host !== "0.0.0.0" && host !== "::" && host !== "") return [host];
  const out: string[] = [];
  try {
    for (const ni of Deno.networkInterfaces()) {
      if (ni.family === "IPv4" && !ni.address.startsWith("127.")) out.push(ni.address);
    }
  } catch {
    // No permission to list interfaces: the box says "this machine".
  }
  return [...new Set(out)];
}

function stamp(): string {
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Options of {@linkcode printServerEvent}. */
export interface ServerEventPrinterOptions {
  /** The host the server listens on, until its `listening` event says. */
  readonly host: () => string;
  /** The port it listens on, until its `listening` event says. */
  readonly port: () => number;
  /**
   * Whether the server announces itself on mDNS (said once at start-up).
   * @default {false}
   */
  readonly mdns?: boolean;
}

/**
 * The start-up line that says who can reach the server, and how to narrow
 * it; null when it listens on one address and stays silent on mDNS.
 */
export function exposureNote(host: string, mdns: boolean): string | null {
  const everywhere = host === "0.0.0.0" || host === "::" || host === "";
  if (!everywhere && !mdns) return null;
  const what = [
    ...(everywhere ? ["listens on every network interface of this machine"] : []),
    ...(mdns ? ["announces itself to the local network (mDNS)"] : []),
  ].join(" and ");
  const how = [
    ...(everywhere ? ["--host 127.0.0.1 (this machine only)"] : []),
    ...(mdns ? ["--no-mdns"] : []),
  ].join(" and ");
  return `note: serve ${what}; only paired controllers get a session. To restrict it: ${how}`;
}

/**
 * Returns a handler that prints server events for people.
 *
 * @param deps Output seam (everything goes to standard output, warnings to standard error).
 * @param options Where the server listens.
 * @returns The `onEvent` handler.
 */
export function printServerEvent(
  deps: CliDeps,
  options: ServerEventPrinterOptions,
): (event: ServerEvent) => void {
  const command = commandName((name) => deps.env(name));
  const line = (text: string): void =>
    deps.stdout.write(`[${stamp()}] ${localizeHints(text, command)}\n`);
  let listening: { host: string; port: number } | undefined;
  return (event: ServerEvent): void => {
    switch (event.type) {
      case "listening":
        listening = { host: event.host, port: event.port };
        line(`listening on ws://${event.host}:${event.port} (fingerprint ${event.fingerprint})`);
        {
          const note = exposureNote(event.host, options.mdns ?? false);
          if (note) line(note);
        }
        break;
      case "notice":
        line(event.message);
        break;
      case "warning":
        deps.stderr.write(`[${stamp()}] warning: ${localizeHints(event.message, command)}\n`);
        break;
      case "pairing_armed":
        deps.stdout.write(renderPairingBox({
          code: event.code,
          hosts: dialableHosts(listening?.host ?? options.host()),
          port: listening?.port ?? options.port(),
          fingerprint: event.fingerprint,
          expiresAt: event.expiresAt,
          now: Date.now(),
          command,
        }));
        break;
      case "pairing_burned":
        line(`!! ${escapeForTerminal(event.message)}`);
        break;
      case "pairing_expired":
      case "pairing_locked":
        line(event.message);
        break;
      case "paired":
        line(
          `paired with controller '${event.name}' from ${event.remoteAddr}; ` +
            `rename it with \`opendesk peers rename ${event.name} NEW_NAME\``,
        );
        break;
      case "rejected":
        line(`refused ${event.remoteAddr}: ${escapeForTerminal(event.message)}`);
        break;
      case "refusals_summary":
        for (const text of event.lines) line(text);
        break;
      case "session_opened":
        line(
          `session ${event.session.id} opened: ${event.session.peerName || "(unnamed)"} ` +
            `from ${event.session.remoteAddr}`,
        );
        break;
      case "session_closed":
        line(
          `session ${event.session.id} closed: ${event.session.peerName || "(unnamed)"}` +
            (event.reason ? ` (${event.reason})` : ""),
        );
        break;
    }
  };
}
