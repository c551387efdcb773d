/**
 * The OS-independent file methods (`fs.*`) used by `HostComputer`. Paths are
 * `~`-expanded; errors are wire errors that name the caller's path.
 *
 * @module
 */

import { RemoteError } from "../../protocol/errors.ts";
import { allocateFramePayload, PAYLOAD_MIN_BYTES } from "../../protocol/frame_payload.ts";
import { errnoOf, fsError } from "./_fs_errors.ts";
import { baseName, dirName, expandPath, joinPath } from "./_paths.ts";
import { isSpecialFile, readSpecialFile } from "./_special_file_read.ts";
import { formatBytes } from "../limits.ts";
import type { ReadFileRange } from "../methods/params.ts";
import type { FileEntry } from "../types/file_entry.ts";

/**
 * Reads a file, or the range `[offset, offset + length)` of it.
 *
 * @throws {RemoteError} `not_found`, `invalid_argument` (a directory; more than `maxBytes`)
 */
export async function readFileBytes(
  path: string,
  range: ReadFileRange,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const real = expandPath(path);
  // Opening a FIFO or a terminal can block a pool thread for good: read those in a child.
  const info = await Deno.stat(real).catch((err) => {
    throw fsError(err, "read file", path);
  });
  if (isSpecialFile(info)) {
    if (range.offset !== undefined && range.offset > 0) {
      throw new RemoteError(
        "invalid_argument",
        `Cannot read file: '${path}' is not a regular file and cannot seek; omit 'offset'`,
        { path },
      );
    }
    const want = Math.min(range.length ?? maxBytes + 1, maxBytes + 1);
    const data = await readSpecialFile(real, path, want, signal);
    if (range.length === undefined && data.length > maxBytes) {
      throw tooLarge(path, data.length, maxBytes, false);
    }
    return data;
  }
  let file: Deno.FsFile;
  try {
    file = await Deno.open(real, { read: true });
  } catch (err) {
    throw fsError(err, "read file", path);
  }
  try {
    const info = await file.stat();
    if (info.isDirectory) {
      throw new RemoteError(
        "invalid_argument",
        `Cannot read file: '${path}' is a directory; list it with fs.list`,
        { path },
      );
    }
    const offset = range.offset ?? 0;
    if (range.length !== undefined && range.length > maxBytes) {
      throw new RemoteError(
        "invalid_argument",
        `Cannot read file: the requested length of ${
          formatBytes(range.length)
        } exceeds the limit of ${formatBytes(maxBytes)}; ask for a smaller 'length'`,
        { path, length: range.length, limit: maxBytes },
      );
    }
    const available = Math.max(0, info.size - offset);
    if (range.length === undefined && available > maxBytes) {
      throw tooLarge(path, available, maxBytes, range.offset !== undefined);
    }
    if (offset > 0) await file.seek(offset, Deno.SeekMode.Start);
    const want = range.length ?? maxBytes + 1;
    const data = await readUpTo(file, want, available);
    if (range.length === undefined && data.length > maxBytes) {
      throw tooLarge(path, data.length, maxBytes, range.offset !== undefined);
    }
    return data;
  } catch (err) {
    throw fsError(err, "read file", path);
  } finally {
    file.close();
  }
}

function tooLarge(path: string, size: number, limit: number, ranged: boolean): RemoteError {
  const what = ranged ? "the rest of the file from 'offset'" : `'${path}'`;
  return new RemoteError(
    "invalid_argument",
    `File is too large to read in one call: ${what} is ${size > limit ? "more than " : ""}${
      formatBytes(size)
    } and the limit is ${
      formatBytes(limit)
    }; read it in parts with the 'offset' and 'length' parameters`,
    { path, size, limit },
  );
}

/**
 * Reads up to `want` bytes into one buffer sized from the file's stat size,
 * so a whole file costs one allocation and no concatenation. A large one goes
 * into a frame payload buffer, which the RES encoder sends without copying.
 * A file that grew since the stat continues in a larger buffer.
 */
async function readUpTo(file: Deno.FsFile, want: number, expected: number): Promise<Uint8Array> {
  const first = Math.min(want, expected);
  let buf = first >= PAYLOAD_MIN_BYTES ? allocateFramePayload(first) : new Uint8Array(first);
  let total = 0;
  for (;;) {
    while (total < buf.length) {
      const n = await file.read(buf.subarray(total));
      if (n === null) return buf.subarray(0, total);
      total += n;
    }
    if (total >= want) return buf;
    // Full as sized: the file ends here unless it grew.
    const probe = new Uint8Array(1);
    if (!await file.read(probe)) return buf;
    const bigger = new Uint8Array(Math.min(want, Math.max(buf.length * 2, 64 * 1024)));
    bigger.set(buf);
    bigger[total++] = probe[0]!;
    buf = bigger;
  }
}

/** Where a write of `path` lands: symbolic links followed, an existing file's mode kept. */
export interface WriteTarget {
  /** The real path the file is renamed to. */
  target: string;
  /** Its directory (created). */
  dir: string;
  /** The existing file's permission bits, if there is one. */
  mode: number | undefined;
}

/**
 * Resolves where a write of `path` lands and creates its parent directories.
 *
 * @throws {RemoteError} `invalid_argument` when the path is a directory
 */
export async function resolveWriteTarget(path: string): Promise<WriteTarget> {
  let target = expandPath(path);
  let mode: number | undefined;
  try {
    const link = await Deno.lstat(target);
    if (link.isSymlink) target = await Deno.realPath(target);
    const info = await Deno.stat(target);
    if (info.isDirectory) {
      throw new RemoteError("invalid_argument", `Cannot write file: '${path}' is a directory`, {
        path,
      });
    }
    if (info.mode !== null) mode = info.mode & 0o7777;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw fsError(err, "write file", path);
  }
  const dir = dirName(target);
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (err) {
    throw fsError(err, "create the parent directories of", path);
  }
  return { target, dir, mode };
}

