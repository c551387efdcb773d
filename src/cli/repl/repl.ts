/**
 * The interactive REPL of `opendesk connect`, on `node:readline`: method
 * and parameter completion, history in `<home>/repl_history`, Ctrl-C that
 * cancels the running call or stream (not the REPL), server pushes printed
 * without corrupting the line being typed, and a clear account (and a
 * reconnect attempt) when the connection is lost. Input comes from the
 * injected {@linkcode CliDeps} so tests can script a whole session.
 *
 * @module
 */

import {
  CONSENT_PUSH_TOPIC,
  formatConsentNotice,
  parseConsentNotice,
} from "../../remote/consent_notice.ts";
import type { WireMap } from "../../protocol/handler.ts";
import { createInterface, type Interface } from "node:readline";
import { clearLine, cursorTo } from "node:readline";
import { Writable } from "node:stream";
import { appendFile, readFile } from "node:fs/promises";
import { ConnectionClosedError, RemoteError } from "../../protocol/errors.ts";
import { toJson } from "../render/format_result.ts";
import type { CliDeps } from "../deps.ts";
import { complete } from "./completer.ts";
import { detectImageProtocol, type ImageProtocol } from "../render/inline_image.ts";
import { parseLine } from "./repl_args.ts";
import type { ReplMethod } from "./repl_call_params.ts";
import {
  createReplState,
  describeCallError,
  type ReplCommand,
  type ReplContext,
  type ReplState,
} from "./repl_context.ts";
import { replCommands, runMethod, unknownCommandMessage, valueFlags } from "./repl_dispatch.ts";
import type { ReplMap, ReplSession } from "./repl_session.ts";
import { formatDuration } from "../render/text_layout.ts";
import { commandName } from "../command_name.ts";
import { tabSplitInput } from "./_tab_split_input.ts";
import { describeEvictReason, isFinalEviction } from "./evict_reason.ts";
import { escapeForTerminal } from "../../protocol/escape_for_terminal.ts";

/** Options of {@linkcode Repl}. */
export interface ReplOptions {
  /** The connected session. */
  session: ReplSession;
  /** The method catalogue (each method once; aliases come from `alias`). */
  methods: readonly ReplMethod[];
  /** I/O seam. */
  deps: CliDeps;
  /** File to load and append history to; none = no history file. */
  historyFile?: string;
  /** Opens a new session after the connection was lost; none = no reconnect. */
  reconnect?: () => Promise<ReplSession>;
  /**
   * When input is a script (not a terminal), run every line even after one
   * failed; by default the script stops at its first failing line.
   * @default {false}
   */
  keepGoing?: boolean;
  /**
   * Print every call's result as one JSON document per line instead of the
   * readable output (see docs/scripting.md).
   * @default {false}
   */
  json?: boolean;
}

/**
 * The exit status a line leaves: 0 when it succeeded, the remote command's
 * status when it ran one that failed, 1 for any other failure.
 *
 * @param ok Whether the line ran without an error.
 * @param exitStatus The status of the remote command it ran, if any.
 */
export function lineExitCode(ok: boolean, exitStatus: number | undefined): number {
  if (!ok) return 1;
  if (exitStatus === undefined || exitStatus === 0) return 0;
  return exitStatus > 0 && exitStatus < 256 ? exitStatus : 1;
}

/** A failed call as `--json` prints it: the wire code when there is one, and the message. */
function jsonError(error: unknown): { code: string; message: string } {
  if (error instanceof RemoteError) return { code: error.code, message: error.message };
  const code = (error as { code?: unknown })?.code;
  return {
    code: typeof code === "string" ? code : "local",
    message: error instanceof Error ? error.message : String(error),
  };
}

/** An error raised inside a command by a failed call, already worded for people. */
class CallFailure extends Error {
  constructor(message: string, options: ErrorOptions) {
    super(message, options);
    this.name = "CallFailure";
  }
}

const HISTORY_LIMIT = 1000;

