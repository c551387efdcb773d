/**
 * Errors of the command line: usage mistakes (exit code 2) and failures a
 * command reports to the user (exit code 1).
 *
 * @module
 */

/** Exit code of a successful command. */
export const EXIT_OK = 0;
/** Exit code of a command that failed at run time. */
export const EXIT_FAILURE = 1;
/** Exit code of a command that was called the wrong way. */
export const EXIT_USAGE = 2;

/**
 * The command line was wrong: an unknown flag, a missing or extra argument,
 * a value that does not parse. `main` prints the message and a hint to run
 * `--help`, and exits with {@linkcode EXIT_USAGE}.
 *
 * @example Usage
 * ```ts
 * import { UsageError } from "./errors.ts";
 * throw new UsageError("Missing argument CODE", "pair-with");
 * ```
 */
export class UsageError extends Error {
  /** Always 2. */
  readonly exitCode: number = EXIT_USAGE;
  /** The command whose `--help` explains the right usage, if any. */
  readonly command: string | undefined;
  /**
   * @param message What was wrong, in sentence case, without a trailing period.
   * @param command The command whose `--help` the user should read.
   */
  constructor(message: string, command?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
    this.command = command;
  }
}

/**
 * A command could not do its job; the message says what failed and what to
 * do next. `main` prints it and exits with {@linkcode EXIT_FAILURE}.
 *
 * @example Usage
 * ```ts
 * import { CommandError } from "./errors.ts";
 * throw new CommandError("No server is running: start one with `opendesk serve`");
 * ```
 */
export class CommandError extends Error {
  /** The exit code to use (1 unless told otherwise). */
  readonly exitCode: number;
  /**
   * @param message What failed and what to do next.
   * @param exitCode The process exit code.
   */
  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: ErrorOptions) {
    super(message, options);
    this.name = "CommandError";
    this.exitCode = exitCode;
  }
}

/** Returns the message of any thrown value, for printing. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
