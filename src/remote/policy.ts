/**
 * Local consent for gated methods (H8): `--approve console|auto|observe`.
 * Console approval asks the person at the server's terminal, one prompt at a
 * time, with scoped answers; injected input waits while a prompt is open so a
 * controller cannot answer its own prompt. Policy is only ever changed
 * locally, never through the protocol.
 *
 * @module
 */

import { CancelledError, PermissionDeniedError } from "../protocol/errors.ts";

/** How gated (non-observation) methods are decided. */
export type ApproveMode = "console" | "auto" | "observe";

/** Asks the local user; the terminal seam (tests script it). */
export interface Prompter {
  /** True when a person can answer (a terminal is attached). */
  readonly interactive: boolean;
  /**
   * Shows `question` and resolves with the line typed, or null when input ended or `signal` aborted.
   * @param question the full prompt text
   * @param signal withdraws the question
   */
  ask(question: string, signal: AbortSignal): Promise<string | null>;
  /** Prints an informational line (a withdrawn or timed-out prompt). */
  notify(line: string): void;
}

/** One call to decide. */
export interface PolicyRequest {
  /** The session asking (session-scoped approvals are kept per session). */
  sessionId: string;
  /** Lowercase hex of the peer's static public key (timed approvals are kept per peer). */
  peerKeyHex: string;
  /** The peer's name, or `peer-<6hex>` when it has none: shown in prompts and denials. */
  label: string;
  /** The canonical method name (aliases already resolved). */
  method: string;
  /** The method's summary (protocol-v1 §11.7). */
  summary: string;
  /** True for observation methods (§11.6), which are never gated. */
  observation: boolean;
}

/** Options of {@linkcode ConsentPolicy}. */
export interface ConsentPolicyOptions {
  /** Where console prompts go; required for `console`, unused otherwise. */
  prompter?: Prompter;
  /**
   * Clock in epoch milliseconds (timed approvals).
   * @default {Date.now}
   */
  now?: () => number;
  /**
   * How long an unanswered prompt waits before it counts as "no".
   * @default {60000}
   */
  promptTimeoutMs?: number;
  /**
   * How long a `t` answer lasts.
   * @default {600000}
   */
  timedApprovalMs?: number;
}

/** The answers a console prompt accepts. */
export type ConsentAnswer = "once" | "session" | "timed" | "deny";

/** Parses a typed answer: `y` once, `a` this session, `t` ten minutes, anything else no. */
export function parseConsentAnswer(line: string | null): ConsentAnswer {
  switch (line?.trim().toLowerCase()) {
    case "y":
    case "yes":
      return "once";
    case "a":
    case "always":
      return "session";
    case "t":
      return "timed";
    default:
      return "deny";
  }
}

/**
 * Picks the effective mode: the requested one, or `console` with a terminal
 * and `observe` without one; the notice says what was chosen and why.
 */
export function resolveApproveMode(
  requested: ApproveMode | undefined,
  interactive: boolean,
): { mode: ApproveMode; notice: string } {
  if (requested === "auto") {
    return { mode: "auto", notice: "approval: auto (every method is allowed)" };
  }
  if (requested === "observe") {
    return { mode: "observe", notice: "approval: observe (only observation methods are allowed)" };
  }
  if (interactive) {
    return {
      mode: "console",
      notice: "approval: console (gated methods are asked on this terminal)",
    };
  }
  return {
    mode: "observe",
    notice: requested === "console"
      ? "approval: no terminal for console approval, so only observation methods are allowed (run serve with --approve auto to allow all)"
      : "approval: observe, because no terminal is attached (run serve with --approve auto to allow all)",
  };
}

/**
 * Decides every call of every session of one server.
 *
 * @example Usage
 * ```ts ignore
 * const policy = new ConsentPolicy(undefined, { prompter });
 * console.log(policy.notice);
 * await policy.check({ sessionId, peerKeyHex, label: "laptop", method: "input.key", summary, observation: false });
 * ```
 */
export class ConsentPolicy {
  #mode: ApproveMode;
  #notice: string;
  #noTerminal: boolean;
  #prompter: Prompter | undefined;
  #now: () => number;
  #promptTimeoutMs: number;
  #timedMs: number;
  #sessionApprovals = new Map<string, Set<string>>();
  #timedApprovals = new Map<string, number>();
  #pending = 0;
  #idle: Promise<void> = Promise.resolve();
  #resolveIdle: () => void = () => {};
  #turn: Promise<void> = Promise.resolve();

