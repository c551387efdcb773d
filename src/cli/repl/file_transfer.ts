/**
 * `get REMOTE [LOCAL]` and `put LOCAL REMOTE`: file transfers with a
 * progress bar. Downloads read big files in chunks (`fs.read` with the
 * `offset`/`length` extension, several calls in flight, written in order)
 * into a `.part` file that is renamed only when complete, so an interrupted
 * transfer never leaves a half file under the real name. Uploads of one part
 * are one `fs.write`, which the controlled machine writes atomically; bigger
 * ones go as parts with the `fs.write` extension `offset`/`size`/`upload`
 * (several in flight), which the controlled machine joins in a temporary file
 * and renames into place when complete. A server without that extension gets
 * one `fs.write` of up to one frame's payload (256 MiB), and bigger files as
 * part files joined there by a POSIX shell.
 *
 * @module
 */

import { rename, rm, stat } from "node:fs/promises";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../../computer/limits.ts";
import { FS_WRITE_PARTS_EXTENSION, FsRead, FsWrite } from "../../computer/methods/methods_host.ts";
import { SystemCapabilities } from "../../computer/methods/methods_system.ts";
import { pipelinedUpload } from "./pipelined_upload.ts";
import { allocateFramePayload, PAYLOAD_MIN_BYTES } from "../../protocol/frame_payload.ts";
import { typedResult } from "./typed_result.ts";
import { localWriteError } from "./local_file_error.ts";
import { pipelinedDownload } from "./pipelined_download.ts";
import { basename, posix } from "node:path";
import type { ParsedLine } from "./repl_args.ts";
import { type ReplCommand, type ReplContext, ReplUsageError } from "./repl_context.ts";
import { ProgressBar } from "../render/progress_bar.ts";
import { localPath } from "./screenshot_output.ts";

/** Sizes of a transfer's pieces (the defaults are {@linkcode TRANSFER_TUNING}). */
export interface TransferTuning {
  /** Bytes read per `fs.read` call for big files. */
  getChunkBytes: number;
  /** `fs.read` calls in flight at once; the client holds at most this many chunks. */
  getInFlight: number;
  /** Largest file sent with one `fs.write` to a server without the parts extension. */
  putSingleLimitBytes: number;
  /** Size of each part of a bigger upload (and the largest file sent in one `fs.write`). */
  putPartBytes: number;
  /** Parts in flight at once (with the parts extension); the client holds at most this many. */
  putInFlight: number;
}

/**
 * Two 4 MiB reads in flight: over a network the second request hides the round trip between
 * chunks; the client holds at most two chunks. Over loopback on a loaded 2-core machine (load
 * ~6) the transfer is CPU-bound and depth does not pay: 256 MiB ran at 110 MiB/s with four
 * 8 MiB reads in flight and 118 MiB/s one 4 MiB read at a time (same run, medians of 5), while
 * the client's peak RSS went from 190 to 313 MiB. Uploads go the same way: 4 MiB parts, two in
 * flight, when the server offers the parts extension; otherwise one `fs.write` carries up to the
 * server's default payload limit (its frame cap is 64 KiB larger, for the frame's own bytes).
 */
export const TRANSFER_TUNING: Readonly<TransferTuning> = {
  getChunkBytes: 4 * 1024 * 1024,
  getInFlight: 2,
  putSingleLimitBytes: DEFAULT_MAX_PAYLOAD_BYTES,
  putPartBytes: 4 * 1024 * 1024,
  putInFlight: 2,
};

function words(line: ParsedLine): string[] {
  return line.positionals.map((t) => t.text);
}

async function isLocalDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Downloads a remote file.
 *
 * @param ctx The REPL context.
 * @param remote Remote path.
 * @param local Local path (a directory keeps the remote name).
 * @param tuning Chunk sizes (tests use small ones).
 * @returns The local path written and the number of bytes.
 */
