/**
 * `OpendeskServer`: the controlled machine's side. One WebSocket port for
 * pairing and serving (routed on the first handshake message), one
 * controller at a time, consent policy and audit on every call, the admin
 * socket and the mDNS advertisement (docs/protocol.md, "Server session
 * lifecycle").
 *
 * @module
 */

import { type Clock, systemClock } from "../auth/clock.ts";
import { Identity } from "../auth/identity.ts";
import { type PairingEvent, type PairingWindow, PairingWindows } from "../auth/pairing_window.ts";
import { TrustStore } from "../auth/trust_store.ts";
import { acceptConnection, type AcceptContext } from "./_accept.ts";
import { AsyncLock } from "./_async_lock.ts";
import { RefusalDigest, summaryLines } from "./_refusal_digest.ts";
import { readDescription } from "./_description.ts";
import type { ServerSession } from "./_server_session.ts";
import { AdminServer, type AdminSessionInfo } from "./admin_server.ts";
import { AuditLog } from "./audit_log.ts";
import { MdnsAdvertiser } from "./discovery.ts";
import { loadEffectivePolicy } from "./effective_policy.ts";
import { ConsentPolicy, type ConsentRecord } from "./policy.ts";
import type {
  EvictReason,
  OpendeskServerOptions,
  ServerEvent,
  ServerSessionInfo,
} from "./server_options.ts";
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_PORT } from "./websocket_connection.ts";
import {
  type ListenerRefusal,
  listenWebSocket,
  type WebSocketListener,
} from "./websocket_listener.ts";

const DESCRIPTION_POLL_MS = 5_000;

function refusalText(reason: ListenerRefusal): string {
  switch (reason) {
    case "too_many_unauthenticated":
      return "too many connections are waiting to authenticate";
    case "too_many_from_source":
      return "too many connections from this address are waiting to authenticate";
    case "deadline":
      return "no WebSocket upgrade before the authentication deadline";
    case "bad_request":
      return "not a WebSocket upgrade request";
  }
}

/**
 * A running opendesk server.
 *
 * @example Usage
 * ```ts ignore
 * const server = await OpendeskServer.start({
 *   home, computer: new FakeComputer(), port: 0, mdns: false,
 *   onEvent: (e) => e.type === "pairing_armed" && console.log(`Pairing code: ${e.code}`),
 * });
 * console.log(server.port);
 * await server.close();
 * ```
 */
export class OpendeskServer {
  #options: OpendeskServerOptions;
  #ctx: AcceptContext;
  #policyFile: string | null = null;
  #listener: WebSocketListener | undefined;
  #admin: AdminServer | undefined;
  #mdns: MdnsAdvertiser | undefined;
  #pairingSubscription: Disposable;
  #descriptionTimer: ReturnType<typeof setInterval> | undefined;
  #connections = new Set<Promise<void>>();
  #closing = false;
  #lastAuditError = "";
  #closed: Promise<void> | undefined;