/** A fresh name for a temporary file next to `target` (`.NAME.RANDOM.SUFFIX`). */
export function tempNameFor(where: WriteTarget, suffix: string): string {
  const random = crypto.getRandomValues(new Uint32Array(2)).join("");
  return joinPath(where.dir, `.${baseName(where.target)}.${random}.${suffix}`);
}

/**
 * Writes a whole file: the bytes go to a temp file in the same directory,
 * which is synced and renamed over the target, so readers never see a
 * partial file. Parent directories are created; an existing file keeps its mode.
 *
 * @throws {RemoteError} `invalid_argument` when the path is a directory
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const where = await resolveWriteTarget(path);
  const { target, mode } = where;
  const temp = tempNameFor(where, "opendesk-tmp");
  try {
    const file = await Deno.open(temp, {
      write: true,
      createNew: true,
      ...(mode === undefined ? {} : { mode }),
    });
    try {
      let at = 0;
      while (at < data.length) at += await file.write(data.subarray(at));
      await file.syncData();
    } finally {
      file.close();
    }
    if (mode !== undefined && Deno.build.os !== "windows") await Deno.chmod(temp, mode);
    await Deno.rename(temp, target);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw fsError(err, "write file", path);
  }
}

/** Builds a FileEntry from a stat result. */
export function fileEntryOf(path: string, info: Deno.FileInfo): FileEntry {
  return {
    path,
    name: baseName(path),
    is_dir: info.isDirectory,
    size: info.size,
    mtime: info.mtime === null ? null : info.mtime.getTime() / 1000,
    mode: info.mode,
  };
}

async function statFollowing(path: string): Promise<Deno.FileInfo> {
  try {
    return await Deno.stat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return await Deno.lstat(path); // dangling link
    throw err;
  }
}

/**
 * Lists a directory, sorted by name.
 *
 * @throws {RemoteError} `not_found`, `invalid_argument` when the path is a file
 */
export async function listDirectory(path: string): Promise<FileEntry[]> {
  const real = expandPath(path);
  const entries: FileEntry[] = [];
  try {
    for await (const entry of Deno.readDir(real)) {
      const full = joinPath(real, entry.name);
      try {
        entries.push(fileEntryOf(full, await statFollowing(full)));
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err; // removed while listing
      }
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotADirectory) {
      throw new RemoteError(
        "invalid_argument",
        `Cannot list directory: '${path}' is not a directory; use fs.stat or fs.read`,
        { path },
      );
    }
    throw fsError(err, "list directory", path);
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Metadata of one path (symlinks followed).
 *
 * @throws {RemoteError} `not_found`
 */
export async function statPath(path: string): Promise<FileEntry> {
  const real = expandPath(path);
  try {
    return fileEntryOf(real, await statFollowing(real));
  } catch (err) {
    throw fsError(err, "stat", path);
  }
}

/** Deletes a file, link, or directory tree; a missing path is not an error. */
export async function deletePath(path: string): Promise<void> {
  const real = expandPath(path);
  try {
    const info = await Deno.lstat(real);
    await Deno.remove(real, { recursive: info.isDirectory });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return;
    throw fsError(err, "delete", path);
  }
}

/**
 * Moves or renames `src` to `dst`. When `dst` is an existing directory, `src`
 * moves into it (as `mv` and the reference do). Works across file systems.
 *
 * @throws {RemoteError} `not_found` when `src` does not exist
 */
export async function movePath(src: string, dst: string): Promise<void> {
  const from = expandPath(src);
  let to = expandPath(dst);
  try {
    await Deno.lstat(from);
  } catch (err) {
    throw fsError(err, "move", src);
  }
  try {
    if ((await Deno.stat(to)).isDirectory) to = joinPath(to, baseName(from));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw fsError(err, "move to", dst);
  }
  try {
    await Deno.rename(from, to);
  } catch (err) {
    if (errnoOf(err) !== "EXDEV") throw fsError(err, `move '${src}' to`, dst);
    try {
      await copyTree(from, to);
      await Deno.remove(from, { recursive: true });
    } catch (copyErr) {
      throw fsError(copyErr, `move '${src}' to`, dst);
    }
  }
}

async function copyTree(from: string, to: string): Promise<void> {
  const info = await Deno.lstat(from);
  if (info.isSymlink) {
    await Deno.symlink(await Deno.readLink(from), to);
  } else if (info.isDirectory) {
    await Deno.mkdir(to, { recursive: true });
    for await (const entry of Deno.readDir(from)) {
      await copyTree(joinPath(from, entry.name), joinPath(to, entry.name));
    }
  } else {
    await Deno.copyFile(from, to);
  }
}

/**
 * Creates a directory (and its parents unless `parents` is false). An existing
 * directory is fine; an existing file is `invalid_argument`.
 */
export async function makeDirectory(path: string, parents: boolean): Promise<void> {
  const real = expandPath(path);
  try {
    await Deno.mkdir(real, { recursive: parents });
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) {
      const info = await Deno.stat(real).catch(() => null);
      if (info?.isDirectory) return;
      throw new RemoteError(
        "invalid_argument",
        `Cannot create directory: '${path}' exists and is not a directory`,
        { path },
      );
    }
    if (err instanceof Deno.errors.NotFound) {
      throw new RemoteError(
        "not_found",
        `Cannot create directory: the parent of '${path}' does not exist; pass parents=true to create it`,
        { path },
      );
    }
    throw fsError(err, "create directory", path);
  }
}
