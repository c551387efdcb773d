/**
 * The server's audit log: `<home>/audit/YYYY-MM-DD.jsonl` (local date), one
 * JSON object per line in the reference's format, plus
 * opendesk's stream records (start, end, frames sent; the reference does not
 * audit streams). Summaries only, never payloads.
 *
 * @module
 */

import { escapeForTerminal } from "../protocol/escape_for_terminal.ts";
import { join } from "node:path";
import { DatedAppender } from "./_dated_appender.ts";
import { PyFloat, pythonFloat, pythonString, toPythonJson } from "./_python_json.ts";

/** The peer a record is about. */
export interface AuditPeer {
  /** The peer's static public key (raw or hex), or null when unknown. */
  key: Uint8Array | string | null;
  /** The peer's name in the trust store, or `""`. */
  name: string;
}

/** A stream event: started, ended (with the frame count), or refused by policy. */
export type AuditStreamEvent = "start" | "end" | "denied";

/** Options of {@linkcode AuditLog}. */
export interface AuditLogOptions {
  /**
   * False turns the log off (`--no-audit`): every method becomes a no-op.
   * @default {true}
   */
  enabled?: boolean;
  /**
   * Clock in epoch milliseconds (tests inject one).
   * @default {Date.now}
   */
  now?: () => number;
  /**
   * Told when a record could not be written (disk full, permissions).
   * @default {ignored}
   */
  onError?: (error: unknown) => void;
}

/** Longest `error_message` written to a `call` record, as in the reference. */
export const AUDIT_ERROR_MESSAGE_MAX = 200;
/** Longest text field (a summary, a reason) kept in a record; longer ones are cut with a marker. */
const AUDIT_TEXT = { maxLength: 1000 };
const AUDIT_ERROR_TEXT = { maxLength: AUDIT_ERROR_MESSAGE_MAX };

/**
 * Append-only audit log writer. Records are appended in order, each one as
 * soon as the previous write finished; under load, records that arrive
 * during a write share the next one. `close()` waits until all are written.
 *
 * @example Usage
 * ```ts ignore
 * const audit = new AuditLog("/home/me/.opendesk");
 * audit.sessionOpened({ key: pk, name: "laptop" }, { sessionId: "1a2b3c4d", remoteAddr: "10.0.0.7:50000", mode: "serve" });
 * await audit.close();
 * ```
 */
export class AuditLog {
  #enabled: boolean;
  #now: () => number;
  #appender: DatedAppender;
  #date = "";
  #dayStart = 0;
  #dayEnd = 0;
  #fingerprints = new WeakMap<Uint8Array, string>();

  /**
   * @param home the opendesk home directory; records go to `<home>/audit/`
   * @param options enable switch and clock
   */
  constructor(home: string, options: AuditLogOptions = {}) {
    this.#enabled = options.enabled ?? true;
    this.#now = options.now ?? Date.now;
    const onError = options.onError ?? (() => {});
    this.#appender = new DatedAppender(join(home, "audit"), onError);
  }

  /** True unless the log was turned off. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Records a session that completed its handshake and HELLO. */
  sessionOpened(
    peer: AuditPeer,
    fields: { sessionId: string; remoteAddr: string; mode: "serve" | "pair" },
  ): void {
    this.write("session.opened", peer, {
      session_id: fields.sessionId,
      remote_addr: fields.remoteAddr,
      mode: fields.mode,
    });
  }

  /** Records the end of a session; `reason` is `""` for a normal end. */
  sessionClosed(
    peer: AuditPeer,
    fields: { sessionId: string; durationSeconds: number; reason: string },
  ): void {
    this.write("session.closed", peer, {
      session_id: fields.sessionId,
      duration: new PyFloat(Math.round(fields.durationSeconds * 1000) / 1000),
      reason: fields.reason,
    });
  }

  /** Records a refused connection (handshake failure, busy, pairing not armed, …). */
  sessionRejected(peer: AuditPeer, fields: { remoteAddr: string; reason: string }): void {
    this.write("session.rejected", peer, { remote_addr: fields.remoteAddr, reason: fields.reason });
  }

  /** Records one unary call and its outcome. */
  call(
    peer: AuditPeer,
    fields: {
      sessionId: string;
      method: string;
      summary: string;
      error?: { code: string; message: string } | undefined;
    },
  ): void {
    if (!this.#enabled) return;
    // The hottest record: only its values are taken now; the line is built when the batch is
    // written (off the call's path, many lines in a row), directly, keys already in sorted
    // order (same bytes as write()).
    const nowMs = this.#now();
    const fp = this.#fingerprint(peer.key);
    const name = peer.name;
    const { sessionId, method, summary, error } = fields;
    this.#appender.append(
      this.#dateOf(nowMs),
      () => callLine(nowMs, fp, name, sessionId, method, summary, error),
    );
  }

