/**
 * `ReconnectingComputer`: the `Computer` of a {@linkcode ClientSession}. It
 * is the method-table client (`MethodClient`) whose one call path runs on the
 * session's current connection: after a lost connection the session
 * reconnects and replays the call once when its wire method is idempotent
 * (see `isIdempotentMethod`). Streams are opened on the current connection
 * and never replayed.
 *
 * @module
 */

import type { CallOptions } from "../computer/computer.ts";
import { MethodClient } from "../computer/client/method_client.ts";
import type { StreamMethodDef, UnaryMethodDef } from "../computer/methods/method_def.ts";
import type { RemoteComputer } from "../computer/client/remote_computer.ts";
import type { CapabilityManifest } from "../computer/types/capability.ts";
import type { WireMap } from "../protocol/handler.ts";

/** What the computer needs from its session. */
export interface ComputerSession {
  readonly manifest: CapabilityManifest;
  run<T>(method: string, operation: (computer: RemoteComputer) => Promise<T>): Promise<T>;
  runStream<T>(open: (computer: RemoteComputer) => AsyncIterable<T>): AsyncIterable<T>;
  close(): Promise<void>;
}

/** A `Computer` that survives reconnects of its session. */
export class ReconnectingComputer extends MethodClient {
  #s: ComputerSession;

  /** @param session the session whose connection each call uses */
  constructor(session: ComputerSession) {
    super();
    this.#s = session;
  }

  /** The server's backend name. */
  override get backend(): string {
    return this.#s.manifest.backend;
  }

  /** The server's manifest from its latest HELLO (no I/O). */
  override capabilities(): CapabilityManifest {
    return this.#s.manifest;
  }

  /** Calls one method of the table on the current connection (replayed when idempotent). */
  override invoke<P, R>(
    def: UnaryMethodDef<P, R>,
    params: unknown,
    options?: CallOptions,
  ): Promise<R> {
    return this.#s.run(def.name, (c) => c.invoke(def, params, options));
  }

  /** Opens one stream of the table on the current connection. */
  override open<P, I>(
    def: StreamMethodDef<P, I>,
    params: unknown,
    options?: CallOptions,
  ): AsyncIterable<I> {
    return this.#s.runStream((c) => c.open(def, params, options));
  }

  /** Calls any unary method by name (replayed after a reconnect only when idempotent). */
  override call(
    method: string,
    params: WireMap = {},
    options: CallOptions = {},
  ): Promise<WireMap | null> {
    return this.#s.run(method, (c) => c.call(method, params, options));
  }

  /** Opens any stream by name. */
  override stream(
    method: string,
    params: WireMap = {},
    options: CallOptions = {},
  ): AsyncIterable<WireMap> {
    return this.#s.runStream((c) => c.stream(method, params, options));
  }

  /** Ends the session. */
  override close(): Promise<void> {
    return this.#s.close();
  }
}
