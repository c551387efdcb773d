/**
 * `Dispatcher`: the server side of the computer layer. It implements the
 * protocol's `RequestHandler` over a `Computer`: finds the method in the
 * table (either name of an alias pair), validates params with clear
 * `invalid_argument` errors, enforces capability gating, asks the policy
 * before every gated call and every stream start, runs the backend, encodes
 * the result, maps errors to wire codes and reports every call and stream to
 * an audit hook.
 *
 * @module
 */

import { CapabilityUnsupportedError, RemoteError } from "../../protocol/errors.ts";
import type { RequestContext, RequestHandler, WireMap } from "../../protocol/handler.ts";
import { fastParseParams } from "./_fast_params.ts";
import { checkParamBounds } from "../_param_bounds.ts";
import { describeParamIssues } from "./_param_errors.ts";
import type { Computer } from "../computer.ts";
import type { AnyMethodDef, MethodKind } from "./method_def.ts";
import { findMethod } from "./methods.ts";
import type { CapabilityManifest } from "../types/capability.ts";
import { toWireError, unknownMethodError } from "../wire_errors.ts";

/** What the policy hook is asked about. */
export interface PolicyRequest {
  /** Method name as sent (an alias stays an alias). */
  readonly method: string;
  /** Validated params, defaults applied. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The one-line summary shown in approval prompts and the audit log. */
  readonly summary: string;
  /** Policy class. */
  readonly kind: MethodKind;
  /** True for a stream start. */
  readonly stream: boolean;
  /** True for observation methods (a console policy allows them without asking). */
  readonly observation: boolean;
  /** Aborted when the caller cancels (a console policy withdraws its prompt). */
  readonly signal: AbortSignal;
}

/** One audit record: a call, or a stream's start, end or denial. */
export interface CallRecord {
  method: string;
  summary: string;
  outcome: "ok" | "error";
  /** Wire error code when `outcome` is `error`. */
  error_code?: string;
  /** Error message (at most 200 characters) when `outcome` is `error`. */
  error_message?: string;
  /** True for stream events. */
  stream?: boolean;
  /** Stream event. */
  event?: "start" | "end" | "denied";
  /** Stream end: items sent. */
  frames?: number;
}

/** Options of {@linkcode Dispatcher}. */
export interface DispatcherOptions {
  /**
   * Asked before every gated (action) call and every stream start; throws
   * `PermissionDeniedError` to deny. Any other error becomes `internal`.
   * @default allow everything
   */
  policy?: (request: PolicyRequest) => Promise<void>;
  /**
   * Also ask the policy before observation calls (a policy file may gate
   * them, and reading a protected path needs approval).
   * @default {false}
   */
  policyObservations?: boolean;
  /** Receives an audit record for every call and every stream event. @default none */
  onCall?: (record: CallRecord) => void;
  /** Replaces the manifest's description (the server's `description.txt`). @default the backend's */
  description?: () => string;
  /** Told about errors that are answered as `internal` (for the server log). @default none */
  onInternalError?: (error: unknown, method: string) => void;
}

const MAX_AUDIT_MESSAGE = 200;
const SYSTEM_CAPABILITIES = findMethod("system.capabilities");

/** Serves the wire methods of a `Computer` to one session. */
export class Dispatcher implements RequestHandler {
  #computer: Computer;
  #options: DispatcherOptions;
  /** The backend's capabilities, read on the first gated call (see `#gate`). */
  #capabilitySet: ReadonlySet<string> | undefined;

  /** Creates a dispatcher over `computer`. */
  constructor(computer: Computer, options: DispatcherOptions = {}) {
    this.#computer = computer;
    this.#options = options;
  }

  /** The manifest to advertise (HELLO and `system.capabilities`), description applied. */
  manifest(): CapabilityManifest {
    const manifest = this.#computer.capabilities();
    const description = this.#options.description?.();
    return description === undefined ? manifest : { ...manifest, description };
  }

