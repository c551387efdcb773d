/**
 * The calling side of a peer: request ids, pending unary calls with their
 * deadlines and abort signals, and outbound streams, all matched against
 * incoming RES frames by id (docs/protocol.md, "Peer semantics").
 *
 * @module
 */

import { CANCEL_REASON, DEFAULT_DROP_OLDEST_QUEUE_SIZE } from "./constants.ts";
import { AbortError, type ConnectionClosedError, RemoteError, TimeoutError } from "./errors.ts";
import type { ResFrame } from "./frame.ts";
import { encodeCancel, encodeReq } from "./frame_codec.ts";
import type { WireMap } from "./handler.ts";
import type { Limits } from "./limits.ts";
import type { CallOptions, PeerStream, StreamOptions } from "./peer_options.ts";
import { type Deadline, Deadlines } from "./_deadlines.ts";
import { positiveInt, timeoutValue } from "./_option_checks.ts";
import { OutboundStream, type StreamHost } from "./_outbound_stream.ts";

/** What the outbound table needs from its peer. */
export interface OutboundHost {
  send(bytes: Uint8Array): Promise<void>;
  readonly limits: Readonly<Limits>;
  /** Throws when no request can be sent now (closed, or not started). */
  assertRunning(action: string): void;
  /** The error that ended the session, if it ended. */
  closeError(): ConnectionClosedError | undefined;
}

/**
 * One unary call waiting for its RES. Whichever settles it first (the RES,
 * its deadline, its abort signal, a failed send, the session's end) removes
 * it from the table and clears the rest, so no cleanup waits for a later tick.
 */
class PendingCall {
  readonly id: number;
  readonly method: string;
  readonly resolve: (result: WireMap | null) => void;
  readonly reject: (error: unknown) => void;
  deadline: Deadline | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;

  constructor(
    id: number,
    method: string,
    resolve: (result: WireMap | null) => void,
    reject: (error: unknown) => void,
  ) {
    this.id = id;
    this.method = method;
    this.resolve = resolve;
    this.reject = reject;
  }
}

/** Outbound calls and streams of one session. */
export class OutboundCalls {
  #host: OutboundHost;
  #defaultCallTimeoutMs: number;
  #streamQueueSize: number;
  #nextId = 1;
  #calls = new Map<number, PendingCall>();
  #streams = new Map<number, OutboundStream>();
  #deadlines = new Deadlines();
  #streamHost: StreamHost;

