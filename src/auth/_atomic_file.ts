/**
 * Crash-safe file replacement: write a temp file in the same directory,
 * fsync it, set its mode, rename it over the target, fsync the directory.
 * A crash at any point leaves either the old file or the new one, never a
 * torn mix. Internal: not re-exported.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/** Options of {@linkcode writeFileAtomicSync}. */
export interface AtomicWriteOptions {
  /**
   * Permission bits of the new file (not applied on Windows).
   * @default {0o600}
   */
  mode?: number;
  /**
   * Create only: fail with `Deno.errors.AlreadyExists` instead of replacing an
   * existing file (the temp file is hard-linked into place, which is atomic
   * and refuses an existing target).
   * @default {false}
   */
  exclusive?: boolean;
  /** Test seam: runs after the temp file is durable and before the rename. */
  beforeRename?: (tempPath: string) => void;
}

const IS_WINDOWS = Deno.build.os === "windows";

function tempName(path: string): string {
  const random = new Uint8Array(6);
  crypto.getRandomValues(random);
  const suffix = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
  return join(dirname(path), `${basename(path)}.${suffix}.tmp`);
}

/**
 * Replaces `path` with `data` atomically.
 *
 * @param path the file to replace (or create)
 * @param data the new contents
 * @param options mode and test seam
 * @throws {Deno.errors.AlreadyExists} with `exclusive` when `path` exists (it is left alone)
 * @throws {Deno.errors.PermissionDenied} and other I/O errors; the old file is then intact
 */
export function writeFileAtomicSync(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): void {
  const mode = options.mode ?? 0o600;
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const temp = tempName(path);
  const file = Deno.openSync(temp, { write: true, createNew: true, mode });
  let renamed = false;
  try {
    try {
      if (!IS_WINDOWS) Deno.chmodSync(temp, mode); // the umask may have narrowed or widened it
      let written = 0;
      while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
      file.syncSync();
    } finally {
      file.close();
    }
    options.beforeRename?.(temp);
    if (options.exclusive) {
      Deno.linkSync(temp, path);
    } else {
      Deno.renameSync(temp, path);
      renamed = true;
    }
    syncDirectory(dirname(path));
  } finally {
    if (!renamed) {
      try {
        Deno.removeSync(temp);
      } catch {
        // The temp file is already gone or cannot be removed; the target is intact either way.
      }
    }
  }
}

function syncDirectory(dir: string): void {
  if (IS_WINDOWS) return;
  const handle = Deno.openSync(dir, { read: true });
  try {
    handle.syncSync();
  } finally {
    handle.close();
  }
}
