/**
 * Path helpers for the OS-independent methods: `~` expansion as the reference
 * does it (every path is `~`-expanded).
 *
 * @module
 */

import { RemoteError } from "../../protocol/errors.ts";

/** The current user's home directory, or null when unknown. */
export function homeDir(): string | null {
  return Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? null;
}

/**
 * Expands a leading `~` or `~user`. Other paths are returned unchanged
 * (relative paths resolve against the server's working directory).
 *
 * @throws {RemoteError} `invalid_argument` for an empty path, `not_found` for an unknown user
 */
export function expandPath(path: string): string {
  if (path === "") throw new RemoteError("invalid_argument", "Invalid path: the path is empty");
  if (path.includes("\0")) {
    throw new RemoteError("invalid_argument", "Invalid path: the path contains a NUL byte");
  }
  if (!path.startsWith("~")) return path;
  const slash = path.search(/[\\/]/);
  const user = slash === -1 ? path.slice(1) : path.slice(1, slash);
  const rest = slash === -1 ? "" : path.slice(slash);
  const home = user === "" ? homeDir() : userHome(user);
  if (home === null) {
    throw new RemoteError("not_found", `Cannot expand '~${user}': the home directory is unknown`);
  }
  return home + rest;
}

function userHome(user: string): string | null {
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const fields = line.split(":");
      if (fields[0] === user && fields[5]) return fields[5];
    }
  } catch {
    return null;
  }
  return null;
}

/** The last component of a path (`name` of a FileEntry). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, "");
  const i = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  return i === -1 ? trimmed : trimmed.slice(i + 1);
}

/** The directory part of a path (`.` when there is none). */
export function dirName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, "");
  const i = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  if (i === -1) return ".";
  if (i === 0) return trimmed.slice(0, 1);
  return trimmed.slice(0, i);
}

/** Joins a directory and a name with the platform separator. */
export function joinPath(dir: string, name: string): string {
  const sep = Deno.build.os === "windows" ? "\\" : "/";
  return dir.endsWith("/") || dir.endsWith("\\") ? dir + name : dir + sep + name;
}
