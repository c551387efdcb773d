/**
 * Reads a remote file in chunks with several `fs.read` calls in flight and
 * hands the chunks on strictly in file order, so the controlled machine
 * reads and encrypts the next chunk while this side decrypts and writes the
 * previous one.
 *
 * @module
 */

/** Reads `length` bytes at `offset` of the remote file (an `fs.read` with a range). */
export type ReadRange = (offset: number, length: number) => Promise<Uint8Array>;

/** Options of {@linkcode pipelinedDownload}. */
export interface PipelinedDownloadOptions {
  /** Bytes asked for per call. */
  chunkBytes: number;
  /** Calls outstanding at once (at least 1); bounds the chunks held in memory. */
  inFlight: number;
}

/**
 * Reads `[0, size)` in chunks and calls `write` with each one in order. At
 * most `inFlight` chunks are requested or held at any time. Stops early when
 * a chunk comes back shorter than asked (the file shrank); the later
 * requests are then awaited and dropped.
 *
 * @param size Bytes to read (the file's size when the transfer started).
 * @param read Reads one range.
 * @param write Takes each chunk in order; the next is not passed before it settles.
 * @param options Chunk size and depth.
 * @returns The bytes handed to `write`.
 * @throws whatever `read` or `write` throws (outstanding reads are awaited first)
 */
export async function pipelinedDownload(
  size: number,
  read: ReadRange,
  write: (chunk: Uint8Array) => Promise<void>,
  options: PipelinedDownloadOptions,
): Promise<number> {
  const depth = Math.max(1, Math.floor(options.inFlight));
  const queue: { length: number; result: Promise<Uint8Array> }[] = [];
  let requested = 0;
  const issue = (): void => {
    const length = Math.min(options.chunkBytes, size - requested);
    const result = read(requested, length);
    // Rejections are handled when the chunk reaches the head; this only keeps them from
    // counting as unhandled while they wait there.
    result.catch(() => {});
    queue.push({ length, result });
    requested += length;
  };
  let done = 0;
  try {
    while (requested < size && queue.length < depth) issue();
    while (queue.length > 0) {
      const { length, result } = queue.shift()!;
      const data = await result;
      if (data.length > 0) {
        await write(data);
        done += data.length;
      }
      if (data.length < length) break;
      if (requested < size) issue();
    }
  } finally {
    // Nothing is left running behind the caller's back (a failed transfer, a shrunk file).
    await Promise.allSettled(queue.map((entry) => entry.result));
  }
  return done;
}
