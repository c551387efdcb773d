/**
 * `<home>/default-peer`: the name of the peer `connect` uses without a
 * target, as `name\n`, the reference's format. Internal to the trust store.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomicSync } from "./_atomic_file.ts";
import { HomeFile } from "./constants.ts";
import { ensureHomeDir } from "./home.ts";

/** The stored name (whitespace-trimmed), or `null` when the file does not exist. */
export function readDefaultPeerName(home: string): string | null {
  try {
    return Deno.readTextFileSync(join(home, HomeFile.DEFAULT_PEER)).trim();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Stores `name` atomically with mode 0600. */
export function writeDefaultPeerName(home: string, name: string): void {
  ensureHomeDir(home);
  writeFileAtomicSync(join(home, HomeFile.DEFAULT_PEER), `${name}\n`, { mode: 0o600 });
}

/** Removes the file (no error when it is absent). */
export function clearDefaultPeerName(home: string): void {
  try {
    Deno.removeSync(join(home, HomeFile.DEFAULT_PEER));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
