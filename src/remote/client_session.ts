/**
 * `ClientSession`: a controller's session with automatic reconnect
 * (protocol-v1 §7.11). When the connection drops, the session reconnects
 * with the reference's backoff (0.5, 1, 2, 4, 5, 5, 5, 5 s within a 30 s
 * budget); a call that failed on the lost connection is replayed once only
 * when its method is idempotent; streams are never replayed; a
 * `session.evicted` PUSH ends the session for good.
 *
 * @module
 */

import { sleep } from "../protocol/sleep.ts";
import { HandshakeError } from "../auth/errors.ts";
import type { CallOptions } from "../computer/computer.ts";
import { isIdempotentMethod } from "../computer/methods/methods.ts";
import type { RemoteComputer } from "../computer/client/remote_computer.ts";
import { SessionEvictedError } from "../computer/client/session_evicted_error.ts";
import type { CapabilityManifest } from "../computer/types/capability.ts";
import { ConnectionClosedError, RemoteError } from "../protocol/errors.ts";
import type { WireMap } from "../protocol/handler.ts";
import type { Link } from "./_dial.ts";
import { ReconnectingComputer } from "./reconnecting_computer.ts";

/** The reference's waits between reconnect attempts, in milliseconds. */
export const DEFAULT_RECONNECT_DELAYS_MS: readonly number[] = [
  500,
  1000,
  2000,
  4000,
  5000,
  5000,
  5000,
  5000,
];
/** The reference's total reconnect budget. */
export const DEFAULT_RECONNECT_BUDGET_MS = 30_000;

/** Options of {@linkcode ClientSession}. */
export interface ClientSessionOptions {
  /** Display name of the server (peer name, or `host:port`). */
  label: string;
  /**
   * Reconnect after a lost connection.
   * @default {true}
   */
  autoReconnect?: boolean;
  /**
   * Total time spent reconnecting before giving up.
   * @default {DEFAULT_RECONNECT_BUDGET_MS}
   */
  reconnectBudgetMs?: number;
  /**
   * Waits before each attempt.
   * @default {DEFAULT_RECONNECT_DELAYS_MS}
   */
  reconnectDelaysMs?: readonly number[];
  /** Told after each successful reconnect. */
  onReconnect?: (link: Link) => void;
}

/** Handles a server PUSH. */
export type ClientPushHandler = (topic: string, payload: WireMap) => void;

/**
 * A live (and self-healing) session with a controlled machine.
 *
 * @example Usage
 * ```ts ignore
 * const session = await connect("office-pc");
 * const shot = await session.computer.capture();
 * await session.close();
 * ```
 */
export class ClientSession {
  #connector: (signal: AbortSignal) => Promise<Link>;
  #link: Link;
  #options: ClientSessionOptions;
  #reconnecting: Promise<Link> | null = null;
  #stop = new AbortController();
  #ended: string | null = null;
  #evicted: string | null = null;
  #pushHandlers = new Set<ClientPushHandler>();
  #resolveClosed!: (reason: string) => void;
  /** Settles with a sentence saying why the session ended, once it has ended for good. */
  readonly closed: Promise<string>;
  /** The `Computer` interface over this session (calls reconnect and replay as described above). */
  readonly computer: ReconnectingComputer;

  /**
   * @param link the first live session
   * @param connector opens a new session (re-resolving the target)
   * @param options label and reconnect tuning
   */
  constructor(
    link: Link,
    connector: (signal: AbortSignal) => Promise<Link>,
    options: ClientSessionOptions,
  ) {
    this.#link = link;
    this.#connector = connector;
    this.#options = options;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.computer = new ReconnectingComputer(this);
    this.#adopt(link);
  }

  /** Display name of the server. */
  get label(): string {
    return this.#options.label;
  }

  /** The server's manifest from its latest HELLO. */
  get manifest(): CapabilityManifest {
    return this.#link.manifest;
  }

  /** The current connection (host, port, key). */
  get link(): Readonly<Link> {
    return this.#link;
  }

  /** True once the session ended for good. */
  get isClosed(): boolean {
    return this.#ended !== null;
  }

  /** The server's eviction reason, or null. */
  get evictedReason(): string | null {
    return this.#evicted;
  }

  /**
   * Calls a unary method by name (params validated for known methods).
   * @throws {RemoteError} the server's error; {@linkcode SessionEvictedError} after an eviction
   */
  call(method: string, params: WireMap = {}, options: CallOptions = {}): Promise<WireMap | null> {
    return this.run(method, (computer) => computer.call(method, params, options));
  }

  /** Opens a stream by name; never replayed after a reconnect. */
  stream(method: string, params: WireMap = {}, options: CallOptions = {}): AsyncIterable<WireMap> {
    return this.runStream((computer) => computer.stream(method, params, options));
  }

