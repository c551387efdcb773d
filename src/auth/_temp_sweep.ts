/**
 * Removes the temp files a killed writer of the trust files left behind
 * (`trusted-peers.json.<12 hex>.tmp` and the like). Called with the trust
 * lock held, so no live opendesk writer can own one; the age threshold also
 * spares files of writers that do not take the lock (an older opendesk).
 * Internal to the trust store.
 *
 * @module
 */

import { join } from "node:path";
import { HomeFile } from "./constants.ts";

/** Temp files younger than this are left alone: no writer takes this long. */
export const STALE_TEMP_AGE_MS = 60_000;

const NAMES = [
  HomeFile.TRUSTED_PEERS,
  HomeFile.TRUSTED_PEERS_BACKUP,
  HomeFile.PEER_ROLES,
  HomeFile.DEFAULT_PEER,
  "description.txt",
];
const TEMP = /^(.+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Deletes stale temp files of the trust files in `home`.
 * @param home the home directory
 * @param now the current time in epoch milliseconds
 * @returns the names removed
 */
export function sweepStaleTempFiles(home: string, now: number = Date.now()): string[] {
  const removed: string[] = [];
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync(home);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const match = TEMP.exec(entry.name);
    if (!entry.isFile || match === null || !NAMES.includes(match[1] as typeof NAMES[number])) {
      continue;
    }
    const path = join(home, entry.name);
    try {
      const mtime = Deno.lstatSync(path).mtime?.getTime() ?? now;
      if (now - mtime < STALE_TEMP_AGE_MS) continue;
      Deno.removeSync(path);
      removed.push(entry.name);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}
