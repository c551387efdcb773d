/**
 * Local consent for gated methods (docs/policy.md): `--approve console|auto|observe`,
 * the policy file `<home>/policy.json` (console mode), protected paths that
 * need an explicit approval in every mode, and one prompt per intent (an
 * approved pointer or key gesture covers its own follow-up events).
 * Console approval asks the person at the server's terminal, one prompt at a
 * time, with scoped answers; injected input waits while a prompt is open so a
 * controller cannot answer its own prompt. Policy is only ever changed
 * locally, never through the protocol.
 *
 * @module
 */

import { CancelledError, PermissionDeniedError } from "../protocol/errors.ts";
import { consentLegend, consentQuestion, parseConsentAnswer } from "./consent_prompt.ts";
import { escapeForTerminal } from "../protocol/escape_for_terminal.ts";
import { GestureGrants } from "./gesture_grant.ts";
import { UploadGrants } from "./upload_grant.ts";
import { decideByRules, type PolicyDecision, protectedPathOf } from "./policy_rules.ts";
import { EMPTY_POLICY, type PolicyRules } from "./policy_file.ts";
import type { ProtectedPath } from "./protected_paths.ts";

import { type ApproveMode, resolveApproveMode } from "./approve_mode.ts";

export { type ApproveMode, resolveApproveMode } from "./approve_mode.ts";
export { type ConsentAnswer, parseConsentAnswer } from "./consent_prompt.ts";

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
  /** Prints an informational line (a withdrawn or timed-out prompt, the legend). */
  notify(line: string): void;
}

/** Where a prompt stands, for the controller's "waiting for approval" line. */
export type PromptPhase = "waiting" | "allowed" | "denied";

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
  /** The method's summary, as the prompt and the audit log show it. */
  summary: string;
  /** True for observation methods (they only read the screen or state), which are not gated unless a path is protected. */
  observation: boolean;
  /** The validated params (paths, command lines, gesture points). */
  params?: Readonly<Record<string, unknown>>;
  /** Told when a prompt for this call opens and how it ended. */
  onPrompt?: (phase: PromptPhase) => void;
}

/** How one call was decided, for the audit log. */
export interface ConsentRecord {
  /** The call. */
  request: PolicyRequest;
  /** `allowed` or `denied`. */
  outcome: "allowed" | "denied";
  /** What decided: the person at the terminal, the policy file, the mode. */
  by: "prompt" | "policy_file" | "mode" | "remembered" | "gesture";
  /** The protected path that made it need approval, if any. */
  protectedPath?: { path: string; why: string };
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
  /**
   * The policy file's rules (console mode only).
   * @default {EMPTY_POLICY}
   */
  rules?: PolicyRules;
  /**
   * Paths that need an explicit approval in every mode.
   * @default {[]}
   */
  protectedPaths?: readonly ProtectedPath[];
  /** Told about prompt answers, policy-file denials and protected-path requests. @default none */
  onDecision?: (record: ConsentRecord) => void;
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
  #rules: PolicyRules;
  #protected: readonly ProtectedPath[];
  #onDecision: ((record: ConsentRecord) => void) | undefined;
  #gestures = new GestureGrants();
  #uploads = new UploadGrants();
  #legendShown = false;
  #sessionApprovals = new Map<string, Set<string>>();
  #timedApprovals = new Map<string, number>();
  #pending = 0;
  #idle: Promise<void> = Promise.resolve();
  #resolveIdle: () => void = () => {};
  #turn: Promise<void> = Promise.resolve();

