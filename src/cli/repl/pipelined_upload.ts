/**
 * Sends a local file as parts (`fs.write` with the `offset`/`size`/`upload`
 * extension) with several parts in flight, so this side reads and encrypts
 * the next part while the controlled machine decrypts and writes the
 * previous one. The first part goes alone: its answer is the consent
 * decision for the whole upload, and a refusal costs one part, not several.
 *
 * @module
 */

/** Reads `length` bytes of the local file at `offset`. */
export type ReadPart = (offset: number, length: number) => Promise<Uint8Array>;
/** Writes one part; resolves true when it completed the file on the other side. */
export type WritePart = (offset: number, data: Uint8Array) => Promise<boolean>;

/** Options of {@linkcode pipelinedUpload}. */
export interface PipelinedUploadOptions {
  /** Bytes per part. */
  partBytes: number;
  /** Parts outstanding at once (at least 1); bounds the parts held in memory. */
  inFlight: number;
  /** Told the bytes acknowledged so far after each part. @default none */
  onProgress?: (bytes: number) => void;
}

/**
 * Sends `[0, size)` as parts and resolves once the other side has them all.
 * At most `inFlight` parts are read or in flight at any time.
 *
 * @param size Bytes to send (the file's size when the transfer started).
 * @param read Reads one part of the local file.
 * @param write Sends one part.
 * @param options Part size, depth, progress.
 * @throws whatever `read` or `write` throws (outstanding parts are awaited
 *   first), or an error when the local file shrank or no part completed the file
 */
export async function pipelinedUpload(
  size: number,
  read: ReadPart,
  write: WritePart,
  options: PipelinedUploadOptions,
): Promise<void> {
  const depth = Math.max(1, Math.floor(options.inFlight));
  const partBytes = Math.max(1, Math.floor(options.partBytes));
  let acknowledged = 0;
  let completed = false;
  const send = async (offset: number): Promise<void> => {
    const length = Math.min(partBytes, size - offset);
    const data = await read(offset, length);
    if (data.length !== length) {
      throw new Error(`the local file changed during the transfer (it ends before ${size} bytes)`);
    }
    if (await write(offset, data)) completed = true;
    acknowledged += length;
    options.onProgress?.(acknowledged);
  };
  await send(0);
  const queue: Promise<void>[] = [];
  let failure: { error: unknown } | undefined;
  try {
    for (let offset = Math.min(partBytes, size); offset < size; offset += partBytes) {
      if (queue.length >= depth) await queue.shift();
      const pending = send(offset);
      // Rejections are raised when the part reaches the head; this only keeps them from
      // counting as unhandled while they wait there.
      pending.catch(() => {});
      queue.push(pending);
    }
    while (queue.length > 0) await queue.shift();
  } catch (error) {
    failure = { error };
  } finally {
    // Nothing is left running behind the caller's back.
    await Promise.allSettled(queue);
  }
  if (failure) throw failure.error;
  if (!completed) {
    throw new Error("the controlled machine did not confirm the whole file (a part went missing)");
  }
}
