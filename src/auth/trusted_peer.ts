/**
 * Entries of `trusted-peers.json` as opendesk reads them: lenient,
 * keeping odd entries (upper-case keys, a non-numeric `paired_at`, a repeated
 * name) and flagging them rather than dropping them.
 *
 * @module
 */

import { toHex } from "./_bytes.ts";
import { KEY_LENGTH } from "./constants.ts";
import { TrustStoreError } from "./errors.ts";

/**
 * Direction of trust: `controller` may control this machine, `remote`
 * is a machine this one controls, `""` is a legacy entry trusted both ways.
 */
export type PeerRole = "controller" | "remote" | "";

/** A trusted peer, as read from one valid entry. */
export interface TrustedPeer {
  /** 64 lowercase hex characters. */
  publicKey: string;
  /** Friendly name (unique in files opendesk writes). */
  name: string;
  /** Pairing time in epoch seconds, or `null` when the stored value is not a number (flagged). */
  pairedAt: number | null;
  /** The peer's own description, cached from its HELLO. */
  description: string;
  /** Local label; wins over `description` when non-empty. */
  descriptionOverride: string;
  /** Host last dialled, or `""`. */
  lastHost: string;
  /** Port last dialled, or 0. */
  lastPort: number;
  /** Direction of trust; other strings from newer versions are kept as read. */
  role: string;
  /** Rendezvous server through which the peer is reached, or `""`. */
  rendezvousUrl: string;
  /** Problems found in this entry (kept, not fatal). */
  issues: string[];
}

/** A problem with one entry of the file (the entry is kept in the file as it is). */
export interface TrustStoreIssue {
  /** Position of the entry in the JSON array. */
  index: number;
  /** What is wrong, in words. */
  message: string;
}

/** Result of parsing the file's array. */
export interface ParsedEntries {
  /** Usable entries (`index` is the position in the raw array). */
  peers: { index: number; peer: TrustedPeer }[];
  /** Every problem found, usable entries included. */
  issues: TrustStoreIssue[];
}

const HEX_KEY = new RegExp(`^[0-9a-fA-F]{${KEY_LENGTH * 2}}$`);

/** True when `text` is a 64-character hex key (either case). */
export function isHexKey(text: unknown): text is string {
  return typeof text === "string" && HEX_KEY.test(text);
}

/** The effective description: the override when non-empty, else the cached description. */
export function effectiveDescription(peer: TrustedPeer): string {
  return peer.descriptionOverride !== "" ? peer.descriptionOverride : peer.description;
}

/**
 * Parses the raw JSON array. Entries that are not objects or lack a valid
 * `public_key` are unusable (reported, left in the file); a repeated key or
 * name makes the later entry unusable for lookups; fields of the wrong type
 * take their default and are reported.
 */
export function parseEntries(raw: unknown[]): ParsedEntries {
  const peers: ParsedEntries["peers"] = [];
  const issues: TrustStoreIssue[] = [];
  const seenKeys = new Set<string>();
  const seenNames = new Set<string>();
  raw.forEach((entry, index) => {
    const flag = (message: string) => issues.push({ index, message });
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      flag(`entry ${index} is not an object and is ignored`);
      return;
    }
    const record = entry as Record<string, unknown>;
    if (!isHexKey(record.public_key)) {
      flag(`entry ${index} has no valid public_key (64 hex characters) and is ignored`);
      return;
    }
    const publicKey = record.public_key.toLowerCase();
    if (seenKeys.has(publicKey)) {
      flag(`entry ${index} repeats key ${publicKey.slice(0, 16)}… and is ignored`);
      return;
    }
    seenKeys.add(publicKey);
    const peerIssues: string[] = [];
    const text = (key: string): string => {
      const value = record[key];
      if (value === undefined || typeof value === "string") return value ?? "";
      peerIssues.push(`${key} is not a string`);
      return "";
    };
    const pairedAt = typeof record.paired_at === "number" ? record.paired_at : null;
    if (pairedAt === null && record.paired_at !== undefined) {
      peerIssues.push("paired_at is not a number");
    }
    let lastPort = 0;
    if (record.last_port !== undefined) {
      if (Number.isInteger(record.last_port)) lastPort = record.last_port as number;
      else peerIssues.push("last_port is not an integer");
    }
    const peer: TrustedPeer = {
      publicKey,
      name: text("name"),
      pairedAt,
      description: text("description"),
      descriptionOverride: text("description_override"),
      lastHost: text("last_host"),
      lastPort,
      role: text("role"),
      rendezvousUrl: text("rendezvous_url"),
      issues: peerIssues,
    };
    if (peer.name !== "" && seenNames.has(peer.name)) {
      peerIssues.push(`name "${peer.name}" is already used by an earlier entry`);
    }
    if (peer.name !== "") seenNames.add(peer.name);
    for (const message of peerIssues) {
      flag(`entry ${index} (${peer.name || publicKey.slice(0, 16)}): ${message}`);
    }
    peers.push({ index, peer });
  });
  return { peers, issues };
}

/**
 * Lowercase hex of a peer key given as bytes or hex.
 * @throws {SyntaxError} when it is not a 32-byte key
 */
export function normalisePeerKey(key: Uint8Array | string): string {
  if (key instanceof Uint8Array) {
    if (key.length !== 32) {
      throw new SyntaxError(`Cannot use peer key: expected 32 bytes, received ${key.length}`);
    }
    return toHex(key);
  }
  if (!isHexKey(key)) {
    throw new SyntaxError(
      `Cannot use peer key: expected 64 hex characters, received ${
        (key as string).length
      } characters`,
    );
  }
  return key.toLowerCase();
}

/**
 * Checks a peer name: one non-blank line.
 * @throws {TrustStoreError} otherwise
 */
export function checkPeerName(name: string): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TrustStoreError(
      'Cannot name a peer with an empty name: give a name such as "laptop"',
    );
  }
  if (/[\r\n]/.test(name)) {
    throw new TrustStoreError(
      `Cannot use the name ${JSON.stringify(name)}: names are one line of text`,
    );
  }
}