export async function download(
  ctx: ReplContext,
  remote: string,
  local: string | undefined,
  tuning: Readonly<TransferTuning> = TRANSFER_TUNING,
): Promise<{ path: string; bytes: number }> {
  const info = await ctx.call("fs.stat", { path: remote });
  if (info?.is_dir === true) {
    throw new ReplUsageError(
      `${remote} is a directory: get copies single files (try ls ${remote})`,
    );
  }
  const size = typeof info?.size === "number" ? info.size : 0;
  const name = posix.basename(remote.replace(/\\/g, "/")) || "download";
  let target = localPath(ctx.deps.cwd, local ?? name);
  if (await isLocalDirectory(target)) target = localPath(target, name);
  const partial = `${target}.part`;
  const bar = new ProgressBar(ctx.deps.stderr, { label: basename(target), total: size });
  // Deno's own file API: node:fs/promises' FileHandle.write took a third of a 256 MiB get.
  const file = await Deno.open(partial, { write: true, create: true, truncate: true, mode: 0o644 })
    .catch((error) => {
      throw localWriteError(target, error);
    });
  let done = 0;
  try {
    const writeChunk = async (data: Uint8Array): Promise<void> => {
      for (let at = 0; at < data.length;) at += await file.write(data.subarray(at));
      done += data.length;
      bar.update(done);
    };
    if (size <= tuning.getChunkBytes) {
      // One call without a range: also reads files whose size is not known up front.
      await writeChunk(typedResult(FsRead, await ctx.call("fs.read", { path: remote })));
    } else {
      const read = async (offset: number, length: number): Promise<Uint8Array> =>
        typedResult(FsRead, await ctx.call("fs.read", { path: remote, offset, length }));
      await pipelinedDownload(size, read, writeChunk, {
        chunkBytes: tuning.getChunkBytes,
        inFlight: tuning.getInFlight,
      });
    }
    file.close();
    await rename(partial, target);
    bar.finish();
  } catch (error) {
    bar.abort();
    try {
      file.close();
    } catch {
      // already closed
    }
    await rm(partial, { force: true });
    throw error;
  }
  if (done !== size) {
    ctx.err(`warning: ${remote} changed during the transfer (${done} of ${size} bytes)\n`);
  }
  return { path: target, bytes: done };
}

/** Reads a range of a local file; a large one into a buffer the frame encoder sends in place. */
async function readChunk(path: string, offset: number, length: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  if (offset > 0) await file.seek(offset, Deno.SeekMode.Start);
  const buffer = length >= PAYLOAD_MIN_BYTES
    ? allocateFramePayload(length)
    : new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  // The whole buffer when it is full, so the frame encoder still sends it in place.
  return filled === length ? buffer : buffer.subarray(0, filled);
}

async function remoteTarget(ctx: ReplContext, remote: string, name: string): Promise<string> {
  if (remote.endsWith("/")) return remote + name;
  try {
    const info = await ctx.call("fs.stat", { path: remote });
    if (info?.is_dir === true) return posix.join(remote, name);
  } catch {
    // A missing target is the normal case: it is created.
  }
  return remote;
}

/**
 * Uploads a local file.
 *
 * @param ctx The REPL context.
 * @param local Local path.
 * @param remote Remote path (a directory keeps the local name).
 * @param tuning Part sizes (tests use small ones).
 * @returns The remote path written and the number of bytes.
 */
export async function upload(
  ctx: ReplContext,
  local: string,
  remote: string,
  tuning: Readonly<TransferTuning> = TRANSFER_TUNING,
): Promise<{ path: string; bytes: number }> {
  const source = localPath(ctx.deps.cwd, local);
  let size: number;
  try {
    const info = await stat(source);
    if (info.isDirectory()) {
      throw new ReplUsageError(`${local} is a directory: put copies single files`);
    }
    size = info.size;
  } catch (error) {
    if (error instanceof ReplUsageError) throw error;
    throw new ReplUsageError(`Cannot read ${local}: ${(error as Error).message}`);
  }
  const target = await remoteTarget(ctx, remote, basename(source));
  const bar = new ProgressBar(ctx.deps.stderr, { label: basename(source), total: size });
  try {
    if (size <= tuning.putPartBytes) {
      const data = await readChunk(source, 0, size);
      await ctx.call("fs.write", { path: target, data });
      bar.update(data.length);
    } else if (await offersWriteParts(ctx)) {
      const upload = crypto.getRandomValues(new Uint8Array(8)).reduce(
        (hex, byte) => hex + byte.toString(16).padStart(2, "0"),
        "",
      );
      await pipelinedUpload(
        size,
        (offset, length) => readChunk(source, offset, length),
        async (offset, data) => {
          const result = await ctx.call("fs.write", { path: target, data, offset, size, upload });
          return typedResult(FsWrite, result)?.complete === true;
        },
        {
          partBytes: tuning.putPartBytes,
          inFlight: tuning.putInFlight,
          onProgress: (bytes) => bar.update(bytes),
        },
      );
    } else if (size <= tuning.putSingleLimitBytes) {
      const data = await readChunk(source, 0, size);
      await ctx.call("fs.write", { path: target, data });
      bar.update(data.length);
    } else {
      await uploadInParts(ctx, source, target, size, bar, tuning);
    }
    bar.finish();
  } catch (error) {
    bar.abort();
    throw error;
  }
  return { path: target, bytes: size };
}

