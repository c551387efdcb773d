/**
 * A one-line progress bar for transfers (`get`, `put`): on a terminal it is
 * redrawn in place at most a few times a second; elsewhere only the final
 * line is written, so logs stay clean.
 *
 * @module
 */

import type { TextWriter } from "../deps.ts";
import { formatAge, formatBytes, formatDuration } from "./text_layout.ts";

/** Options of {@linkcode ProgressBar}. */
export interface ProgressBarOptions {
  /** Label in front of the bar, e.g. the file name. */
  label: string;
  /** Total number of bytes, when known. */
  total?: number;
  /**
   * Milliseconds between redraws.
   * @default {100}
   */
  intervalMs?: number;
  /** Clock in milliseconds (tests inject one). Defaults to `performance.now`. */
  now?: () => number;
}

/**
 * Draws transfer progress on a {@linkcode TextWriter}.
 *
 * @example Usage
 * ```ts
 * import { ProgressBar } from "./progress_bar.ts";
 * import { StringWriter } from "../deps.ts";
 * const bar = new ProgressBar(new StringWriter(), { label: "file.bin", total: 100 });
 * bar.update(50);
 * bar.finish();
 * ```
 */
export class ProgressBar {
  #out: TextWriter;
  #label: string;
  #total: number | undefined;
  #interval: number;
  #now: () => number;
  #started: number;
  #lastDraw = -Infinity;
  #done = 0;
  #finished = false;

  constructor(out: TextWriter, options: ProgressBarOptions) {
    this.#out = out;
    this.#label = options.label;
    this.#total = options.total;
    this.#interval = options.intervalMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
  }

  /** Bytes done so far. */
  get done(): number {
    return this.#done;
  }

  /** Records progress (total bytes done) and redraws when due. */
  update(done: number): void {
    this.#done = done;
    const now = this.#now();
    if (this.#out.isTTY && now - this.#lastDraw >= this.#interval) {
      this.#lastDraw = now;
      this.#out.write(`\r\x1b[2K${this.render(now)}`);
    }
  }

  /** The progress line (without newline). */
  render(now: number = this.#now()): string {
    const elapsed = Math.max(1, now - this.#started);
    const rate = this.#done / (elapsed / 1000);
    const total = this.#total;
    const width = 24;
    let bar = "";
    let percent = "";
    if (total !== undefined && total > 0) {
      const fraction = Math.min(1, this.#done / total);
      const filled = Math.round(fraction * width);
      bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}] `;
      percent = `${Math.floor(fraction * 100)}% `.padStart(5);
    }
    const amount = total !== undefined
      ? `${formatBytes(this.#done)}/${formatBytes(total)}`
      : formatBytes(this.#done);
    const remaining = total !== undefined && rate > 0 && this.#done < total
      ? ` ETA ${formatAge((total - this.#done) / rate)}`
      : "";
    return `${this.#label} ${bar}${percent}${amount} ${formatBytes(rate)}/s${remaining}`;
  }

  /** Writes the final line (with the elapsed time) and a newline. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const now = this.#now();
    const line = `${this.render(now)} in ${formatDuration(now - this.#started)}`;
    this.#out.write(this.#out.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  /** Clears the line without a final report (on failure). */
  abort(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#out.isTTY) this.#out.write("\r\x1b[2K");
  }
}
