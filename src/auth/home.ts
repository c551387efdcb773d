/**
 * The home directory that holds identity, trust and other local files:
 * `~/.opendesk` unless overridden.
 *
 * @module
 */

import { join } from "node:path";

/** Mode of the home directory. */
export const HOME_DIR_MODE = 0o700;

/** Options of {@linkcode defaultHome}. */
export interface DefaultHomeOptions {
  /**
   * Reads an environment variable.
   * @default {(name) => Deno.env.get(name)}
   */
  getEnv?: (name: string) => string | undefined;
}

/**
 * The home directory: `override` when given (the `--home DIR` flag),
 * otherwise `.opendesk` in the user's home directory.
 *
 * @param override an explicit directory, used as given
 * @param options environment seam
 * @returns the directory path (not created)
 * @throws {Error} when no override is given and neither HOME nor USERPROFILE is set
 * @example Usage
 * ```ts
 * import { defaultHome } from "./home.ts";
 * console.assert(defaultHome("/tmp/od") === "/tmp/od");
 * ```
 */
export function defaultHome(override?: string, options: DefaultHomeOptions = {}): string {
  if (override !== undefined && override !== "") return override;
  const getEnv = options.getEnv ?? ((name: string) => Deno.env.get(name));
  const userHome = getEnv("HOME") || getEnv("USERPROFILE");
  if (!userHome) {
    throw new Error(
      "Cannot find the opendesk home directory: HOME is not set; set HOME or pass --home DIR",
    );
  }
  return join(userHome, ".opendesk");
}

/**
 * Creates `home` (and parents) if missing and makes sure its mode is 0700,
 * repairing a wider or narrower mode left by an
 * older run or the umask. No-op for modes on Windows.
 *
 * @param home the home directory
 * @returns true when the mode had to be repaired
 * @throws {Deno.errors.PermissionDenied} when the directory cannot be created or fixed
 */
export function ensureHomeDir(home: string): boolean {
  Deno.mkdirSync(home, { recursive: true, mode: HOME_DIR_MODE });
  if (Deno.build.os === "windows") return false;
  const mode = Deno.statSync(home).mode;
  if (mode !== null && (mode & 0o777) !== HOME_DIR_MODE) {
    Deno.chmodSync(home, HOME_DIR_MODE);
    return true;
  }
  return false;
}
