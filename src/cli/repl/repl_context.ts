/**
 * What every REPL command gets: the session, the method catalogue, output,
 * the per-command cancellation signal, the toggles (`:raw`, `:timing`) and
 * a timed `call`. Also the wording of call errors for people.
 *
 * @module
 */

import { escapeForTerminal } from "../../protocol/escape_for_terminal.ts";
import {
  AbortError,
  CapabilityUnsupportedError,
  ConnectionClosedError,
  PermissionDeniedError,
  RemoteError,
  TimeoutError,
} from "../../protocol/errors.ts";
import type { CliDeps } from "../deps.ts";
import { formatCommandStreams } from "../render/format_result.ts";
import type { ImageProtocol } from "../render/inline_image.ts";
import type { ParsedLine } from "./repl_args.ts";
import type { ReplMethod } from "./repl_call_params.ts";
import type { ReplMap, ReplSession } from "./repl_session.ts";

/** Toggles and memory of the REPL. */
export interface ReplState {
  /** Print results exactly (`:raw on`). */
  raw: boolean;
  /** Print the latency after each call (`:timing on`). */
  timing: boolean;
  /** The last result, for `:raw last`. */
  lastResult: unknown;
  /** Latencies in milliseconds per method, for `:timing`. */
  readonly timings: Map<string, number[]>;
  /** Set by `:quit`. */
  quit: boolean;
  /**
   * Exit status of the remote command the current line ran (`sh`,
   * `process.shell`, `process.exec`); undefined when the line ran none.
   */
  exitStatus: number | undefined;
  /**
   * `--json`: every call's result (or error) is printed as one JSON document
   * per line on standard output, and the readable output is left out.
   */
  json: boolean;
  /** The elements the last `ui.tree` numbered (`@1`, `@2`, …), for `click @N` and `settext @N`. */
  uiRefs:
    | ReadonlyMap<number, { readonly ref: string; readonly element: Record<string, unknown> }>
    | undefined;
}

/** Creates a fresh {@linkcode ReplState}. */
export function createReplState(): ReplState {
  return {
    raw: false,
    timing: false,
    lastResult: undefined,
    timings: new Map(),
    quit: false,
    exitStatus: undefined,
    json: false,
    uiRefs: undefined,
  };
}

/** Everything a REPL command can use. */
export interface ReplContext {
  /** The current session (replaced after a reconnect). */
  readonly session: ReplSession;
  /** Methods by every accepted name. */
  readonly methods: ReadonlyMap<string, ReplMethod>;
  /** I/O seam. */
  readonly deps: CliDeps;
  /** Toggles and memory. */
  readonly state: ReplState;
  /** The text after the command word, exactly as typed (quotes included). */
  readonly rawArgs: string;
  /** Aborted by Ctrl-C while the command runs. */
  readonly signal: AbortSignal;
  /** The terminal's inline image protocol. */
  readonly imageProtocol: ImageProtocol;
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Calls a method with the command's signal, recording its latency. */
  call(method: string, params: ReplMap): Promise<ReplMap | null>;
}

/**
 * Prints a remote command's result as a shell would: its output on standard
 * output, its errors and the `[exit N in T ms]` line on standard error, and
 * records the exit status for the line's outcome.
 */
export function printCommandResult(
  ctx: ReplContext,
  result: Readonly<Record<string, unknown>>,
): void {
  const streams = formatCommandStreams(result);
  if (streams.stdout.length > 0) ctx.out(streams.stdout);
  if (streams.stderr.length > 0) ctx.err(streams.stderr);
  ctx.err(streams.status);
  ctx.state.exitStatus = streams.returncode;
}

/** One REPL command (helper or `:meta` command). */
export interface ReplCommand {
  /** The word that starts it (`click`, `:help`). */
  readonly name: string;
  /** Arguments as shown in `:help`. */
  readonly usage: string;
  /** One line of help. */
  readonly summary: string;
  /** `--flags` that take a value. */
  readonly valueFlags?: readonly string[];
  /** What kind of words follow, for completion. */
  readonly completes?: "method" | "remote-path" | "local-path" | "key" | "none";
  /** Runs the command. */
  run(ctx: ReplContext, line: ParsedLine): Promise<void>;
}

/** A REPL command was used the wrong way; the message says how to use it. */
export class ReplUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplUsageError";
  }
}

/**
 * Words a call error for the REPL: what failed and, where it helps, what
 * to do next.
 */
export function describeCallError(method: string, error: unknown): string {
  // A remote error's message comes from the network: never print it raw.
  const remote = error instanceof RemoteError
    ? escapeForTerminal(error.message, { maxLength: 0 })
    : "";
  if (error instanceof PermissionDeniedError) {
    return `${method} was refused on the controlled machine: ${remote}`;
  }
  if (error instanceof CapabilityUnsupportedError) {
    return `${method} is not available there: ${remote} (see :caps)`;
  }
  if (error instanceof RemoteError) {
    return `${method} failed (${escapeForTerminal(error.code)}): ${remote}`;
  }
  if (error instanceof TimeoutError) return `${method} timed out: ${error.message}`;
  if (error instanceof AbortError || (error as Error)?.name === "AbortError") {
    return `${method} cancelled`;
  }
  if (error instanceof ConnectionClosedError) {
    return `${method} failed: the connection closed (${error.message})`;
  }
  return `${method} failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** Reads a number argument of a helper. @throws {ReplUsageError} */
export function numberArg(text: string | undefined, name: string, usage: string): number {
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(value)) {
    throw new ReplUsageError(
      text === undefined ? `Missing ${name}: ${usage}` : `${name} must be a number, got '${text}'`,
    );
  }
  return value;
}
