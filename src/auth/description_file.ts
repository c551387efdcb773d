/**
 * This machine's self-description, `<home>/description.txt`: read and whitespace-stripped on every HELLO, written like the
 * other home files (atomically, mode 0600, under the trust lock so
 * concurrent `opendesk describe` runs never tear it).
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomicSync } from "./_atomic_file.ts";
import { withTrustLock } from "./_trust_lock.ts";

/** File name of the description inside the home directory. */
export const DESCRIPTION_FILE = "description.txt";

/** Reads the description; `""` when the file is missing or unreadable. */
export function readDescription(home: string): string {
  try {
    return Deno.readTextFileSync(join(home, DESCRIPTION_FILE)).trim();
  } catch {
    return "";
  }
}

/** Replaces the description (one trailing newline is added); the home is created 0700. */
export function writeDescription(home: string, text: string): void {
  withTrustLock(home, () => {
    writeFileAtomicSync(join(home, DESCRIPTION_FILE), `${text}\n`, { mode: 0o600 });
  });
}

/** Removes the description (no error when it is absent). */
export function clearDescription(home: string): void {
  try {
    Deno.removeSync(join(home, DESCRIPTION_FILE));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
