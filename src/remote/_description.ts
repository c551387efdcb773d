/**
 * This machine's self-description, `<home>/description.txt` (protocol-v1
 * §10.2): read and whitespace-stripped on every HELLO.
 *
 * @module
 */

import { join } from "node:path";

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