  private constructor(options: OpendeskServerOptions) {
    this.#options = options;
    const clock: Clock = options.clock ?? systemClock;
    const home = options.home;
    const identity = options.identity ?? Identity.loadOrCreate(home);
    const store = options.trustStore ?? new TrustStore(home, { clock });
    const windows = new PairingWindows({ clock });
    const effective = loadEffectivePolicy(home);
    this.#policyFile = effective.file;
    const policy = new ConsentPolicy(options.approve, {
      ...(options.prompter ? { prompter: options.prompter } : {}),
      now: () => clock.now(),
      rules: effective.rules,
      protectedPaths: effective.protectedPaths,
      onDecision: (record) => this.#auditConsent(record),
    });
    this.#ctx = {
      identity,
      store,
      windows,
      audit: new AuditLog(home, {
        enabled: options.audit ?? true,
        now: () => clock.now(),
        onError: (error) => {
          const message = `cannot write the audit log: ${(error as Error).message}`;
          if (message !== this.#lastAuditError) this.#emit({ type: "warning", message });
          this.#lastAuditError = message;
        },
      }),
      policy,
      computer: options.computer,
      lock: new AsyncLock(),
      sessions: new Map(),
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
      helloTimeoutMs: options.helloTimeoutMs ?? 10_000,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      busyLingerMs: options.busyLingerMs ?? 2_000,
      refusals: new RefusalDigest({
        ...(options.refusalWindowMs !== undefined ? { windowMs: options.refusalWindowMs } : {}),
        onSummary: (summary) => {
          for (const entry of summary.sources) {
            this.#ctx.audit.write("connections.refused", { key: null, name: "" }, {
              remote_addr: entry.source,
              count: entry.count,
              reasons: entry.reasons,
              window_seconds: summary.windowMs / 1000,
            });
          }
          if (summary.otherCount > 0) {
            this.#ctx.audit.write("connections.refused", { key: null, name: "" }, {
              remote_addr: null,
              count: summary.otherCount,
              sources: summary.otherSources,
              window_seconds: summary.windowMs / 1000,
            });
          }
          this.#emit({ type: "refusals_summary", lines: summaryLines(summary) });
        },
      }),
      now: () => clock.now(),
      description: () => {
        const text = readDescription(home);
        this.#mdns?.setDescription(text);
        return text;
      },
      emit: (event) => this.#emit(event),
      closing: () => this.#closing,
    };
    this.#pairingSubscription = windows.subscribe((event) => this.#onPairingEvent(event));
  }

  /** Records prompt answers, policy-file decisions and protected-path requests. */
  #auditConsent(record: ConsentRecord): void {
    const { request } = record;
    this.#ctx.audit.write("consent", { key: request.peerKeyHex, name: request.label }, {
      session_id: request.sessionId,
      method: request.method,
      summary: request.summary,
      outcome: record.outcome,
      decided_by: record.by,
      ...(record.protectedPath
        ? { protected_path: record.protectedPath.path, protected_why: record.protectedPath.why }
        : {}),
    });
  }

  /**
   * Starts listening, then the admin socket and the mDNS advertisement (their
   * failures are reported as warnings), and arms pairing when no controller is trusted.
   *
   * @param options what to serve and how
   * @returns the running server
   * @throws {Deno.errors.AddrInUse} when the port is taken
   * @throws {TrustStoreCorruptError} when `trusted-peers.json` cannot be read
   * @throws {AdminSocketInUseError} when another server runs with this home
   */
  static async start(options: OpendeskServerOptions): Promise<OpendeskServer> {
    const server = new OpendeskServer(options);
    try {
      await server.#start();
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  async #start(): Promise<void> {
    const ctx = this.#ctx;
    const controllers = ctx.store.list().filter((p) => p.role === "controller" || p.role === "");
    for (const legacy of ctx.store.legacyPeers()) {
      this.#emit({
        type: "warning",
        message: `trusted peer '${legacy.name}' has no role (a legacy entry trusted both ways): ` +
          `run \`opendesk peers role ${legacy.name} controller\` or \`… remote\` to settle it`,
      });
    }
    this.#emit({ type: "notice", message: ctx.policy.notice });
    if (this.#policyFile !== null && ctx.policy.mode === "console") {
      this.#emit({ type: "notice", message: `approval rules: ${this.#policyFile}` });
    }
    if (this.#options.admin !== false) {
      this.#admin = await AdminServer.start(this.#options.home, {
        list: () => this.#adminList(),
        kill: (id, reason) => this.kill(id, reason),
        killAll: (reason) => this.killAll(reason),
        pair: (code) => {
          const window = this.armPairing(code);
          return { code: window.code, expiresAt: window.expiresAt / 1000 };
        },
        status: () => this.#status(),
      });
    }
    this.#listener = listenWebSocket({
      hostname: this.#options.host ?? "0.0.0.0",
      port: this.#options.port ?? DEFAULT_PORT,
      keepaliveSeconds: this.#options.keepaliveSeconds ?? 20,
      ...(this.#options.preAuthTimeoutMs !== undefined
        ? { preAuthTimeoutMs: this.#options.preAuthTimeoutMs }
        : {}),
      ...(this.#options.maxPreAuthConnections !== undefined
        ? { maxPreAuthConnections: this.#options.maxPreAuthConnections }
        : {}),
      ...(this.#options.maxPreAuthPerSource !== undefined
        ? { maxPreAuthPerSource: this.#options.maxPreAuthPerSource }
        : {}),
      onRefused: (host, reason) => {
        if (!ctx.refusals.record(host, reason)) return;
        ctx.audit.sessionRejected({ key: null, name: "" }, { remoteAddr: host, reason });
        this.#emit({ type: "rejected", remoteAddr: host, reason, message: refusalText(reason) });
      },
      onAcceptTrouble: (message) => this.#emit({ type: "warning", message }),
      onConnection: (ws) => {
        const task = acceptConnection(ctx, ws).finally(() => this.#connections.delete(task));
        this.#connections.add(task);
      },
    });
    this.#emit({
      type: "listening",
      host: this.#listener.hostname,
      port: this.#listener.port,
      fingerprint: ctx.identity.fingerprint,
    });
    if (this.#options.mdns !== false) await this.#startMdns();
    if (controllers.length === 0 && this.#options.pairWhenUntrusted !== false) {
      try {
        this.armPairing();
      } catch (error) {
        this.#emit({ type: "warning", message: (error as Error).message });
      }
    }
  }

  async #startMdns(): Promise<void> {
    try {
      this.#mdns = await MdnsAdvertiser.start({
        publicKey: this.#ctx.identity.publicKey,
        port: this.port,
        description: readDescription(this.#options.home),
        ...(this.#options.mdnsInterface ? { interface: this.#options.mdnsInterface } : {}),
      });
      this.#descriptionTimer = setInterval(() => {
        this.#mdns?.setDescription(readDescription(this.#options.home));
      }, DESCRIPTION_POLL_MS);
    } catch (error) {
      this.#emit({
        type: "warning",
        message: `mDNS advertising is off: ${
          (error as Error).message
        }; controllers can still connect by address`,
      });
    }
  }

  /** The bound address. */
  get host(): string {
    return this.#listener?.hostname ?? this.#options.host ?? "0.0.0.0";
  }

  /** The bound port (the real one when 0 was asked for). */
  get port(): number {
    return this.#listener?.port ?? 0;
  }

  /** This machine's identity. */
  get identity(): Identity {
    return this.#ctx.identity;
  }

  /** The consent policy (mode and notice). */
  get policy(): ConsentPolicy {
    return this.#ctx.policy;
  }

  /** The armed pairing window, or null. */
  get pairingWindow(): PairingWindow | null {
    return this.#ctx.windows.current;
  }

  /** The active sessions. */
  sessions(): ServerSessionInfo[] {
    return [...this.#ctx.sessions.values()].map((s) => s.info());
  }

  /**
   * Arms a pairing window (the code is shown through a `pairing_armed` event too).
   * @param code an operator-chosen 6-digit code; random otherwise
   * @throws {PairingUnavailableError} during a lockout or while an attempt runs
   * @throws {RangeError} when `code` is not 6 digits
   */
  armPairing(code?: string): PairingWindow {
    const window = this.#ctx.windows.arm(code === undefined ? {} : { code });
    this.#emit({
      type: "pairing_armed",
      code: window.code,
      expiresAt: window.expiresAt,
      fingerprint: this.#ctx.identity.fingerprint,
    });
    return window;
  }

  /** Ends session `id` with `session.evicted`; false when there is no such session. */
  async kill(id: string, reason: EvictReason = "admin_disconnect"): Promise<boolean> {
    const session = this.#ctx.sessions.get(id);
    if (!session) return false;
    await session.evict(reason);
    return true;
  }

  /** Ends every session with `session.evicted`; returns how many. */
  async killAll(reason: EvictReason = "admin_disconnect"): Promise<number> {
    const sessions = [...this.#ctx.sessions.values()];
    await Promise.all(sessions.map((s: ServerSession) => s.evict(reason)));
    return sessions.length;
  }

  /**
   * Shuts down: stops accepting, closes every session with WebSocket code 1001 (no
   * `session.evicted` push, so clients may reconnect),
   * closes the admin socket and the advertisement, waits for every connection.
   */
  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#descriptionTimer);
    this.#pairingSubscription[Symbol.dispose]();
    this.#ctx.windows.disarm();
    await this.#ctx.lock.run(async () => {
      await Promise.all([...this.#ctx.sessions.values()].map((s) => s.shutdown()));
    });
    await this.#admin?.close();
    await this.#mdns?.close().catch(() => {});
    await this.#listener?.close();
    await Promise.allSettled([...this.#connections]);
    this.#ctx.refusals.close();
    await this.#ctx.audit.close();
  }

  /** Resolves once every audit record written so far is on disk. */
  flushAudit(): Promise<void> {
    return this.#ctx.audit.flush();
  }

  #adminList(): AdminSessionInfo[] {
    const now = this.#ctx.now();
    return [...this.#ctx.sessions.values()].map((s) => ({
      id: s.id,
      peer_name: s.peerName,
      peer_pubkey_hex: s.peerKeyHex,
      remote_addr: s.remoteAddr,
      started_at: s.startedAt / 1000,
      age_seconds: Math.round(now - s.startedAt) / 1000,
      mode: s.mode,
    }));
  }

  #status(): Record<string, unknown> {
    const window = this.#ctx.windows.current;
    return {
      pid: Deno.pid,
      port: this.port,
      host: this.host,
      sessions: this.#ctx.sessions.size,
      pairing: { armed: window !== null, expires_at: window ? window.expiresAt / 1000 : null },
      approve: this.#ctx.policy.mode,
      fingerprint: this.#ctx.identity.fingerprint,
    };
  }

  #onPairingEvent(event: PairingEvent): void {
    const audit = this.#ctx.audit;
    switch (event.type) {
      case "burned":
        audit.write("pairing", { key: null, name: "" }, {
          event: "burned",
          remote_addr: event.remoteAddr,
          reason: event.reason,
        });
        this.#emit({
          type: "pairing_burned",
          remoteAddr: event.remoteAddr,
          message: event.message,
        });
        return;
      case "paired":
        audit.write("pairing", { key: event.peerKey, name: "" }, {
          event: "paired",
          remote_addr: event.remoteAddr,
        });
        return;
      case "expired":
        audit.write("pairing", { key: null, name: "" }, { event: "expired" });
        this.#emit({ type: "pairing_expired", message: event.message });
        return;
      case "locked_out":
        audit.write("pairing", { key: null, name: "" }, { event: "locked_out" });
        this.#emit({ type: "pairing_locked", until: event.until, message: event.message });
        return;
      case "source_locked_out":
        audit.write("pairing", { key: null, name: "" }, {
          event: "source_locked_out",
          remote_addr: event.remoteAddr,
        });
        this.#emit({ type: "pairing_locked", until: event.until, message: event.message });
        return;
      case "armed":
        audit.write("pairing", { key: null, name: "" }, { event: "armed" });
        return;
    }
  }

  #emit(event: ServerEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // A failing listener must not break the server.
    }
  }
}
