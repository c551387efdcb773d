/**
 * Uploads in parts (the `fs.write` extension `offset`/`size`/`upload`): each
 * part is written at its offset into a temporary file next to the target,
 * in any order and several at once; when every byte of `[0, size)` has been
 * written exactly once, the file is synced and renamed over the target. Until
 * then the target is untouched, so an interrupted upload never leaves a half
 * file under the real name and never loses the old file. An upload that gets
 * no part for {@linkcode UPLOAD_IDLE_MS} is abandoned and its temporary file
 * removed; at most {@linkcode MAX_OPEN_UPLOADS} are open at once (a new one
 * abandons the least recently used).
 *
 * @module
 */

import { RemoteError } from "../../protocol/errors.ts";
import { formatBytes } from "../limits.ts";
import type { FilePart, FilePartResult } from "../methods/params.ts";
import { fsError } from "./_fs_errors.ts";
import { resolveWriteTarget, tempNameFor } from "./fs_methods.ts";
import { addRange, type ByteRanges, MAX_RANGES } from "./_byte_ranges.ts";

/** An upload that gets no part for this long is abandoned. */
export const UPLOAD_IDLE_MS = 120_000;
/** Most uploads open at once. */
export const MAX_OPEN_UPLOADS = 8;
/** Largest file an upload in parts may create. */
export const MAX_UPLOAD_BYTES = 2 ** 44;

interface OpenUpload {
  path: string;
  size: number;
  target: string;
  temp: string;
  mode: number | undefined;
  written: ByteRanges;
  bytes: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Options of {@linkcode PartedUploads}. */
export interface PartedUploadsOptions {
  /** Idle time after which an upload is abandoned. @default {UPLOAD_IDLE_MS} */
  idleMs?: number;
}

/** The open uploads of one computer. */
export class PartedUploads {
  #open = new Map<string, OpenUpload>();
  #idleMs: number;

  /** Creates an empty set. */
  constructor(options: PartedUploadsOptions = {}) {
    this.#idleMs = options.idleMs ?? UPLOAD_IDLE_MS;
  }

  /** Number of uploads open. */
  get size(): number {
    return this.#open.size;
  }

  /**
   * Writes one part; the part that completes the file renames it into place.
   *
   * @throws {RemoteError} `invalid_argument` for a part outside `[0, size)`, one
   *   that overlaps bytes already written, an empty part of a non-empty file, or
   *   an `upload` already used for another path or size
   */
  async write(path: string, data: Uint8Array, part: FilePart): Promise<FilePartResult> {
    const end = part.offset + data.length;
    if (part.size > MAX_UPLOAD_BYTES) {
      throw invalid(
        path,
        `the size ${formatBytes(part.size)} exceeds ${formatBytes(MAX_UPLOAD_BYTES)}`,
      );
    }
    if (end > part.size) {
      throw invalid(path, `bytes ${part.offset}-${end} lie beyond the file's size of ${part.size}`);
    }
    if (data.length === 0 && part.size > 0) throw invalid(path, "a part carries no bytes");
    const upload = await this.#uploadFor(path, part);
    const added = addRange(upload.written, part.offset, end);
    if (added === "overlap") {
      throw invalid(path, `bytes ${part.offset}-${end} overlap bytes already written`);
    }
    if (added === "scattered") {
      throw invalid(path, `more than ${MAX_RANGES} separate parts; send parts closer to in order`);
    }
    this.#touch(part.upload, upload);
    let file: Deno.FsFile | undefined;
    try {
      file = await Deno.open(upload.temp, { write: true });
      if (part.offset > 0) await file.seek(part.offset, Deno.SeekMode.Start);
      for (let at = 0; at < data.length;) at += await file.write(data.subarray(at));
      upload.bytes += data.length;
      if (upload.bytes < upload.size) return { complete: false };
      if (this.#open.get(part.upload) !== upload) throw abandoned(path);
      this.#forget(part.upload);
      await file.syncData();
      if (upload.mode !== undefined && Deno.build.os !== "windows") {
        await Deno.chmod(upload.temp, upload.mode);
      }
      await Deno.rename(upload.temp, upload.target);
      return { complete: true };
    } catch (err) {
      // A failed part ends its upload; one abandoned meanwhile says so (its file is gone).
      const stillOpen = this.#open.get(part.upload) === upload;
      if (stillOpen) this.#forget(part.upload);
      await Deno.remove(upload.temp).catch(() => {});
      throw stillOpen || err instanceof RemoteError
        ? fsError(err, "write file", path)
        : abandoned(path);
    } finally {
      file?.close();
    }
  }

  /** Drops an open upload and removes its temporary file (no-op when unknown). */
  abandon(id: string): void {
    const upload = this.#forget(id);
    if (upload) Deno.remove(upload.temp).catch(() => {});
  }

  /** Abandons every open upload. */
  async close(): Promise<void> {
    const temps = [...this.#open.keys()].map((id) => this.#forget(id)!.temp);
    await Promise.all(temps.map((temp) => Deno.remove(temp).catch(() => {})));
  }

  async #uploadFor(path: string, part: FilePart): Promise<OpenUpload> {
    const known = this.#open.get(part.upload);
    if (known) {
      if (known.path !== path || known.size !== part.size) {
        throw invalid(
          path,
          `upload '${part.upload}' is for '${known.path}' of ${known.size} bytes; use a new 'upload' name`,
        );
      }
      return known;
    }
    const where = await resolveWriteTarget(path);
    // Another part of the same upload may have opened it while this one waited.
    if (this.#open.has(part.upload)) return await this.#uploadFor(path, part);
    const temp = tempNameFor(where, "opendesk-part");
    try {
      // Parts extend the file as they land; the last one leaves it exactly `size` bytes long.
      using _file = await Deno.open(temp, {
        write: true,
        createNew: true,
        ...(where.mode === undefined ? {} : { mode: where.mode }),
      });
    } catch (err) {
      await Deno.remove(temp).catch(() => {});
      throw fsError(err, "write file", path);
    }
    if (this.#open.has(part.upload)) {
      await Deno.remove(temp).catch(() => {});
      return await this.#uploadFor(path, part);
    }
    if (this.#open.size >= MAX_OPEN_UPLOADS) this.abandon(this.#open.keys().next().value!);
    const upload: OpenUpload = {
      path,
      size: part.size,
      target: where.target,
      temp,
      mode: where.mode,
      written: [],
      bytes: 0,
      timer: undefined,
    };
    this.#open.set(part.upload, upload);
    return upload;
  }

  /** Restarts the idle deadline and marks the upload most recently used. */
  #touch(id: string, upload: OpenUpload): void {
    clearTimeout(upload.timer);
    upload.timer = setTimeout(() => this.abandon(id), this.#idleMs);
    Deno.unrefTimer(upload.timer as unknown as number);
    this.#open.delete(id);
    this.#open.set(id, upload);
  }

  #forget(id: string): OpenUpload | undefined {
    const upload = this.#open.get(id);
    if (upload === undefined) return undefined;
    clearTimeout(upload.timer);
    this.#open.delete(id);
    return upload;
  }
}

function invalid(path: string, why: string): RemoteError {
  return new RemoteError("invalid_argument", `Cannot write part of file '${path}': ${why}`, {
    path,
  });
}

function abandoned(path: string): RemoteError {
  return invalid(path, "the upload was abandoned (idle too long, or too many open uploads)");
}
