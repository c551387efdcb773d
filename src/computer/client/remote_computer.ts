/**
 * `RemoteComputer`: the `Computer` interface over a protocol session. Each
 * operation is one call of the method table: params validated and encoded in
 * the reference's order, results decoded with the schemas, wire errors
 * rebuilt by the `Peer` (`capability_unsupported` → `CapabilityUnsupportedError`,
 * `permission_denied` → `PermissionDeniedError`, `cancelled` → `CancelledError`,
 * other codes → `RemoteError`). Aliased methods go out as `ui.action` and
 * `power.lock`. After a `session.evicted` PUSH every call fails with
 * `SessionEvictedError`.
 *
 * @module
 */

import { CodecError, ConnectionClosedError } from "../../protocol/errors.ts";
import type { WireMap } from "../../protocol/handler.ts";
import type { Peer } from "../../protocol/peer.ts";
import { fastParseParams } from "../methods/_fast_params.ts";
import { checkParamBounds } from "../_param_bounds.ts";
import { describeParamIssues } from "../methods/_param_errors.ts";
import type { CallOptions } from "../computer.ts";
import { MethodClient } from "./method_client.ts";
import type { StreamMethodDef, UnaryMethodDef } from "../methods/method_def.ts";
import { findMethod } from "../methods/methods.ts";
import { SessionEvictedError } from "./session_evicted_error.ts";
import { type CapabilityManifest, parseManifestLenient } from "../types/capability.ts";

/** Options of {@linkcode RemoteComputer}. */
export interface RemoteComputerOptions {
  /**
   * The server's manifest (from its HELLO).
   * @default parsed leniently from `peer.remoteHello.capabilities`
   */
  manifest?: CapabilityManifest;
  /** `close()` also closes the peer. @default true */
  ownsPeer?: boolean;
}

/** A `Computer` on the other end of a protocol session. */
export class RemoteComputer extends MethodClient {
  #peer: Peer;
  #manifest: CapabilityManifest;
  #ownsPeer: boolean;
  #evicted: string | null = null;
  #pushSubscription: Disposable;