  constructor(host: OutboundHost, defaultCallTimeoutMs: number, streamQueueSize: number) {
    this.#host = host;
    this.#defaultCallTimeoutMs = defaultCallTimeoutMs;
    this.#streamQueueSize = streamQueueSize;
    this.#streamHost = {
      open: (stream) => this.#openStream(stream),
      release: (stream, cancel) => this.#releaseStream(stream, cancel),
    };
  }

  /** See `Peer.call()`. Not async: the caller's await is the only tick between RES and result. */
  call(method: string, params: WireMap, options: CallOptions): Promise<WireMap | null> {
    const { signal } = options;
    let bytes: Uint8Array;
    let timeoutMs: number;
    try {
      this.#host.assertRunning(`call '${method}'`);
      if (signal?.aborted) {
        throw new AbortError(`Call '${method}' was aborted`, { cause: signal.reason });
      }
      timeoutMs = options.timeoutMs === undefined
        ? this.#defaultCallTimeoutMs
        : timeoutValue(options.timeoutMs, 0, "timeoutMs");
      bytes = encodeReq(
        { id: this.#nextId, method, stream: false, params },
        { limits: this.#host.limits },
      );
    } catch (error) {
      return Promise.reject(error);
    }
    const id = this.#nextId++;
    const { promise, resolve, reject } = Promise.withResolvers<WireMap | null>();
    const call = new PendingCall(id, method, resolve, reject);
    this.#calls.set(id, call);
    if (timeoutMs > 0) {
      call.deadline = this.#deadlines.add(timeoutMs, () => {
        call.deadline = undefined;
        this.#giveUp(call, new TimeoutError(`Call '${method}' timed out after ${timeoutMs} ms`));
      });
    }
    if (signal !== undefined) {
      call.signal = signal;
      call.onAbort = () => {
        this.#giveUp(
          call,
          new AbortError(`Call '${method}' was aborted`, { cause: signal.reason }),
        );
      };
      signal.addEventListener("abort", call.onAbort, { once: true });
    }
    this.#host.send(bytes).catch((error) => {
      if (this.#settle(call)) call.reject(this.#host.closeError() ?? error);
    });
    return promise;
  }

  /** Takes `call` out of the table and clears its deadline and listener; false if already done. */
  #settle(call: PendingCall): boolean {
    if (this.#calls.get(call.id) !== call) return false;
    this.#calls.delete(call.id);
    if (call.deadline !== undefined) this.#deadlines.cancel(call.deadline);
    if (call.onAbort !== undefined) call.signal!.removeEventListener("abort", call.onAbort);
    return true;
  }

  /** A timeout or abort: fail the call and tell the peer to stop (CANCEL). */
  #giveUp(call: PendingCall, error: Error): void {
    if (!this.#settle(call)) return;
    call.reject(error);
    this.#sendCancel(call.id);
  }

  /** See `Peer.stream()`. */
  stream(method: string, params: WireMap, options: StreamOptions): PeerStream {
    const overflow = options.overflow ?? "error";
    if (overflow !== "error" && overflow !== "drop-oldest") {
      throw new TypeError(`Invalid option 'overflow': expected "error" or "drop-oldest"`);
    }
    const queueSize = positiveInt(
      options.queueSize,
      overflow === "drop-oldest" ? DEFAULT_DROP_OLDEST_QUEUE_SIZE : this.#streamQueueSize,
      "queueSize",
    );
    return new OutboundStream(
      this.#streamHost,
      method,
      params,
      queueSize,
      overflow,
      options.signal,
    );
  }

  /** Routes a RES to its call or stream; a RES for an unknown id (e.g. one already cancelled) is dropped. */
  onRes(frame: ResFrame): void {
    const call = this.#calls.get(frame.id);
    if (call !== undefined) {
      this.#settle(call);
      if (frame.error !== null) call.reject(RemoteError.fromWire(frame.error));
      else call.resolve(frame.result);
      return;
    }
    const stream = this.#streams.get(frame.id);
    if (stream === undefined) return;
    if (!frame.end) {
      if (frame.result !== null) stream.pushItem(frame.result);
      return;
    }
    this.#streams.delete(frame.id);
    if (frame.error !== null) stream.end(RemoteError.fromWire(frame.error));
    else stream.end(undefined, frame.result ?? undefined);
  }

  /** Fails the call or stream a malformed RES was meant for; false when the id is unknown. */
  onInvalidRes(id: number, message: string): boolean {
    const error = new RemoteError("protocol", message);
    const call = this.#calls.get(id);
    if (call !== undefined) {
      this.#settle(call);
      call.reject(error);
      return true;
    }
    const stream = this.#streams.get(id);
    if (stream === undefined) return false;
    this.#releaseStream(stream, true);
    stream.end(error);
    return true;
  }

  /** The session ended: every pending call and stream fails with `error`. */
  failAll(error: ConnectionClosedError): void {
    const calls = [...this.#calls.values()];
    for (const call of calls) {
      this.#settle(call);
      call.reject(error);
    }
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    for (const stream of streams) stream.end(error);
    this.#deadlines.clear();
  }

  #sendCancel(id: number): void {
    if (this.#host.closeError() !== undefined) return;
    this.#host.send(encodeCancel({ id, reason: CANCEL_REASON })).catch(() => {});
  }

  #openStream(stream: OutboundStream): void {
    this.#host.assertRunning(`stream '${stream.method}'`);
    const id = this.#nextId++;
    const bytes = encodeReq(
      { id, method: stream.method, stream: true, params: stream.params },
      { limits: this.#host.limits },
    );
    stream.id = id;
    this.#streams.set(id, stream);
    this.#host.send(bytes).catch((error) => {
      if (this.#streams.get(id) !== stream) return;
      this.#streams.delete(id);
      stream.end((this.#host.closeError() ?? error) as Error);
    });
  }

  #releaseStream(stream: OutboundStream, cancel: boolean): void {
    if (this.#streams.get(stream.id) !== stream) return;
    this.#streams.delete(stream.id);
    if (cancel) this.#sendCancel(stream.id);
  }
}
