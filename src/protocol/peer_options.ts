/**
 * Option bags and public types of `Peer` (`peer.ts`).
 *
 * @module
 */

import type { ErrorInfoInit } from "./frame_codec.ts";
import type { RequestHandler, WireMap } from "./handler.ts";
import type { Limits } from "./limits.ts";

/** Options of the `Peer` constructor. */
export interface PeerOptions {
  /** Our role, sent in our HELLO. */
  role: "client" | "server";
  /**
   * Runs inbound requests. Without one, every inbound REQ gets
   * `internal` / "no dispatcher registered" (as the reference client does).
   * @default {undefined}
   */
  handler?: RequestHandler;
  /**
   * Inbound requests handled at once; more get an immediate `busy` RES.
   * @default {DEFAULT_MAX_IN_FLIGHT} (64)
   */
  maxInFlight?: number;
  /**
   * Deadline of the HELLO exchange in milliseconds; 0 means none.
   * @default {DEFAULT_HELLO_TIMEOUT_MS} (10 000)
   */
  helloTimeoutMs?: number;
  /**
   * Deadline of `call()` when the call does not give one; 0 means none.
   * @default {DEFAULT_CALL_TIMEOUT_MS} (30 000)
   */
  defaultCallTimeoutMs?: number;
  /**
   * Items an outbound stream buffers for a consumer that falls behind.
   * @default {DEFAULT_STREAM_QUEUE_SIZE} (64)
   */
  streamQueueSize?: number;
  /**
   * Size and shape limits for frames in both directions.
   * @default {DEFAULT_LIMITS}
   */
  limits?: Partial<Limits>;
  /**
   * Receives problems the peer handles without failing a caller: handler
   * errors answered as `internal` (with their stack, which never goes on the
   * wire), ignored frames, a second HELLO. Exceptions it throws are swallowed.
   * @default {undefined} (ignored)
   */
  onError?: (error: unknown, context: string) => void;
}

/** Options of `Peer.call()`. */
export interface CallOptions {
  /**
   * Deadline in milliseconds; on expiry the call sends CANCEL and rejects
   * with `TimeoutError`. 0 means none.
   * @default {PeerOptions.defaultCallTimeoutMs}
   */
  timeoutMs?: number;
  /**
   * Aborting sends CANCEL and rejects the call with `AbortError`.
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/** How a stream treats a consumer that falls behind (see {@linkcode StreamOptions.overflow}). */
export type StreamOverflow = "error" | "drop-oldest";

/** Options of `Peer.stream()`. */
export interface StreamOptions {
  /**
   * Aborting sends CANCEL and ends the stream with `AbortError`.
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * What happens when the consumer falls `queueSize` items behind:
   * `"error"` fails only this stream with `StreamOverflowError` (after the
   * buffered items) and sends CANCEL; `"drop-oldest"` discards the oldest
   * buffered item for each new one (for display frames, where newer ones
   * supersede older ones). The session goes on either way.
   * @default {"error"}
   */
  overflow?: StreamOverflow;
  /**
   * Items buffered for this stream.
   * @default {PeerOptions.streamQueueSize} (64), or 2 with `"drop-oldest"`
   */
  queueSize?: number;
}

/** The iterator `Peer.stream()` returns. */
export interface PeerStream extends AsyncIterableIterator<WireMap, undefined, undefined> {
  /** Stops the stream; sends CANCEL when the peer has not ended it yet. */
  return(): Promise<IteratorResult<WireMap, undefined>>;
  /** Items discarded so far by the `"drop-oldest"` policy. */
  readonly dropped: number;
}

/** Options of `Peer.sendHello()`. */
export interface SendHelloOptions {
  /**
   * Our capability manifest (servers) or `{}` (clients).
   * @default {{}}
   */
  capabilities?: WireMap;
  /**
   * An application-level rejection (e.g. `busy`); the session ends after it.
   * @default {null}
   */
  error?: ErrorInfoInit | null;
}

/** Options of `Peer.receiveHello()`. */
export interface ReceiveHelloOptions {
  /**
   * Deadline in milliseconds; 0 means none.
   * @default {PeerOptions.helloTimeoutMs} (10 000)
   */
  timeoutMs?: number;
}

/** Options of `Peer.hello()`. */
export type HelloOptions = SendHelloOptions & ReceiveHelloOptions;

/** Called for each PUSH; its errors are swallowed (and passed to `PeerOptions.onError`). */
export type PushHandler = (topic: string, payload: WireMap) => void | Promise<void>;