  /** Wraps a started client `Peer`. */
  constructor(peer: Peer, options: RemoteComputerOptions = {}) {
    super();
    this.#peer = peer;
    this.#ownsPeer = options.ownsPeer ?? true;
    this.#manifest = options.manifest ??
      parseManifestLenient(peer.remoteHello?.capabilities ?? {}).manifest;
    this.#pushSubscription = peer.onPush((topic, payload) => {
      if (topic !== "session.evicted") return;
      this.#evicted = typeof payload.reason === "string" ? payload.reason : "";
    });
  }

  /** The server's backend name. */
  override get backend(): string {
    return this.#manifest.backend;
  }

  /** The reason of a `session.evicted` PUSH, or null while the session is in good standing. */
  get evictedReason(): string | null {
    return this.#evicted;
  }

  /** The server's manifest as received in its HELLO (no I/O). */
  override capabilities(): CapabilityManifest {
    return this.#manifest;
  }

  /**
   * Calls any unary method by name (for the REPL). Known methods get their
   * params validated, defaulted and encoded as the table says, and aliases go
   * out under their canonical name; unknown names are sent as given.
   *
   * @returns the raw result map, or null
   * @throws {TypeError} when params do not match the method's schema
   */
  override call(
    method: string,
    params: WireMap = {},
    options: CallOptions = {},
  ): Promise<WireMap | null> {
    // Not async: one promise less per call; a params error still comes back as a rejection.
    const def = findMethod(method);
    if (def === undefined || def.stream) return this.#raw(method, params, options);
    let encoded: WireMap;
    try {
      encoded = def.encodeParams(this.#parse(def, params));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#raw(def.name, encoded, options);
  }

  /** Starts any stream by name (for the REPL); items are raw maps. */
  override stream(
    method: string,
    params: WireMap = {},
    options: CallOptions = {},
  ): AsyncIterable<WireMap> {
    const def = findMethod(method);
    const encoded = def !== undefined && def.stream
      ? def.encodeParams(this.#parse(def, params))
      : params;
    return this.#rawStream(def?.name ?? method, encoded, options, method === "display.subscribe");
  }

  async #raw(method: string, params: WireMap, options: CallOptions): Promise<WireMap | null> {
    this.#assertNotEvicted();
    const callOptions: { signal?: AbortSignal; timeoutMs?: number } = {};
    if (options.signal !== undefined) callOptions.signal = options.signal;
    if (options.timeoutMs !== undefined) callOptions.timeoutMs = options.timeoutMs;
    try {
      return await this.#peer.call(method, params, callOptions);
    } catch (error) {
      throw this.#evictionOr(error);
    }
  }

  async *#rawStream(
    method: string,
    params: WireMap,
    options: CallOptions,
    dropOldest: boolean,
  ): AsyncGenerator<WireMap> {
    this.#assertNotEvicted();
    const streamOptions: { signal?: AbortSignal; overflow?: "error" | "drop-oldest" } = {
      overflow: dropOldest ? "drop-oldest" : "error",
    };
    if (options.signal !== undefined) streamOptions.signal = options.signal;
    try {
      yield* this.#peer.stream(method, params, streamOptions);
    } catch (error) {
      throw this.#evictionOr(error);
    }
  }

  #parse(
    def: UnaryMethodDef<unknown, unknown> | StreamMethodDef<unknown, unknown>,
    params: unknown,
  ): unknown {
    const fast = fastParseParams(def.params, params ?? {});
    if (fast !== undefined) return fast;
    const tooBig = checkParamBounds(params);
    if (tooBig !== null) throw new TypeError(`Invalid params for '${def.name}': ${tooBig.message}`);
    const parsed = def.params.safeParse(params ?? {});
    if (parsed.success) return parsed.data;
    throw new TypeError(describeParamIssues(def.name, parsed.error).message);
  }

  /**
   * Calls one unary method of the table with typed params and result:
   * params validated and encoded as the definition says, the result decoded
   * with its schema.
   *
   * @throws {TypeError} when params do not match the method's schema
   * @throws {CodecError} when the result does not match the catalogue
   */
  override async invoke<P, R>(
    def: UnaryMethodDef<P, R>,
    params: unknown,
    options?: CallOptions,
  ): Promise<R> {
    const parsed = this.#parse(def as UnaryMethodDef<unknown, unknown>, params) as P;
    const result = await this.#raw(def.name, def.encodeParams(parsed), options ?? {});
    try {
      return def.decodeResult(result);
    } catch (error) {
      throw new CodecError(
        `Cannot decode the result of '${def.name}': it does not match the catalogue`,
        { cause: error },
      );
    }
  }

  /** Opens one stream of the table; items are decoded with its schema. */
  override async *open<P, I>(
    def: StreamMethodDef<P, I>,
    params: unknown,
    options?: CallOptions,
  ): AsyncGenerator<I> {
    const parsed = this.#parse(def as StreamMethodDef<unknown, unknown>, params) as P;
    const items = this.#rawStream(
      def.name,
      def.encodeParams(parsed),
      options ?? {},
      def.name === "display.subscribe",
    );
    for await (const item of items) {
      try {
        yield def.decodeItem(item);
      } catch (error) {
        if (!(error instanceof Error) || error.name !== "ZodError") throw error;
        throw new CodecError(
          `Cannot decode an item of '${def.name}': it does not match the catalogue`,
          { cause: error },
        );
      }
    }
  }

  #assertNotEvicted(): void {
    if (this.#evicted !== null) throw new SessionEvictedError(this.#evicted);
  }

  #evictionOr(error: unknown): unknown {
    if (this.#evicted !== null && error instanceof ConnectionClosedError) {
      return new SessionEvictedError(this.#evicted, { cause: error });
    }
    return error;
  }

  /** Stops listening for PUSHes and, when it owns the peer, closes the session. */
  override close(): Promise<void> {
    this.#pushSubscription[Symbol.dispose]();
    if (this.#ownsPeer) this.#peer.close();
    return Promise.resolve();
  }
}