  /**
   * @param requested the `--approve` value, or undefined for the default
   *   (`console` with a terminal, `observe` without; see {@linkcode resolveApproveMode})
   * @param options prompter, clock and timeouts
   */
  constructor(requested: ApproveMode | undefined, options: ConsentPolicyOptions = {}) {
    const interactive = options.prompter?.interactive ?? false;
    const resolved = resolveApproveMode(requested, interactive);
    this.#mode = resolved.mode;
    this.#notice = resolved.notice;
    this.#noTerminal = resolved.mode === "observe" && requested !== "observe";
    this.#prompter = options.prompter;
    this.#now = options.now ?? Date.now;
    this.#promptTimeoutMs = options.promptTimeoutMs ?? 60_000;
    this.#timedMs = options.timedApprovalMs ?? 10 * 60_000;
  }

  /** The effective mode. */
  get mode(): ApproveMode {
    return this.#mode;
  }

  /** One line for the start-up banner: the mode and why it was chosen. */
  get notice(): string {
    return this.#notice;
  }

  /** Number of prompts open or queued. */
  get pendingPrompts(): number {
    return this.#pending;
  }

  /**
   * Resolves when the call may run; injected input (`input.*`) additionally
   * waits until no prompt is open or queued.
   *
   * @param request the call
   * @param signal the call's cancellation (withdraws its prompt)
   * @throws {PermissionDeniedError} when the call is refused
   * @throws {CancelledError} when `signal` aborts first
   */
  async check(request: PolicyRequest, signal?: AbortSignal): Promise<void> {
    if (!request.observation && this.#mode !== "auto" && !this.#approved(request)) {
      if (this.#mode === "observe") {
        const why = this.#noTerminal
          ? "no terminal for interactive approval (run serve with --approve auto to allow)"
          : "only observation methods are allowed (serve runs with --approve observe)";
        throw new PermissionDeniedError(`${request.label} → ${request.summary}: ${why}`);
      }
      await this.#prompt(request, signal);
    }
    if (request.method.startsWith("input.")) {
      while (this.#pending > 0) {
        await raceAbort(this.#idle, signal);
      }
    }
  }

  /** Forgets the session-scoped approvals of a session that ended. */
  endSession(sessionId: string): void {
    this.#sessionApprovals.delete(sessionId);
  }

  #approved(request: PolicyRequest): boolean {
    if (this.#sessionApprovals.get(request.sessionId)?.has(request.method)) return true;
    const key = `${request.peerKeyHex}\u0000${request.method}`;
    const until = this.#timedApprovals.get(key);
    if (until !== undefined) {
      if (until > this.#now()) return true;
      this.#timedApprovals.delete(key);
    }
    return false;
  }

  async #prompt(request: PolicyRequest, signal: AbortSignal | undefined): Promise<void> {
    if (this.#pending++ === 0) this.#idle = new Promise((r) => (this.#resolveIdle = r));
    const previous = this.#turn;
    let release!: () => void;
    this.#turn = new Promise((r) => (release = r));
    try {
      await raceAbort(previous, signal);
      if (this.#approved(request)) return;
      const answer = await this.#ask(request, signal);
      switch (answer) {
        case "once":
          return;
        case "session": {
          const set = this.#sessionApprovals.get(request.sessionId) ?? new Set();
          set.add(request.method);
          this.#sessionApprovals.set(request.sessionId, set);
          return;
        }
        case "timed":
          this.#timedApprovals.set(
            `${request.peerKeyHex}\u0000${request.method}`,
            this.#now() + this.#timedMs,
          );
          return;
        case "deny":
          throw new PermissionDeniedError(
            `${request.label} → ${request.summary}: denied by the local user`,
          );
      }
    } finally {
      // The next prompt may start only after the previous one (and this one) finished.
      previous.then(release, release);
      if (--this.#pending === 0) this.#resolveIdle();
    }
  }

  async #ask(request: PolicyRequest, signal: AbortSignal | undefined): Promise<ConsentAnswer> {
    const prompter = this.#prompter!;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#promptTimeoutMs);
    try {
      const question =
        `\n[opendesk] ${request.label} wants to ${request.summary}. Allow? [y/a/t/N] `;
      const line = await prompter.ask(question, controller.signal);
      if (signal?.aborted) {
        prompter.notify(`[opendesk] request withdrawn by ${request.label}: ${request.summary}`);
        throw new CancelledError();
      }
      if (timedOut) {
        prompter.notify(
          `[opendesk] no answer within ${Math.round(this.#promptTimeoutMs / 1000)} s: denied`,
        );
        throw new PermissionDeniedError(
          `${request.label} → ${request.summary}: no answer from the local user within ${
            Math.round(this.#promptTimeoutMs / 1000)
          } s`,
        );
      }
      return parseConsentAnswer(line);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

function raceAbort(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
