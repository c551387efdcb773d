/**
 * Turns Deno file-system errors into wire errors whose messages name the
 * action and the path the caller gave (never internal paths).
 *
 * @module
 */

import { RemoteError } from "../../protocol/errors.ts";

/**
 * Maps an error from a file-system call to a `RemoteError`; errors it does not
 * recognise are returned unchanged.
 *
 * @param err the caught error
 * @param action what failed, e.g. `read file`
 * @param path the path as the caller gave it
 */
export function fsError(err: unknown, action: string, path: string): unknown {
  if (err instanceof RemoteError) return err;
  const q = `'${path}'`;
  if (err instanceof Deno.errors.NotFound) {
    return new RemoteError("not_found", `Cannot ${action}: ${q} does not exist`, { path }, {
      cause: err,
    });
  }
  if (err instanceof Deno.errors.IsADirectory) {
    return new RemoteError("invalid_argument", `Cannot ${action}: ${q} is a directory`, { path }, {
      cause: err,
    });
  }
  if (err instanceof Deno.errors.NotADirectory) {
    return new RemoteError(
      "invalid_argument",
      `Cannot ${action}: a component of ${q} is not a directory`,
      { path },
      { cause: err },
    );
  }
  if (err instanceof Deno.errors.AlreadyExists) {
    return new RemoteError("invalid_argument", `Cannot ${action}: ${q} already exists`, { path }, {
      cause: err,
    });
  }
  if (err instanceof Deno.errors.PermissionDenied || errnoOf(err) === "EACCES") {
    return new RemoteError(
      "permission_denied",
      `Cannot ${action}: the operating system denied access to ${q}`,
      { path },
      { cause: err },
    );
  }
  if (errnoOf(err) === "ENOTEMPTY") {
    return new RemoteError("invalid_argument", `Cannot ${action}: ${q} is not empty`, { path }, {
      cause: err,
    });
  }
  if (errnoOf(err) === "ENAMETOOLONG") {
    return new RemoteError(
      "invalid_argument",
      `Cannot ${action}: the path or one of its names is too long (${path.length} characters)`,
      { path },
      { cause: err },
    );
  }
  if (err instanceof Deno.errors.FilesystemLoop || errnoOf(err) === "ELOOP") {
    return new RemoteError(
      "not_found",
      `Cannot ${action}: ${q} cannot be resolved: its symbolic links form a loop`,
      { path },
      { cause: err },
    );
  }
  if (errnoOf(err) === "ENOSPC") {
    return new RemoteError("internal", `Cannot ${action}: no space left on the device`, { path }, {
      cause: err,
    });
  }
  return err;
}

/** The errno name (`ENOENT`, …) of a Deno error, or undefined. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
