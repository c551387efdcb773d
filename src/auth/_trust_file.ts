/**
 * Reading and writing `trusted-peers.json` as a whole: written atomically,
 * and a file that does not parse is reported, never read as empty. Internal
 * to the trust store.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { writeFileAtomicSync } from "./_atomic_file.ts";
import { readPeerRoles, writePeerRoles } from "./_peer_roles_file.ts";
import { dumpReferenceJson } from "./_reference_json.ts";
import { HomeFile } from "./constants.ts";
import { TrustStoreCorruptError } from "./errors.ts";
import { ensureHomeDir } from "./home.ts";
import { isHexKey, type ParsedEntries, parseEntries } from "./trusted_peer.ts";

/** The file as read: the raw array (mutated in place by the store), its text, parsed entries. */
export interface TrustFileSnapshot extends ParsedEntries {
  /** The JSON array, every entry kept as read. */
  raw: unknown[];
  /** The file's text, or `null` when the file does not exist. */
  text: string | null;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the file; a missing file is an empty list. An entry whose `role` is
 * missing or empty takes its role from `peer-roles.json` when that has one
 * (restored in `raw` too, so the next write puts it back).
 * @throws {TrustStoreCorruptError} when it is not UTF-8 JSON holding an array,
 *   or when `peer-roles.json` is unreadable (a role could not be told apart
 *   from a legacy "trusted both ways" entry)
 */
export function readTrustFile(path: string): TrustFileSnapshot {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { raw: [], text: null, peers: [], issues: [] };
    }
    throw error;
  }
  let text: string;
  let raw: unknown;
  try {
    text = decoder.decode(bytes);
    raw = JSON.parse(text);
  } catch (error) {
    throw new TrustStoreCorruptError(path, (error as Error).message, { cause: error });
  }
  if (!Array.isArray(raw)) {
    throw new TrustStoreCorruptError(
      path,
      `expected a JSON array, found ${describeJsonValue(raw)}`,
    );
  }
  restoreRoles(raw, readPeerRoles(dirname(path)));
  return { raw, text, ...parseEntries(raw) };
}

function restoreRoles(raw: unknown[], roles: Map<string, string>): void {
  if (roles.size === 0) return;
  for (const entry of raw) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) continue;
    const record = entry as Record<string, unknown>;
    if (!isHexKey(record.public_key)) continue;
    if (record.role !== undefined && record.role !== "") continue;
    const role = roles.get(record.public_key.toLowerCase());
    if (role !== undefined && role !== "") record.role = role;
  }
}

/**
 * Writes `snapshot.raw` in the reference's layout, keys lowercased, after
 * saving the previous (good) text as `trusted-peers.json.bak`, then the roles
 * to `peer-roles.json`. Every write is atomic with mode 0600; the home
 * directory is made 0700. Callers hold the trust lock.
 */
export function writeTrustFile(home: string, path: string, snapshot: TrustFileSnapshot): void {
  ensureHomeDir(home);
  for (const entry of snapshot.raw) {
    const record = entry as Record<string, unknown>;
    if (record && typeof record === "object" && isHexKey(record.public_key)) {
      record.public_key = record.public_key.toLowerCase();
    }
  }
  if (snapshot.text !== null) {
    writeFileAtomicSync(join(dirname(path), HomeFile.TRUSTED_PEERS_BACKUP), snapshot.text, {
      mode: 0o600,
    });
  }
  writeFileAtomicSync(path, dumpReferenceJson(snapshot.raw), { mode: 0o600 });
  writePeerRoles(home, rolesOf(snapshot.raw));
}

/** The non-empty string roles of the entries with a valid key, by lowercase key. */
function rolesOf(raw: unknown[]): Map<string, string> {
  const roles = new Map<string, string>();
  for (const entry of raw) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) continue;
    const record = entry as Record<string, unknown>;
    if (!isHexKey(record.public_key) || typeof record.role !== "string") continue;
    const key = record.public_key.toLowerCase();
    if (record.role !== "" && !roles.has(key)) roles.set(key, record.role);
  }
  return new Map([...roles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
