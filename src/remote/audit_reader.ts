/**
 * Reading the audit log back for `opendesk audit`: one day's records,
 * filtered by peer and limited to the last N, or followed as new lines are
 * appended (polling, like the reference's `--follow`).
 *
 * @module
 */

import { sleep } from "../protocol/sleep.ts";
import { join } from "node:path";
import { localDate } from "./audit_log.ts";

/** One audit record as parsed from its line. */
export interface AuditRecord {
  /** Epoch seconds. */
  ts: number;
  /** Record type: `session.opened`, `session.closed`, `session.rejected`, `call`, `stream`, `pairing`. */
  type: string;
  /** The peer: fingerprint prefix and name. */
  peer: { fp: string; name: string };
  /** The type-specific fields. */
  [field: string]: unknown;
}

/** Options of {@linkcode readAudit}. */
export interface ReadAuditOptions {
  /**
   * Day to read, `YYYY-MM-DD`.
   * @default {today's local date}
   */
  date?: string;
  /** Keep only records whose peer name or fingerprint contains this text (case-insensitive). */
  peer?: string;
  /** Keep only the last `limit` matching records. */
  limit?: number;
}

/** Options of {@linkcode followAudit}. */
export interface FollowAuditOptions {
  /** Keep only records whose peer name or fingerprint contains this text. */
  peer?: string;
  /**
   * Polling interval.
   * @default {500}
   */
  pollMs?: number;
  /** Stops following. */
  signal?: AbortSignal;
  /**
   * Clock in epoch milliseconds (decides which day's file is followed).
   * @default {Date.now}
   */
  now?: () => number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads one day's audit records.
 *
 * @param home the opendesk home directory
 * @param options day, peer filter and limit
 * @returns the records in file order (an absent file gives none); unparsable lines are skipped
 * @throws {RangeError} when `date` is not `YYYY-MM-DD` or `limit` is negative
 *
 * @example Usage
 * ```ts ignore
 * for (const r of await readAudit("/home/me/.opendesk", { limit: 20 })) console.log(r.type);
 * ```
 */
export async function readAudit(
  home: string,
  options: ReadAuditOptions = {},
): Promise<AuditRecord[]> {
  const date = options.date ?? localDate(new Date());
  if (!DATE_RE.test(date)) {
    throw new RangeError(
      `Cannot read the audit log: expected a date as YYYY-MM-DD, received '${date}'`,
    );
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) {
    throw new RangeError(
      `Cannot read the audit log: limit must be a whole number >= 0, received ${options.limit}`,
    );
  }
  let text: string;
  try {
    text = await Deno.readTextFile(join(home, "audit", `${date}.jsonl`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const records = parseLines(text).filter((r) => matchesPeer(r, options.peer));
  return options.limit === undefined
    ? records
    : records.slice(Math.max(0, records.length - options.limit));
}

/**
 * Yields records appended to today's audit file from now on, moving to the
 * next file when the local date changes.
 *
 * @param home the opendesk home directory
 * @param options peer filter, polling interval, abort signal
 * @returns an async iterable that ends when `signal` aborts
 */
export async function* followAudit(
  home: string,
  options: FollowAuditOptions = {},
): AsyncGenerator<AuditRecord> {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 500;
  let date = localDate(new Date(now()));
  let offset = await fileSize(join(home, "audit", `${date}.jsonl`));
  let partial = "";
  while (!options.signal?.aborted) {
    const today = localDate(new Date(now()));
    if (today !== date) {
      date = today;
      offset = 0;
      partial = "";
    }
    const path = join(home, "audit", `${date}.jsonl`);
    const size = await fileSize(path);
    if (size > offset) {
      const chunk = await readRange(path, offset, size);
      offset = size;
      const text = partial + chunk;
      const end = text.lastIndexOf("\n");
      partial = text.slice(end + 1);
      for (const record of parseLines(text.slice(0, end + 1))) {
        if (matchesPeer(record, options.peer)) yield record;
      }
    }
    await sleep(pollMs, options.signal);
  }
}

/**
 * One record as a line for people: local time, type, peer and the essentials.
 * @param record a parsed record
 * @returns the line, without a trailing newline
 */
export function formatAuditRecord(record: AuditRecord): string {
  const time = new Date(record.ts * 1000).toTimeString().slice(0, 8);
  const who = record.peer.name || record.peer.fp || "-";
  const parts = [time, record.type.padEnd(16), who];
  const f = record as Record<string, unknown>;
  if (record.type === "call" || record.type === "stream") {
    parts.push(String(f.summary ?? f.method ?? ""));
    if (record.type === "stream") parts.push(String(f.event ?? ""));
    if (f.frames !== undefined) parts.push(`frames=${f.frames}`);
    if (f.outcome !== undefined) parts.push(String(f.outcome));
    if (f.error_code !== undefined) parts.push(`${f.error_code}: ${f.error_message ?? ""}`);
  } else {
    for (const key of ["session_id", "remote_addr", "mode", "event", "duration", "reason"]) {
      if (f[key] !== undefined && f[key] !== "") parts.push(`${key}=${f[key]}`);
    }
  }
  return parts.join("  ");
}

function parseLines(text: string): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line);
      if (value && typeof value === "object" && typeof value.type === "string") {
        value.peer ??= { fp: "", name: "" };
        out.push(value as AuditRecord);
      }
    } catch {
      // A torn or foreign line: skipped, the rest of the file still reads.
    }
  }
  return out;
}

function matchesPeer(record: AuditRecord, filter: string | undefined): boolean {
  if (!filter) return true;
  const needle = filter.toLowerCase();
  return String(record.peer?.name ?? "").toLowerCase().includes(needle) ||
    String(record.peer?.fp ?? "").toLowerCase().includes(needle);
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}

async function readRange(path: string, start: number, end: number): Promise<string> {
  using file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  const buf = new Uint8Array(end - start);
  let read = 0;
  while (read < buf.length) {
    const n = await file.read(buf.subarray(read));
    if (n === null) break;
    read += n;
  }
  return new TextDecoder().decode(buf.subarray(0, read));
}