  /** Handles a unary REQ. */
  async call(method: string, params: WireMap, ctx: RequestContext): Promise<WireMap | null> {
    const def = findMethod(method);
    let summary = method;
    try {
      if (def === undefined) throw unknownMethodError(method, false);
      if (def.stream) {
        throw new RemoteError(
          "invalid_argument",
          `Method '${method}' is a stream: send it with stream = true`,
          { method },
        );
      }
      const parsed = this.#parse(def, method, params);
      summary = def.summary(parsed);
      this.#gate(def, method);
      if (def.kind === "action" || this.#options.policyObservations) {
        await this.#ask(def, method, parsed, summary, false, ctx.signal);
      }
      const result = await def.invoke(this.#computer, parsed, { signal: ctx.signal });
      const encoded = def === SYSTEM_CAPABILITIES
        ? this.#withDescription(def.encodeResult(result, parsed))
        : def.encodeResult(result, parsed);
      this.#audit({ method, summary, outcome: "ok" });
      return encoded;
    } catch (error) {
      const wire = toWireError(error, method, {
        signal: ctx.signal,
        onInternalError: this.#options.onInternalError,
      });
      this.#audit(errorRecord(method, summary, wire));
      throw wire;
    }
  }

  /** Handles a stream REQ: the policy runs once, before the first item. */
  async *stream(method: string, params: WireMap, ctx: RequestContext): AsyncGenerator<WireMap> {
    const def = findMethod(method);
    let summary = method;
    let started = false;
    let ended = false;
    let frames = 0;
    try {
      if (def === undefined) throw unknownMethodError(method, true);
      if (!def.stream) {
        throw new RemoteError(
          "invalid_argument",
          `Method '${method}' is not a stream: send it with stream = false`,
          { method },
        );
      }
      const parsed = this.#parse(def, method, params);
      summary = def.summary(parsed);
      this.#gate(def, method);
      await this.#ask(def, method, parsed, summary, true, ctx.signal);
      started = true;
      this.#audit({ method, summary, outcome: "ok", stream: true, event: "start" });
      for await (const item of def.open(this.#computer, parsed, { signal: ctx.signal })) {
        yield def.encodeItem(item, parsed);
        frames += 1;
      }
      ended = true;
      this.#audit({ method, summary, outcome: "ok", stream: true, event: "end", frames });
    } catch (error) {
      ended = true;
      const wire = toWireError(error, method, {
        signal: ctx.signal,
        onInternalError: this.#options.onInternalError,
      });
      const cancelled = wire.code === "cancelled";
      const event = !started && wire.code === "permission_denied"
        ? "denied"
        : started
        ? "end"
        : "start";
      const record: CallRecord = started && cancelled
        ? { method, summary, outcome: "ok", stream: true, event, frames }
        : { ...errorRecord(method, summary, wire), stream: true, event };
      if (started && !cancelled) record.frames = frames;
      this.#audit(record);
      throw wire;
    } finally {
      // The consumer stopped early (the Peer called return() after a CANCEL).
      if (started && !ended) {
        this.#audit({ method, summary, outcome: "ok", stream: true, event: "end", frames });
      }
    }
  }

  #parse(def: AnyMethodDef, method: string, params: WireMap): Record<string, unknown> {
    const fast = fastParseParams(def.params, params);
    if (fast !== undefined) return fast;
    const tooBig = checkParamBounds(params);
    if (tooBig !== null) {
      throw new RemoteError(
        "invalid_argument",
        `Invalid params for '${method}': ${tooBig.message}`,
        {
          method,
          param: tooBig.param,
        },
      );
    }
    const parsed = def.params.safeParse(params ?? {});
    if (parsed.success) return parsed.data as Record<string, unknown>;
    const problem = describeParamIssues(method, parsed.error);
    const details: Record<string, unknown> = { method, param: problem.param };
    if (problem.expected !== undefined) details.expected = problem.expected;
    throw new RemoteError("invalid_argument", problem.message, details);
  }

  #gate(def: AnyMethodDef, method: string): void {
    if (def.capability === null) return;
    // A session's manifest is fixed (it is advertised once, in HELLO), and a dispatcher
    // serves one session, so the set is built once instead of a manifest per call.
    this.#capabilitySet ??= new Set(this.#computer.capabilities().capabilities);
    if (this.#capabilitySet.has(def.capability)) return;
    const manifest = this.#computer.capabilities();
    const why = this.#computer.absenceReason?.(def.capability);
    throw new CapabilityUnsupportedError(
      def.capability,
      manifest.backend,
      `Capability '${def.capability}' is not supported by backend '${manifest.backend}', so '${method}' is unavailable on this machine${
        why ? `: ${why}` : ""
      }`,
    );
  }

  async #ask(
    def: AnyMethodDef,
    method: string,
    params: Record<string, unknown>,
    summary: string,
    stream: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    const policy = this.#options.policy;
    if (policy === undefined) return;
    try {
      await policy({
        method,
        params,
        summary,
        kind: def.kind,
        stream,
        observation: def.observation,
        signal,
      });
    } catch (error) {
      if (error instanceof RemoteError && error.code === "permission_denied") throw error;
      // The caller cancelled while the policy was deciding (e.g. a prompt was withdrawn).
      if (signal.aborted) throw error;
      this.#options.onInternalError?.(error, method);
      throw new RemoteError("internal", `The approval policy failed while checking '${method}'`);
    }
  }

  #withDescription(result: WireMap | null): WireMap | null {
    const description = this.#options.description?.();
    if (result === null || description === undefined) return result;
    return { ...result, description };
  }

  #audit(record: CallRecord): void {
    try {
      this.#options.onCall?.(record);
    } catch (error) {
      this.#options.onInternalError?.(error, record.method);
    }
  }
}

function errorRecord(method: string, summary: string, error: RemoteError): CallRecord {
  return {
    method,
    summary,
    outcome: "error",
    error_code: error.code,
    error_message: error.message.slice(0, MAX_AUDIT_MESSAGE),
  };
}