  /** Registers a PUSH handler (`session.evicted`, …); dispose to remove it. */
  onPush(handler: ClientPushHandler): Disposable {
    this.#pushHandlers.add(handler);
    return { [Symbol.dispose]: () => void this.#pushHandlers.delete(handler) };
  }

  /**
   * Runs one unary operation on the current connection, reconnecting after a
   * transient failure and replaying it once when `method` is idempotent.
   * @param method the wire method (decides replay)
   * @param operation the call on a `RemoteComputer`
   */
  async run<T>(method: string, operation: (computer: RemoteComputer) => Promise<T>): Promise<T> {
    // Awaited only while a reconnect is under way: a call on a healthy link starts at once.
    const usable = this.#usable();
    const link = usable instanceof Promise ? await usable : usable;
    try {
      return await operation(link.computer);
    } catch (error) {
      if (!this.#canReconnect(error)) throw error;
      let fresh: Link;
      try {
        fresh = await this.#reconnect(link);
      } catch {
        throw error;
      }
      if (!isIdempotentMethod(method)) throw error;
      return await operation(fresh.computer);
    }
  }

  /** Opens a stream on the current connection (waiting for a reconnect in progress). */
  async *runStream<T>(open: (computer: RemoteComputer) => AsyncIterable<T>): AsyncGenerator<T> {
    const link = await this.#usable();
    yield* open(link.computer);
  }

  /** Ends the session (no reconnect). */
  async close(): Promise<void> {
    this.#end("closed by this side");
    this.#stop.abort();
    this.#link.peer.close();
    await this.#link.peer.closed;
    await this.#reconnecting?.catch(() => {});
  }

  /** The link to use, or the reconnect to wait for. @throws once evicted or ended */
  #usable(): Link | Promise<Link> {
    if (this.#evicted !== null) throw new SessionEvictedError(this.#evicted);
    if (this.#ended !== null) {
      throw new ConnectionClosedError(`Session with ${this.label} has ended: ${this.#ended}`);
    }
    return this.#reconnecting ?? this.#link;
  }

  #canReconnect(error: unknown): boolean {
    if (this.#options.autoReconnect === false || this.#ended !== null || this.#evicted !== null) {
      return false;
    }
    return error instanceof ConnectionClosedError ||
      (error instanceof RemoteError && error.code === "protocol");
  }

  #adopt(link: Link): void {
    link.peer.onPush((topic, payload) => {
      if (topic === "session.evicted") {
        this.#evicted = typeof payload.reason === "string" ? payload.reason : "";
      }
      for (const handler of this.#pushHandlers) {
        try {
          handler(topic, payload);
        } catch {
          // A failing handler must not break the session.
        }
      }
    });
    link.peer.closed.then((error) => {
      if (this.#link !== link || this.#ended !== null) return;
      if (this.#evicted !== null) {
        this.#end(`evicted by the server (${this.#evicted || "no reason given"})`);
      } else if (this.#options.autoReconnect === false) {
        this.#end(`connection lost: ${error.message}`);
      } else {
        this.#reconnect(link).catch(() => {});
      }
    });
  }

  #reconnect(failed: Link): Promise<Link> {
    if (this.#link !== failed) return Promise.resolve(this.#link);
    this.#reconnecting ??= this.#reconnectLoop().finally(() => (this.#reconnecting = null));
    return this.#reconnecting;
  }

  async #reconnectLoop(): Promise<Link> {
    const budget = this.#options.reconnectBudgetMs ?? DEFAULT_RECONNECT_BUDGET_MS;
    const delays = this.#options.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS;
    const started = Date.now();
    let lastError: unknown = new ConnectionClosedError("Connection lost");
    for (const delay of delays) {
      if (Date.now() - started + delay > budget) break;
      await sleep(delay, this.#stop.signal);
      if (this.#stop.signal.aborted) break;
      try {
        const link = await this.#connector(this.#stop.signal);
        if (this.#stop.signal.aborted) {
          link.peer.close();
          break;
        }
        this.#link.peer.close();
        this.#link = link;
        this.#adopt(link);
        this.#options.onReconnect?.(link);
        return link;
      } catch (error) {
        lastError = error;
        // A refusal (busy, no longer trusted, a different machine) will not heal by retrying.
        if (error instanceof RemoteError && error.code !== "protocol") break;
        if (
          error instanceof HandshakeError && error.reason !== "timeout" &&
          error.reason !== "protocol"
        ) break;
      }
    }
    const why = this.#stop.signal.aborted
      ? "closed by this side"
      : `connection lost and not re-established within ${budget / 1000} s: ${
        (lastError as Error).message
      }`;
    this.#end(why);
    throw lastError;
  }

  #end(reason: string): void {
    if (this.#ended !== null) return;
    this.#ended = reason;
    this.#resolveClosed(reason);
  }
}