/** Whether the server offers `fs.write` in parts (asked once per session). */
async function offersWriteParts(ctx: ReplContext): Promise<boolean> {
  let offered = writePartsOffered.get(ctx.session);
  if (offered === undefined) {
    const manifest = typedResult(
      SystemCapabilities,
      await ctx.call("system.capabilities", { extensions: true }),
    );
    offered = manifest.extensions?.includes(FS_WRITE_PARTS_EXTENSION) ?? false;
    writePartsOffered.set(ctx.session, offered);
  }
  return offered;
}

const writePartsOffered = new WeakMap<object, boolean>();

async function uploadInParts(
  ctx: ReplContext,
  source: string,
  target: string,
  size: number,
  bar: ProgressBar,
  tuning: Readonly<TransferTuning>,
): Promise<void> {
  const caps = ctx.session.manifest.capabilities;
  const backend = String(ctx.session.manifest.backend ?? "");
  if (!Array.isArray(caps) || !caps.includes("process.spawn") || backend.includes("windows")) {
    throw new ReplUsageError(
      `${source} is larger than one fs.write can carry (${tuning.putSingleLimitBytes} bytes) and ` +
        "the controlled machine cannot join parts (it needs process.spawn and a POSIX shell)",
    );
  }
  const parts: string[] = [];
  try {
    for (let offset = 0; offset < size; offset += tuning.putPartBytes) {
      const data = await readChunk(source, offset, Math.min(tuning.putPartBytes, size - offset));
      const part = `${target}.opendesk-part-${String(parts.length).padStart(4, "0")}`;
      parts.push(part);
      await ctx.call("fs.write", { path: part, data });
      bar.update(offset + data.length);
    }
    const script = 'cat "$@" > "$0.opendesk-tmp" && mv -f "$0.opendesk-tmp" "$0"';
    const joined = await ctx.call("process.exec", {
      argv: ["/bin/sh", "-c", script, target, ...parts],
    });
    if (joined?.returncode !== 0) {
      const stderr = joined?.stderr instanceof Uint8Array
        ? new TextDecoder().decode(joined.stderr)
        : "";
      throw new Error(`Joining the parts on the controlled machine failed: ${stderr.trim()}`);
    }
  } finally {
    for (const part of parts) await ctx.session.call("fs.delete", { path: part }).catch(() => {});
  }
}

const get: ReplCommand = {
  name: "get",
  usage: "REMOTE [LOCAL]",
  summary: "Download a remote file (big files in chunks, with progress)",
  completes: "remote-path",
  async run(ctx, line) {
    const [remote, local, extra] = words(line);
    if (!remote) throw new ReplUsageError("Missing remote path: get REMOTE [LOCAL]");
    if (extra !== undefined) throw new ReplUsageError(`Unexpected argument '${extra}'`);
    const { path, bytes } = await download(ctx, remote, local);
    ctx.out(`saved ${path} (${bytes} bytes)\n`);
  },
};

const put: ReplCommand = {
  name: "put",
  usage: "LOCAL REMOTE",
  summary: "Upload a local file (with progress)",
  completes: "local-path",
  async run(ctx, line) {
    const [local, remote, extra] = words(line);
    if (!local || !remote) throw new ReplUsageError("Missing argument: put LOCAL REMOTE");
    if (extra !== undefined) throw new ReplUsageError(`Unexpected argument '${extra}'`);
    const { path, bytes } = await upload(ctx, local, remote);
    ctx.out(`wrote ${path} (${bytes} bytes)\n`);
  },
};

/** The transfer commands. */
export const TRANSFER_COMMANDS: readonly ReplCommand[] = [get, put];