  /** Records a stream start, end (with frames sent and how it ended) or denial. */
  stream(
    peer: AuditPeer,
    fields: {
      sessionId: string;
      method: string;
      summary: string;
      event: AuditStreamEvent;
      frames?: number;
      error?: { code: string; message: string } | undefined;
    },
  ): void {
    const record: Record<string, unknown> = {
      session_id: fields.sessionId,
      method: fields.method,
      summary: fields.summary,
      event: fields.event,
    };
    if (fields.event !== "start") {
      record.frames = fields.frames ?? 0;
      record.outcome = fields.error ? "error" : "ok";
    }
    if (fields.error) {
      record.error_code = fields.error.code;
      record.error_message = escapeForTerminal(fields.error.message, AUDIT_ERROR_TEXT);
    }
    this.write("stream", peer, record);
  }

  /**
   * Appends one record of `type` with the common fields `ts`, `type` and `peer`.
   * @param type the record type
   * @param peer the peer it concerns
   * @param fields the type-specific fields
   */
  write(type: string, peer: AuditPeer, fields: Record<string, unknown>): void {
    if (!this.#enabled) return;
    const nowMs = this.#now();
    // Text in records often comes from the network (summaries, addresses, reasons): escaped.
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      safe[key] = typeof value === "string" ? escapeForTerminal(value, AUDIT_TEXT) : value;
    }
    const line = toPythonJson({
      ...safe,
      ts: new PyFloat(nowMs / 1000),
      type,
      peer: { fp: this.#fingerprint(peer.key), name: peer.name },
    }) + "\n";
    this.#appender.append(this.#dateOf(nowMs), line);
  }

  /** Resolves once every record so far is written. */
  flush(): Promise<void> {
    return this.#appender.flush();
  }

  /** Resolves once every record is written, then closes the file (a later record reopens it). */
  close(): Promise<void> {
    return this.#appender.close();
  }

  #fingerprint(key: Uint8Array | string | null): string {
    if (key === null || typeof key === "string") return auditFingerprint(key);
    let fp = this.#fingerprints.get(key);
    if (fp === undefined) {
      fp = auditFingerprint(key);
      this.#fingerprints.set(key, fp);
    }
    return fp;
  }

  #dateOf(nowMs: number): string {
    if (nowMs >= this.#dayStart && nowMs < this.#dayEnd) return this.#date;
    const now = new Date(nowMs);
    this.#date = localDate(now);
    this.#dayStart = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    this.#dayEnd = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
    return this.#date;
  }
}

/**
 * What the last successful call's line was built from, and its text up to the
 * timestamp: a busy session repeats the same method, summary and peer, so
 * most lines only need their timestamp formatted.
 */
const okLine = { method: "", summary: "", fp: "", name: "", sessionId: "", head: "" };

/** A `call` record's JSON line. */
function callLine(
  nowMs: number,
  fp: string,
  name: string,
  sessionId: string,
  method: string,
  summary: string,
  error: { code: string; message: string } | undefined,
): string {
  const ts = pythonFloat(nowMs / 1000);
  if (error === undefined) {
    const last = okLine;
    if (
      last.head === "" || last.method !== method || last.summary !== summary || last.fp !== fp ||
      last.name !== name || last.sessionId !== sessionId
    ) {
      last.method = method;
      last.summary = summary;
      last.fp = fp;
      last.name = name;
      last.sessionId = sessionId;
      last.head = `{"method": ${pythonString(method)}, "outcome": "ok", "peer": {"fp": "${fp}", ` +
        `"name": ${pythonString(name)}}, "session_id": ${pythonString(sessionId)}, ` +
        `"summary": ${pythonString(escapeForTerminal(summary, AUDIT_TEXT))}, "ts": `;
    }
    return `${last.head}${ts}, "type": "call"}\n`;
  }
  return `{"error_code": ${pythonString(error.code)}, "error_message": ${
    pythonString(escapeForTerminal(error.message, AUDIT_ERROR_TEXT))
  }, "method": ${pythonString(method)}, "outcome": "error", "peer": {"fp": "${fp}", "name": ${
    pythonString(name)
  }}, "session_id": ${pythonString(sessionId)}, "summary": ${
    pythonString(escapeForTerminal(summary, AUDIT_TEXT))
  }, "ts": ${ts}, "type": "call"}\n`;
}

/** The audit log's peer id: the first 16 hex characters of the public key, no colons. */
export function auditFingerprint(key: Uint8Array | string | null): string {
  if (key === null) return "";
  const hex = typeof key === "string"
    ? key.toLowerCase()
    : Array.from(key.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  return hex.slice(0, 16);
}

/** `YYYY-MM-DD` of `date` in the local time zone (the audit file name). */
export function localDate(date: Date): string {
  const y = String(date.getFullYear()).padStart(4, "0");
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}
