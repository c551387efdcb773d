/**
 * Appends text to `<dir>/<YYYY-MM-DD>.jsonl` files with one write in flight
 * at a time: lines are written in order, as soon as the previous write
 * finished, and lines that arrive meanwhile share the next write, made at
 * most a few milliseconds later (so a busy server makes few system calls and
 * never blocks its event loop on disk).
 *
 * @module
 */

import { join } from "node:path";

/** How long a busy appender waits before its next write, to batch the lines that keep arriving. */
const COALESCE_MS = 10;

/** Ordered, batched appends to dated files (0600 files in a 0700 directory). */
export class DatedAppender {
  #dir: string;
  #onError: (error: unknown) => void;
  #pending: { date: string; text: string | (() => string) }[] = [];
  #running: Promise<void> | null = null;
  #file: Deno.FsFile | undefined;
  #fileDate = "";
  #encoder = new TextEncoder();

  /**
   * @param dir the directory (created 0700 on the first write)
   * @param onError told about a failed write (the lines of that write are lost)
   */
  constructor(dir: string, onError: (error: unknown) => void) {
    this.#dir = dir;
    this.#onError = onError;
  }

  /**
   * Queues `text` for the file of `date` and starts writing if idle. A
   * function is called when its batch is written (it must not throw).
   */
  append(date: string, text: string | (() => string)): void {
    this.#pending.push({ date, text });
    this.#running ??= this.#pump().finally(() => (this.#running = null));
  }

  /** Resolves once every line queued so far is written. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Resolves once every queued line is written; then closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.#file?.close();
    this.#file = undefined;
    this.#fileDate = "";
  }

  async #pump(): Promise<void> {
    while (this.#pending.length > 0) {
      const date = this.#pending[0]!.date;
      let end = 1;
      while (end < this.#pending.length && this.#pending[end]!.date === date) end++;
      const batch = this.#pending.splice(0, end);
      const lines = new Array<string>(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const text = batch[i]!.text;
        lines[i] = typeof text === "string" ? text : text();
      }
      const text = lines.join("");
      try {
        const file = this.#open(date);
        const bytes = this.#encoder.encode(text);
        let written = 0;
        while (written < bytes.byteLength) written += await file.write(bytes.subarray(written));
      } catch (error) {
        this.#onError(error);
      }
      // Let the lines that keep arriving under load gather, so the next write carries a batch.
      await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
    }
  }

  #open(date: string): Deno.FsFile {
    if (this.#file && this.#fileDate === date) return this.#file;
    this.#file?.close();
    this.#file = undefined;
    Deno.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    Deno.chmodSync(this.#dir, 0o700);
    const path = join(this.#dir, `${date}.jsonl`);
    this.#file = Deno.openSync(path, { append: true, create: true, mode: 0o600 });
    Deno.chmodSync(path, 0o600);
    this.#fileDate = date;
    return this.#file;
  }
}
