/**
 * Words for failures to write a file on the controller's own machine
 * (screenshots, downloads, stream frames), instead of a raw `ENOENT`.
 *
 * @module
 */

import { dirname } from "node:path";
import { ReplUsageError } from "./repl_context.ts";

/**
 * Converts an error of writing `path` locally into a message that says what
 * is wrong and what to do.
 *
 * @param path The local path that could not be written.
 * @param error What the file system threw.
 */
export function localWriteError(path: string, error: unknown): Error {
  const code = (error as { code?: unknown })?.code;
  const e = error as Error;
  if (e instanceof Deno.errors.NotFound || code === "ENOENT") {
    return new ReplUsageError(
      `Cannot save ${path}: the folder ${dirname(path)} does not exist; create it or choose ` +
        "another path",
    );
  }
  if (e instanceof Deno.errors.PermissionDenied || code === "EACCES" || code === "EPERM") {
    return new ReplUsageError(
      `Cannot save ${path}: permission denied; choose a folder you can write to`,
    );
  }
  if (e instanceof Deno.errors.IsADirectory || code === "EISDIR") {
    return new ReplUsageError(`Cannot save ${path}: it is a folder; add a file name`);
  }
  if (code === "ENOTDIR") {
    return new ReplUsageError(`Cannot save ${path}: part of the path is a file, not a folder`);
  }
  if (code === "ENOSPC") return new ReplUsageError(`Cannot save ${path}: the disk is full`);
  return error instanceof Error ? error : new Error(String(error));
}