  /**
   * @param requested the `--approve` value, or undefined for the default
   *   (`console` with a terminal, `observe` without; see {@linkcode resolveApproveMode})
   * @param options prompter, clock, timeouts, rules and protected paths
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
    this.#rules = options.rules ?? EMPTY_POLICY;
    this.#protected = options.protectedPaths ?? [];
    this.#onDecision = options.onDecision;
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
    const decision = this.#decide(request);
    // Audited: prompt answers, policy-file denials and every protected-path request. Calls
    // allowed without a question already have their own call record.
    const record = (outcome: ConsentRecord["outcome"], by: ConsentRecord["by"]): void => {
      const worth = decision.protectedPath !== undefined || by === "prompt" ||
        (by === "policy_file" && outcome === "denied");
      if (!worth) return;
      this.#onDecision?.({
        request,
        outcome,
        by,
        ...(decision.protectedPath ? { protectedPath: decision.protectedPath } : {}),
      });
    };
    if (decision.action === "deny") {
      record("denied", decision.by);
      throw new PermissionDeniedError(`${request.label} → ${request.summary}: ${decision.why}`);
    }
    if (decision.action === "ask") {
      if (this.#continuesApproved(request)) {
        record("allowed", "gesture");
      } else if (this.#approved(request, decision.key)) {
        record("allowed", "remembered");
      } else if (!(this.#prompter?.interactive ?? false)) {
        record("denied", "mode");
        throw new PermissionDeniedError(
          `${request.label} → ${request.summary}: ${decision.why}; ` +
            "no terminal is attached to ask there",
        );
      } else {
        try {
          await this.#prompt(request, decision, signal);
        } catch (error) {
          if (error instanceof PermissionDeniedError) record("denied", "prompt");
          throw error;
        }
        record("allowed", "prompt");
      }
    } else if (decision.by === "policy_file") {
      record("allowed", "policy_file");
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
    this.#gestures.end(sessionId);
    this.#uploads.end(sessionId);
  }

  /** True when the call continues a gesture or an upload approved once. */
  #continuesApproved(r: PolicyRequest): boolean {
    return this.#gestures.covers(r.sessionId, r.method, r.params, this.#now()) ||
      this.#continuesUpload(r);
  }

  #continuesUpload(r: PolicyRequest): boolean {
    return this.#uploads.covers(r.sessionId, r.method, r.params, this.#now());
  }

  #decide(request: PolicyRequest): PolicyDecision {
    const hit = protectedPathOf(request.method, request.params ?? {}, this.#protected);
    if (hit) {
      return {
        action: "ask",
        by: "mode",
        why: `${hit.path} is protected (${hit.why}) and needs an approval at the serving terminal`,
        key: `${request.method}\u0000${hit.requested}`,
        protectedPath: { path: hit.requested, why: hit.why },
      };
    }
    if (this.#mode === "auto") return { action: "allow", by: "mode", why: "", key: "" };
    if (this.#mode === "observe") {
      if (request.observation) return { action: "allow", by: "mode", why: "", key: "" };
      return {
        action: "deny",
        by: "mode",
        why: this.#noTerminal
          ? "no terminal for interactive approval (run serve with --approve auto to allow)"
          : "only observation methods are allowed (serve runs with --approve observe)",
        key: "",
      };
    }
    return decideByRules(request.method, request.params ?? {}, request.observation, this.#rules);
  }

  #approved(request: PolicyRequest, key: string): boolean {
    if (this.#sessionApprovals.get(request.sessionId)?.has(key)) return true;
    const timedKey = `${request.peerKeyHex}\u0000${key}`;
    const until = this.#timedApprovals.get(timedKey);
    if (until !== undefined) {
      if (until > this.#now()) return true;
      this.#timedApprovals.delete(timedKey);
    }
    return false;
  }

  async #prompt(
    request: PolicyRequest,
    decision: PolicyDecision,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    if (this.#pending++ === 0) this.#idle = new Promise((r) => (this.#resolveIdle = r));
    const previous = this.#turn;
    let release!: () => void;
    this.#turn = new Promise((r) => (release = r));
    let phase: PromptPhase = "denied";
    let asked = false;
    try {
      await raceAbort(previous, signal);
      // A part of an upload approved while this one waited its turn needs no question.
      if (this.#approved(request, decision.key) || this.#continuesUpload(request)) {
        phase = "allowed";
        return;
      }
      asked = true;
      request.onPrompt?.("waiting");
      const answer = await this.#ask(request, decision, signal);
      switch (answer) {
        case "once":
          this.#gestures.approved(request.sessionId, request.method, request.params, this.#now());
          this.#uploads.approved(request.sessionId, request.method, request.params, this.#now());
          break;
        case "session": {
          const set = this.#sessionApprovals.get(request.sessionId) ?? new Set();
          set.add(decision.key);
          this.#sessionApprovals.set(request.sessionId, set);
          break;
        }
        case "timed":
          this.#timedApprovals.set(
            `${request.peerKeyHex}\u0000${decision.key}`,
            this.#now() + this.#timedMs,
          );
          break;
        default:
          throw new PermissionDeniedError(
            `${request.label} → ${request.summary}: denied by the local user`,
          );
      }
      phase = "allowed";
    } finally {
      if (asked && !signal?.aborted) request.onPrompt?.(phase);
      // The next prompt may start only after the previous one (and this one) finished.
      previous.then(release, release);
      if (--this.#pending === 0) this.#resolveIdle();
    }
  }

  async #ask(
    request: PolicyRequest,
    decision: PolicyDecision,
    signal: AbortSignal | undefined,
  ): Promise<"once" | "session" | "timed" | "deny"> {
    const prompter = this.#prompter!;
    const controller = new AbortController();
    const label = escapeForTerminal(request.label, { maxLength: 80 });
    const summary = escapeForTerminal(request.summary, { maxLength: 300 });
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#promptTimeoutMs);
    try {
      const question = consentQuestion({
        label: request.label,
        method: request.method,
        summary: request.summary,
        params: request.params,
        reason: decision.protectedPath ? decision.why : undefined,
      });
      const legend = consentLegend(request.method, this.#timedMs);
      if (!this.#legendShown) {
        this.#legendShown = true;
        prompter.notify(legend);
      }
      while (true) {
        const line = await prompter.ask(question, controller.signal);
        if (signal?.aborted) {
          prompter.notify(`[opendesk] request withdrawn by ${label}: ${summary}`);
          throw new CancelledError();
        }
        if (timedOut) {
          const seconds = Math.round(this.#promptTimeoutMs / 1000);
          prompter.notify(`[opendesk] no answer within ${seconds} s: denied`);
          throw new PermissionDeniedError(
            `${request.label} → ${request.summary}: no answer from the local user within ${seconds} s`,
          );
        }
        const answer = parseConsentAnswer(line);
        if (answer === "help") {
          prompter.notify(legend);
        } else if (answer === "unknown") {
          prompter.notify(
            `[opendesk] "${escapeForTerminal(line ?? "", { maxLength: 20 })}" is not an answer: ` +
              "type y, a, t or n (Enter = n, ? = explain)",
          );
        } else {
          return answer;
        }
      }
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
