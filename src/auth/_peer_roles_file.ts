/**
 * `<home>/peer-roles.json`: the direction of trust of each peer, keyed by
 * lowercase hex public key. The reference rewrites `trusted-peers.json` with
 * only its own fields and so drops `role`; this file, which it never
 * touches, keeps the role, so a `remote` peer never turns into a legacy
 * "trusted both ways" entry (an accepted controller) because a field
 * vanished. Internal to the trust store.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomicSync } from "./_atomic_file.ts";
import { dumpReferenceJson } from "./_reference_json.ts";
import { HomeFile } from "./constants.ts";
import { TrustStoreCorruptError } from "./errors.ts";
import { isHexKey } from "./trusted_peer.ts";

/**
 * Reads the roles; a missing file is empty.
 * @throws {TrustStoreCorruptError} when it is not a JSON object of key → role strings
 */
export function readPeerRoles(home: string): Map<string, string> {
  const path = join(home, HomeFile.PEER_ROLES);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return new Map();
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TrustStoreCorruptError(path, (error as Error).message, { cause: error });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TrustStoreCorruptError(path, "expected a JSON object of public key → role");
  }
  const roles = new Map<string, string>();
  for (const [key, role] of Object.entries(value as Record<string, unknown>)) {
    if (!isHexKey(key) || typeof role !== "string") {
      throw new TrustStoreCorruptError(
        path,
        `entry "${key.slice(0, 70)}" is not a 64-hex public key with a role string`,
      );
    }
    roles.set(key.toLowerCase(), role);
  }
  return roles;
}

/** Replaces the file atomically (mode 0600); writes nothing when it would not change. */
export function writePeerRoles(home: string, roles: Map<string, string>): void {
  const path = join(home, HomeFile.PEER_ROLES);
  const object: Record<string, string> = {};
  for (const [key, role] of roles) object[key] = role;
  const text = dumpReferenceJson(object) + "\n";
  try {
    if (Deno.readTextFileSync(path) === text) return;
  } catch {
    // Missing or unreadable: write it.
  }
  writeFileAtomicSync(path, text, { mode: 0o600 });
}