/**
 * The REPL.
 *
 * @example Usage
 * ```ts ignore
 * const repl = new Repl({ session, methods, deps, historyFile: `${home}/repl_history` });
 * const exitCode = await repl.run();
 * ```
 */
export class Repl {
  #session: ReplSession;
  #methods = new Map<string, ReplMethod>();
  #commands: ReplCommand[] = replCommands();
  #deps: CliDeps;
  #state: ReplState = createReplState();
  #historyFile: string | undefined;
  #reconnect: (() => Promise<ReplSession>) | undefined;
  #imageProtocol: ImageProtocol;
  #rl: Interface | undefined;
  #terminal: boolean;
  #busy: AbortController | undefined;
  #lost: string | undefined;
  #pushes: Disposable | undefined;
  #output: Writable;
  #wake: (() => void) | undefined;
  #keepGoing: boolean;
  #evictedFor: string | undefined;

  constructor(options: ReplOptions) {
    this.#session = options.session;
    for (const method of options.methods) {
      this.#methods.set(method.name, method);
      if (method.alias) this.#methods.set(method.alias, method);
    }
    this.#deps = options.deps;
    this.#historyFile = options.historyFile;
    this.#reconnect = options.reconnect;
    this.#keepGoing = options.keepGoing ?? false;
    this.#state.json = options.json ?? false;
    this.#terminal = options.deps.stdinIsTTY && options.deps.stdout.isTTY;
    this.#imageProtocol = detectImageProtocol(
      (n) => options.deps.env(n),
      options.deps.stdout.isTTY,
    );
    const stdout = options.deps.stdout;
    const decoder = new TextDecoder();
    this.#output = new Writable({
      write(chunk: unknown, _encoding, callback): void {
        stdout.write(typeof chunk === "string" ? chunk : decoder.decode(chunk as Uint8Array));
        callback();
      },
    });
    Object.assign(this.#output, { isTTY: stdout.isTTY, columns: stdout.columns });
  }

  /** Toggles and memory (tests read it). */
  get state(): ReplState {
    return this.#state;
  }

  /** The current session (replaced after a reconnect). */
  get session(): ReplSession {
    return this.#session;
  }

  /**
   * Reads and runs lines until `:quit`, end of input, or a lost connection
   * that cannot be re-established.
   *
   * @returns The exit code: 0; for a script, the exit code of its first
   *   failing line (see {@linkcode lineExitCode}; with `keepGoing`, of its last
   *   failing line); 1 when the connection was lost for good.
   */
  async run(): Promise<number> {
    const history = this.#terminal ? await this.#loadHistory() : [];
    const rl = createInterface({
      input: this.#terminal ? tabSplitInput(this.#deps.stdin) : this.#deps.stdin,
      output: this.#output,
      terminal: this.#terminal,
      history,
      historySize: HISTORY_LIMIT,
      removeHistoryDuplicates: true,
      completer: (line: string, callback: (error: null, result: [string[], string]) => void) => {
        this.complete(line).then((r) => callback(null, r), () => callback(null, [[], line]));
      },
    });
    this.#rl = rl;
    const lines: string[] = [];
    let closed = false;
    rl.on("line", (line: string) => {
      lines.push(line);
      this.#wake?.();
    });
    rl.on("close", () => {
      closed = true;
      this.#wake?.();
    });
    rl.on("SIGINT", () => this.interrupt());
    using _interrupt = this.#deps.onInterrupt(() => this.interrupt());
    this.#watch(this.#session);
    rl.setPrompt(`opendesk:${this.#session.label}> `);
    if (this.#terminal) {
      this.#deps.stdout.write(
        `Connected to ${this.#session.label} (${String(this.#session.manifest.backend)}). ` +
          "Tab completes, :help lists commands, :quit leaves.\n",
      );
      rl.prompt();
    }
    let scriptCode = 0;
    try {
      while (!this.#state.quit) {
        const line = lines.shift();
        if (line === undefined) {
          if (closed || this.#lost !== undefined) break;
          await new Promise<void>((resolve) => (this.#wake = resolve));
          this.#wake = undefined;
          continue;
        }
        const ok = await this.execute(line);
        if (this.#lost !== undefined && !(await this.#recover())) return 1;
        const code = lineExitCode(ok, this.#state.exitStatus);
        if (!this.#terminal && code !== 0) {
          scriptCode = code;
          if (!this.#keepGoing) {
            this.#deps.stderr.write(`Stopped at the failing line: ${line.trim()}\n`);
            return code;
          }
        }
        if (!closed && this.#terminal && !this.#state.quit) rl.prompt();
      }
      if (this.#lost !== undefined && !(await this.#recover())) return 1;
      return scriptCode;
    } finally {
      this.#pushes?.[Symbol.dispose]();
      this.#rl = undefined;
      rl.close();
    }
  }

  /** Ctrl-C: cancels the running command, or clears the line when idle. */
  interrupt(): void {
    if (this.#busy) {
      this.#busy.abort();
      return;
    }
    if (this.#terminal && this.#rl) {
      this.#rl.write(null, { ctrl: true, name: "u" });
      this.#deps.stdout.write("^C (type :quit or press Ctrl-D to leave)\n");
      this.#rl.prompt();
    } else {
      this.#rl?.close();
    }
  }

  /** Completes `line` (what readline calls on Tab). */
  complete(line: string): Promise<[string[], string]> {
    return complete(line, {
      methods: this.#methods,
      commands: this.#commands,
      cwd: this.#deps.cwd,
      listRemote: async (dir) => {
        const result = await this.#session.call("fs.list", { path: dir }, { timeoutMs: 2000 });
        const items = Array.isArray(result?.items) ? result.items as ReplMap[] : [];
        return items.map((i) => ({ name: String(i.name), isDir: i.is_dir === true }));
      },
    });
  }

  /**
   * Runs one line; errors are printed, never thrown. A remote command the
   * line ran leaves its exit status in `state.exitStatus`.
   *
   * @returns false when the line failed (the error was printed)
   */
  async execute(line: string): Promise<boolean> {
    const trimmed = line.trim();
    this.#state.exitStatus = undefined;
    if (trimmed.length === 0 || trimmed.startsWith("#")) return true;
    await this.#appendHistory(trimmed);
    const controller = new AbortController();
    this.#busy = controller;
    try {
      const parsed = parseLine(line, { valueFlags: valueFlags(this.#commands) });
      const rawArgs = line.trimStart().slice(parsed.command.length).trim();
      const ctx = this.#context(controller.signal, rawArgs);
      const command = this.#commands.find((c) => c.name === parsed.command);
      const method = this.#methods.get(parsed.command);
      if (command) await command.run(ctx, parsed);
      else if (method) await runMethod(ctx, method, parsed);
      else {
        const names = [...this.#commands.map((c) => c.name), ...this.#methods.keys()];
        this.#deps.stderr.write(`error: ${unknownCommandMessage(parsed.command, names)}\n`);
        return false;
      }
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#deps.stderr.write(`error: ${message}\n`);
      return false;
    } finally {
      this.#busy = undefined;
    }
  }

  #context(signal: AbortSignal, rawArgs: string): ReplContext {
    const deps = this.#deps;
    const state = this.#state;
    const session = this.#session;
    return {
      session,
      methods: this.#methods,
      deps,
      state,
      signal,
      rawArgs,
      imageProtocol: this.#imageProtocol,
      out: (text) => {
        if (!state.json) deps.stdout.write(text);
      },
      err: (text) => deps.stderr.write(text),
      call: async (method, params) => {
        const started = performance.now();
        try {
          const result = await session.call(method, params, { signal });
          if (state.json) {
            deps.stdout.write(`${JSON.stringify({ method, result: toJson(result) })}\n`);
          }
          return result;
        } catch (error) {
          if (error instanceof ConnectionClosedError) this.#lost ??= error.message;
          if (state.json) {
            deps.stdout.write(`${JSON.stringify({ method, error: jsonError(error) })}\n`);
          }
          throw new CallFailure(describeCallError(method, error), { cause: error });
        } finally {
          const elapsed = performance.now() - started;
          const samples = state.timings.get(method) ?? [];
          samples.push(elapsed);
          state.timings.set(method, samples);
          if (state.timing) deps.stderr.write(`(${method}: ${formatDuration(elapsed)})\n`);
        }
      },
    };
  }

  /** Prints a notice without corrupting the line being typed. */
  notice(text: string): void {
    const rl = this.#rl;
    if (this.#terminal && rl && !this.#busy) {
      clearLine(this.#output, 0);
      cursorTo(this.#output, 0);
      this.#deps.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
      rl.prompt(true);
    } else {
      this.#deps.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
    }
  }

  #watch(session: ReplSession): void {
    this.#pushes?.[Symbol.dispose]();
    this.#pushes = session.onPush((topic, payload) => {
      if (topic === "session.evicted") {
        const reason = typeof payload.reason === "string" ? payload.reason : "";
        this.#evictedFor = reason;
        this.notice(
          `[${session.label}] the controlled machine ended this session: ${
            describeEvictReason(reason)
          }`,
        );
      } else if (topic === CONSENT_PUSH_TOPIC) {
        const notice = parseConsentNotice(payload as WireMap);
        if (notice && notice.state !== "allowed") {
          this.notice(`[${session.label}] ${formatConsentNotice(notice, session.label)}`);
        }
      } else {
        this.notice(
          `[${session.label}] ${escapeForTerminal(topic)} ${
            escapeForTerminal(JSON.stringify(payload), { maxLength: 1000 })
          }`,
        );
      }
    });
    session.closed.then((reason) => {
      if (this.#session !== session || this.#rl === undefined) return;
      this.#lost ??= reason;
      // After an eviction its notice already said why the session ended.
      if (this.#evictedFor === undefined) {
        this.notice(`[${session.label}] connection lost: ${reason}`);
      }
      this.#wake?.();
    });
  }

  async #recover(): Promise<boolean> {
    const reason = this.#lost;
    if (reason === undefined) return true;
    const evicted = this.#evictedFor;
    const command = commandName((name) => this.#deps.env(name));
    if (evicted !== undefined && isFinalEviction(evicted)) {
      this.#deps.stderr.write(
        `The session with ${this.#session.label} ended: ${describeEvictReason(evicted)}\n` +
          (evicted === "replaced"
            ? `Run \`${command} connect ${this.#session.label} --takeover\` to take it back\n`
            : ""),
      );
      return false;
    }
    if (!this.#reconnect || /unpaired|revoked/i.test(reason)) {
      this.#deps.stderr.write(
        `The connection to ${this.#session.label} ended (${reason}); ` +
          `run \`${command} connect\` again when the machine is reachable\n`,
      );
      return false;
    }
    this.#deps.stderr.write(`Reconnecting to ${this.#session.label}…\n`);
    try {
      const session = await this.#reconnect();
      this.#session = session;
      this.#lost = undefined;
      this.#evictedFor = undefined;
      this.#watch(session);
      this.#deps.stderr.write(
        `Reconnected to ${session.label}; a command that failed was not repeated: run it again\n`,
      );
      return true;
    } catch (error) {
      this.#deps.stderr.write(
        `Could not reconnect to ${this.#session.label}: ${(error as Error).message}\n`,
      );
      return false;
    }
  }

  async #loadHistory(): Promise<string[]> {
    if (!this.#historyFile) return [];
    try {
      const text = await readFile(this.#historyFile, "utf8");
      return text.split("\n").filter((l) => l.length > 0).slice(-HISTORY_LIMIT).reverse();
    } catch {
      return [];
    }
  }

  async #appendHistory(line: string): Promise<void> {
    if (!this.#historyFile) return;
    try {
      await appendFile(this.#historyFile, `${line.replace(/\n/g, " ")}\n`, { mode: 0o600 });
    } catch (error) {
      this.#deps.stderr.write(`warning: cannot write history: ${(error as Error).message}\n`);
      this.#historyFile = undefined;
    }
  }
}
