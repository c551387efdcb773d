/**
 * The I/O seam of the command line. Every command reads and writes only
 * through a {@linkcode CliDeps}, so tests can run commands with scripted input
 * and captured output; `main.ts` builds the real one over the process.
 *
 * @module
 */

import type { Readable } from "node:stream";

/** Where a command writes text (standard output or standard error). */
export interface TextWriter {
  /** Writes text as is (no newline added). */
  write(text: string): void;
  /** True when the writer is a terminal (colours, progress bars, inline images). */
  readonly isTTY: boolean;
  /** Width of the terminal in columns (80 when unknown). */
  readonly columns: number;
}

/** The I/O and environment a command runs with. */
export interface CliDeps {
  /** Standard output. */
  readonly stdout: TextWriter;
  /** Standard error: diagnostics, warnings, progress. */
  readonly stderr: TextWriter;
  /** Standard input as a Node stream (the REPL and the consent prompt read lines from it). */
  readonly stdin: Readable;
  /** True when standard input is a terminal. */
  readonly stdinIsTTY: boolean;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** The current working directory (relative local paths are resolved against it). */
  readonly cwd: string;
  /**
   * Registers a handler for the user's interrupt (Ctrl-C / SIGINT, and SIGTERM
   * for long-running commands). Disposing unregisters it. While at least one
   * handler is registered the process does not exit on the signal.
   */
  onInterrupt(handler: () => void): Disposable;
}

/** Creates a {@linkcode TextWriter} that appends to a string, for tests and for capturing output. */
export class StringWriter implements TextWriter {
  #text = "";
  readonly isTTY: boolean;
  readonly columns: number;
  /**
   * @param options `isTTY` (default false) and `columns` (default 100).
   */
  constructor(options: StringWriterOptions = {}) {
    this.isTTY = options.isTTY ?? false;
    this.columns = options.columns ?? 100;
  }
  /** Appends text. */
  write(text: string): void {
    this.#text += text;
  }
  /** Everything written so far. */
  get text(): string {
    return this.#text;
  }
  /** Forgets what was written. */
  clear(): void {
    this.#text = "";
  }
}

/** Options of {@linkcode StringWriter}. */
export interface StringWriterOptions {
  /**
   * Whether to pretend to be a terminal.
   * @default {false}
   */
  isTTY?: boolean;
  /**
   * Terminal width.
   * @default {100}
   */
  columns?: number;
}
