/**
 * The server-side seam between a `Peer` and whatever executes requests
 * (the computer layer's dispatcher).
 *
 * @module
 */

/** A msgpack map as decoded from or sent on the wire. */
export type WireMap = Record<string, unknown>;

/** Context handed to a handler for one inbound REQ. */
export interface RequestContext {
  /** The REQ id (unique among this session's inbound requests in flight). */
  readonly id: number;
  /** The method name as sent. */
  readonly method: string;
  /** Aborted when the caller sends CANCEL or the session closes. */
  readonly signal: AbortSignal;
}

/**
 * Executes inbound requests. The `Peer` guarantees exactly one final RES per
 * REQ: a returned value becomes `result`; a thrown `RemoteError` becomes its
 * ErrorInfo; anything else becomes `internal`; an abort becomes `cancelled`.
 */
export interface RequestHandler {
  /** Handles a unary REQ (`stream = false`). Return `null`/`undefined` for "no result". */
  call(method: string, params: WireMap, ctx: RequestContext): Promise<WireMap | null | undefined>;
  /**
   * Handles a stream REQ (`stream = true`). The Peer pulls the next item only
   * after the previous one was handed to the transport (backpressure), and
   * calls `return()` on the iterator when the stream is cancelled.
   */
  stream(method: string, params: WireMap, ctx: RequestContext): AsyncIterable<WireMap>;
}
