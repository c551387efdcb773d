/**
 * The real {@linkcode Prompter}: asks on the server's terminal (questions on
 * stderr, answers from stdin). Lines typed while no question is open are
 * discarded, so a stray keystroke can never answer a later prompt.
 *
 * @module
 */

import type { Prompter } from "./policy.ts";

/** Options of {@linkcode TerminalPrompter}. */
export interface TerminalPrompterOptions {
  /**
   * Input stream of lines.
   * @default {Deno.stdin.readable}
   */
  input?: ReadableStream<Uint8Array>;
  /**
   * Writes prompt text.
   * @default {writes to stderr}
   */
  write?: (text: string) => void;
  /**
   * Whether a person is there to answer.
   * @default {Deno.stdin.isTerminal() && Deno.stderr.isTerminal()}
   */
  interactive?: boolean;
}

/**
 * Console prompts on stdin/stderr.
 *
 * @example Usage
 * ```ts ignore
 * const prompter = new TerminalPrompter();
 * const policy = new ConsentPolicy(undefined, { prompter });
 * // … on shutdown:
 * await prompter.close();
 * ```
 */
export class TerminalPrompter implements Prompter {
  #input: ReadableStream<Uint8Array> | undefined;
  #reader: ReadableStreamDefaultReader<string> | undefined;
  #write: (text: string) => void;
  #waiter: ((line: string | null) => void) | undefined;
  #ended = false;
  #loop: Promise<void> | undefined;
  readonly interactive: boolean;

  /** @param options input, output and interactivity overrides */
  constructor(options: TerminalPrompterOptions = {}) {
    this.#input = options.input;
    const encoder = new TextEncoder();
    this.#write = options.write ?? ((text) => void Deno.stderr.writeSync(encoder.encode(text)));
    this.interactive = options.interactive ?? (Deno.stdin.isTerminal() && Deno.stderr.isTerminal());
  }

  /** Shows the question and waits for one line (null on end of input or abort). */
  ask(question: string, signal: AbortSignal): Promise<string | null> {
    this.#start();
    this.#write(question);
    if (this.#ended || signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.#waiter = undefined;
        this.#write("\n");
        resolve(null);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiter = (line) => {
        signal.removeEventListener("abort", onAbort);
        this.#waiter = undefined;
        resolve(line);
      };
    });
  }

  /** Prints a line. */
  notify(line: string): void {
    this.#write(line + "\n");
  }

  /** Stops reading the input. */
  async close(): Promise<void> {
    this.#ended = true;
    this.#waiter?.(null);
    await this.#reader?.cancel().catch(() => {});
    await this.#loop;
  }

  #start(): void {
    if (this.#loop || this.#ended) return;
    const input = this.#input ?? Deno.stdin.readable;
    this.#reader = input.pipeThrough(new TextDecoderStream()).getReader();
    this.#loop = this.#read(this.#reader);
  }

  async #read(reader: ReadableStreamDefaultReader<string>): Promise<void> {
    let buffer = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, "");
          buffer = buffer.slice(nl + 1);
          this.#waiter?.(line);
        }
      }
    } catch {
      // Input failed: treated as its end.
    }
    this.#ended = true;
    this.#waiter?.(null);
  }
}
