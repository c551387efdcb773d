/**
 * `Peer`: one protocol session on top of a `Connection` (protocol-v1 §7):
 * the HELLO exchange, outbound calls and streams with deadlines and
 * cancellation, inbound requests on a `RequestHandler`, PUSH, and close.
 *
 * @module
 */

import type { Connection } from "./connection.ts";
import {
  CANCEL_REASON,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_DROP_OLDEST_QUEUE_SIZE,
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_STREAM_QUEUE_SIZE,
} from "./constants.ts";
import { decodeMsgpack } from "./codec.ts";
import {
  AbortError,
  ConnectionClosedError,
  InvalidStateError,
  RemoteError,
  TimeoutError,
} from "./errors.ts";
import type { HelloFrame, ResFrame } from "./frame.ts";
import {
  encodeCancel,
  encodeHello,
  encodePush,
  encodeReq,
  type ErrorInfoInit,
} from "./frame_codec.ts";
import type { RequestHandler, WireMap } from "./handler.ts";
import { type Limits, resolveLimits } from "./limits.ts";
import { type Deadline, Deadlines } from "./_deadlines.ts";
import { InboundRequests } from "./_inbound_requests.ts";
import { OutboundStream, type StreamHost } from "./_outbound_stream.ts";
import { parseFrame } from "./_frame_parse.ts";
import { SendQueue } from "./_send_queue.ts";

/** Options of the {@linkcode Peer} constructor. */
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
   * Inbound requests handled at once; more get an immediate `busy` RES (H6).
   * @default {DEFAULT_MAX_IN_FLIGHT} (64)
   */
  maxInFlight?: number;
  /**
   * Deadline of the HELLO exchange in milliseconds.
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

/** Options of {@linkcode Peer.call}. */
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

/** The iterator {@linkcode Peer.stream} returns. */
export interface PeerStream extends AsyncIterableIterator<WireMap, undefined, undefined> {
  /** Stops the stream; sends CANCEL when the peer has not ended it yet. */
  return(): Promise<IteratorResult<WireMap, undefined>>;
  /** Items discarded so far by the `"drop-oldest"` policy. */
  readonly dropped: number;
}

/** Options of {@linkcode Peer.stream}. */
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
   * supersede older ones).
   * @default {"error"}
   */
  overflow?: StreamOverflow;
  /**
   * Items buffered for this stream.
   * @default {PeerOptions.streamQueueSize} (64), or 2 with `"drop-oldest"`
   */
  queueSize?: number;
}

/** Options of {@linkcode Peer.sendHello}. */
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

/** Options of {@linkcode Peer.receiveHello}. */
export interface ReceiveHelloOptions {
  /**
   * Deadline in milliseconds.
   * @default {PeerOptions.helloTimeoutMs} (10 000)
   */
  timeoutMs?: number;
}

/** Options of {@linkcode Peer.hello}. */
export type HelloOptions = SendHelloOptions & ReceiveHelloOptions;

/** Called for each PUSH; its errors are swallowed. */
export type PushHandler = (topic: string, payload: WireMap) => void | Promise<void>;

interface PendingCall {
  resolve(result: WireMap | null): void;
  reject(error: unknown): void;
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`Invalid option '${name}': expected a positive integer, got ${value}`);
  }
  return value;
}

function timeoutValue(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Invalid option '${name}': expected a non-negative number, got ${value}`);
  }
  return value;
}

/**
 * One protocol session. Both sides use the same class: the client calls,
 * the server answers through its `handler`; either may push.
 *
 * Sends are serialised (encode → one queue → `Connection.send`), so an
 * encrypting connection's nonce order equals send order. Every pending call
 * and stream fails with `ConnectionClosedError` when the session ends.
 *
 * @example Usage
 * ```ts
 * import { createLoopbackPair, Peer } from "./mod.ts";
 * const [a, b] = createLoopbackPair();
 * const server = new Peer(b, {
 *   role: "server",
 *   handler: {
 *     call: (method) => Promise.resolve({ echo: method }),
 *     stream: async function* () {},
 *   },
 * });
 * const client = new Peer(a, { role: "client" });
 * await Promise.all([client.hello(), server.hello({ capabilities: { backend: "fake" } })]);
 * client.start();
 * server.start();
 * console.log(await client.call("system.environment")); // { echo: "system.environment" }
 * client.close();
 * ```
 */
export class Peer {
  /** Our role. */
  readonly role: "client" | "server";
  /** Settles (never rejects) with the error that ended the session. */
  readonly closed: Promise<ConnectionClosedError>;
  #connection: Connection;
  #limits: Readonly<Limits>;
  #helloTimeoutMs: number;
  #defaultCallTimeoutMs: number;
  #streamQueueSize: number;
  #onError: ((error: unknown, context: string) => void) | undefined;
  #sendQueue: SendQueue;
  #deadlines = new Deadlines();
  #inbound: InboundRequests;
  #streamHost: StreamHost;
  #nextId = 1;
  #calls = new Map<number, PendingCall>();
  #streams = new Map<number, OutboundStream>();
  #pushHandlers = new Set<PushHandler>();
  #started = false;
  #readingHello = false;
  #helloSent = false;
  #remoteHello: HelloFrame | null = null;
  #closeError: ConnectionClosedError | undefined;
  #resolveClosed: (error: ConnectionClosedError) => void;

  /**
   * @param connection The transport; the peer owns it from now on.
   * @param options Role, handler, limits and tuning.
   * @throws {RangeError} for an invalid option value
   */
  constructor(connection: Connection, options: PeerOptions) {
    if (options.role !== "client" && options.role !== "server") {
      throw new TypeError(`Invalid option 'role': expected "client" or "server"`);
    }
    this.role = options.role;
    this.#connection = connection;
    this.#limits = resolveLimits(options.limits);
    this.#helloTimeoutMs = timeoutValue(
      options.helloTimeoutMs,
      DEFAULT_HELLO_TIMEOUT_MS,
      "helloTimeoutMs",
    );
    this.#defaultCallTimeoutMs = timeoutValue(
      options.defaultCallTimeoutMs,
      DEFAULT_CALL_TIMEOUT_MS,
      "defaultCallTimeoutMs",
    );
    this.#streamQueueSize = positiveInt(
      options.streamQueueSize,
      DEFAULT_STREAM_QUEUE_SIZE,
      "streamQueueSize",
    );
    const maxInFlight = positiveInt(options.maxInFlight, DEFAULT_MAX_IN_FLIGHT, "maxInFlight");
    this.#onError = options.onError;
    this.#sendQueue = new SendQueue(connection);
    const { promise, resolve } = Promise.withResolvers<ConnectionClosedError>();
    this.closed = promise;
    this.#resolveClosed = resolve;
    this.#inbound = new InboundRequests(
      {
        send: (bytes) => this.#sendQueue.send(bytes),
        limits: this.#limits,
        report: (error, context) => this.#report(error, context),
      },
      options.handler,
      maxInFlight,
    );
    this.#streamHost = {
      open: (stream) => this.#openStream(stream),
      release: (stream, cancel) => this.#releaseStream(stream, cancel),
    };
    // Without a running receive loop nobody reads the connection, so watch its end directly.
    // With a loop, the loop ends the session after the queued frames (e.g. a final PUSH).
    connection.closed.then((error) => {
      if (!this.#started && !this.#readingHello) this.#shutdown(error);
    });
  }

  /** The peer's HELLO once received (also when it carried an error), else null. */
  get remoteHello(): HelloFrame | null {
    return this.#remoteHello;
  }

  /** True once the session ended (closed locally, by the peer, or on a protocol violation). */
  get isClosed(): boolean {
    return this.#closeError !== undefined;
  }

  /** Inbound requests whose handler is still running. */
  get inboundInFlight(): number {
    return this.#inbound.size;
  }

  /**
   * Sends our HELLO and reads the peer's at the same time (§7.1), within
   * `timeoutMs`. Any failure closes the session.
   *
   * @param options Our capabilities or rejection, and the deadline.
   * @returns The peer's HELLO.
   * @throws {RemoteError} the peer's HELLO `error` (e.g. `busy`), rebuilt with `RemoteError.fromWire`;
   * or code `protocol` when the peer sent something other than a HELLO
   * @throws {TimeoutError} when no HELLO arrived in time
   * @throws {ConnectionClosedError} when the connection closed first
   */
  async hello(options: HelloOptions = {}): Promise<HelloFrame> {
    const sendOptions: SendHelloOptions = {};
    if (options.capabilities !== undefined) sendOptions.capabilities = options.capabilities;
    if (options.error !== undefined) sendOptions.error = options.error;
    const receiveOptions: ReceiveHelloOptions = {};
    if (options.timeoutMs !== undefined) receiveOptions.timeoutMs = options.timeoutMs;
    const [sent, received] = await Promise.allSettled([
      this.sendHello(sendOptions),
      this.receiveHello(receiveOptions),
    ]);
    if (received.status === "rejected") throw received.reason;
    if (sent.status === "rejected") throw sent.reason;
    return received.value;
  }

  /**
   * Sends our HELLO (once). A server that reads the client's HELLO first
   * (H3) calls {@linkcode Peer.receiveHello}, decides, then calls this.
   *
   * @param options Capabilities and an optional rejection.
   * @throws {InvalidStateError} when a HELLO was already sent
   * @throws {ConnectionClosedError} when the session is closed
   */
  async sendHello(options: SendHelloOptions = {}): Promise<void> {
    if (this.#helloSent) throw new InvalidStateError("Cannot send HELLO: it was already sent");
    this.#assertOpen("send HELLO");
    this.#helloSent = true;
    const bytes = encodeHello(
      { role: this.role, capabilities: options.capabilities ?? {}, error: options.error ?? null },
      { limits: this.#limits },
    );
    await this.#sendQueue.send(bytes);
  }

  /**
   * Reads exactly one message, which must be the peer's HELLO, within
   * `timeoutMs`. Any failure closes the session.
   *
   * @param options The deadline.
   * @returns The peer's HELLO (also stored as {@linkcode Peer.remoteHello}).
   * @throws {RemoteError} the HELLO's `error`, or code `protocol` for a non-HELLO or bad frame
   * @throws {TimeoutError} when no HELLO arrived in time
   * @throws {ConnectionClosedError} when the connection closed first
   * @throws {InvalidStateError} when called twice or after `start()`
   */
  async receiveHello(options: ReceiveHelloOptions = {}): Promise<HelloFrame> {
    if (this.#started || this.#readingHello || this.#remoteHello !== null) {
      throw new InvalidStateError(
        "Cannot receive HELLO: it was already received or the receive loop runs",
      );
    }
    this.#assertOpen("receive HELLO");
    const timeoutMs = timeoutValue(options.timeoutMs, this.#helloTimeoutMs, "timeoutMs");
    this.#readingHello = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const receiving = this.#connection.receive();
      let bytes: Uint8Array;
      try {
        bytes = timeoutMs === 0 ? await receiving : await Promise.race([
          receiving,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new TimeoutError(`No HELLO from the peer within ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
      } catch (error) {
        receiving.catch(() => {});
        throw error instanceof TimeoutError || this.#closeError !== undefined
          ? error
          : new ConnectionClosedError("Peer closed before HELLO", { cause: error });
      }
      const outcome = parseFrame(
        decodeMsgpack(bytes, { limits: this.#limits, label: "HELLO" }),
      );
      if (!outcome.ok) {
        throw new RemoteError("protocol", `Bad HELLO: ${outcome.message}`);
      }
      const frame = outcome.frame;
      if (frame.type !== "hello") {
        throw new RemoteError("protocol", `Expected HELLO, got '${frame.type}'`);
      }
      this.#remoteHello = frame;
      if (frame.error !== null) throw RemoteError.fromWire(frame.error);
      return frame;
    } catch (error) {
      const wrapped = error instanceof RemoteError || error instanceof TimeoutError ||
          error instanceof ConnectionClosedError
        ? error
        : new RemoteError("protocol", `Bad HELLO: ${(error as Error).message}`, {}, {
          cause: error,
        });
      this.#shutdown(
        new ConnectionClosedError(`HELLO exchange failed: ${wrapped.message}`, { cause: wrapped }),
        wrapped.message,
      );
      throw wrapped;
    } finally {
      clearTimeout(timer);
      this.#readingHello = false;
    }
  }

  /**
   * Starts the receive loop (idempotent). Call it after the HELLO exchange;
   * calls and streams need it running.
   *
   * @throws {InvalidStateError} while a HELLO is being read
   */
  start(): void {
    if (this.#started || this.#closeError !== undefined) return;
    if (this.#readingHello) {
      throw new InvalidStateError("Cannot start the peer while the HELLO is being read");
    }
    this.#started = true;
    this.#receiveLoop();
  }

  /**
   * Calls `method` and waits for its result. On timeout or abort it sends
   * CANCEL("caller cancelled") and gives up; a late RES is dropped.
   *
   * @param method `"<namespace>.<verb>"`.
   * @param params The method's parameters.
   * @param options Deadline and abort signal.
   * @returns The RES `result` map, or null when the method returned nothing.
   * @throws {RemoteError} (or a subclass) for an error RES
   * @throws {TimeoutError} after `timeoutMs`
   * @throws {AbortError} when `signal` aborts
   * @throws {ConnectionClosedError} when the session is or becomes closed
   * @throws {InvalidStateError} before `start()`
   * @throws {CodecError} when `params` cannot be encoded or exceed the frame limit
   */
  async call(
    method: string,
    params: WireMap = {},
    options: CallOptions = {},
  ): Promise<WireMap | null> {
    this.#assertRunning(`call '${method}'`);
    const { signal } = options;
    if (signal?.aborted) {
      throw new AbortError(`Call '${method}' was aborted`, { cause: signal.reason });
    }
    const timeoutMs = options.timeoutMs === undefined
      ? this.#defaultCallTimeoutMs
      : timeoutValue(options.timeoutMs, 0, "timeoutMs");
    const id = this.#nextId++;
    const bytes = encodeReq({ id, method, stream: false, params }, { limits: this.#limits });
    const { promise, resolve, reject } = Promise.withResolvers<WireMap | null>();
    let gaveUp = false;
    let deadline: Deadline | undefined;
    let onAbort: (() => void) | undefined;
    this.#calls.set(id, { resolve, reject });
    try {
      if (timeoutMs > 0) {
        deadline = this.#deadlines.add(timeoutMs, () => {
          gaveUp = true;
          reject(new TimeoutError(`Call '${method}' timed out after ${timeoutMs} ms`));
        });
      }
      if (signal !== undefined) {
        onAbort = () => {
          gaveUp = true;
          reject(new AbortError(`Call '${method}' was aborted`, { cause: signal.reason }));
        };
        signal.addEventListener("abort", onAbort, { once: true });
      }
      this.#sendQueue.send(bytes).catch((error) => reject(this.#sendFailure(error)));
      return await promise;
    } finally {
      if (deadline !== undefined) this.#deadlines.cancel(deadline);
      if (onAbort !== undefined) signal!.removeEventListener("abort", onAbort);
      this.#calls.delete(id);
      if (gaveUp) this.#sendCancel(id);
    }
  }

  /**
   * Starts a stream on the first `next()`. Breaking out of `for await`,
   * `return()` or aborting sends CANCEL. An error RES rejects after the
   * buffered items; a slow consumer affects only this stream (see
   * {@linkcode StreamOptions.overflow}).
   *
   * @param method `"<namespace>.<verb>"`.
   * @param params The method's parameters.
   * @param options Abort signal and overflow policy.
   * @returns An async iterator over the stream's items.
   */
  stream(
    method: string,
    params: WireMap = {},
    options: StreamOptions = {},
  ): PeerStream {
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

  /**
   * Sends a PUSH (servers: e.g. `session.evicted` before closing).
   *
   * @param topic The topic.
   * @param payload The payload map.
   * @throws {ConnectionClosedError} when the session is closed
   */
  async push(topic: string, payload: WireMap = {}): Promise<void> {
    this.#assertOpen(`push '${topic}'`);
    const bytes = encodePush({ topic, payload }, { limits: this.#limits });
    await this.#sendQueue.send(bytes).catch((error) => {
      throw this.#sendFailure(error);
    });
  }

  /**
   * Registers a PUSH handler; unknown topics are simply passed on.
   *
   * @param handler Called with each PUSH's topic and payload; its errors are swallowed.
   * @returns A `Disposable` that unregisters it.
   */
  onPush(handler: PushHandler): Disposable {
    this.#pushHandlers.add(handler);
    return { [Symbol.dispose]: () => void this.#pushHandlers.delete(handler) };
  }

  /**
   * Ends the session (idempotent): fails everything in flight with
   * `ConnectionClosedError`, aborts inbound handlers and closes the
   * connection. No goodbye frame is sent.
   *
   * @param reason Passed to the connection and the errors.
   */
  close(reason?: string): void {
    this.#shutdown(
      new ConnectionClosedError(reason === undefined ? "Peer closed" : `Peer closed: ${reason}`),
      reason,
    );
  }

  #assertOpen(action: string): void {
    if (this.#closeError !== undefined) {
      throw new ConnectionClosedError(`Cannot ${action}: the peer is closed`, {
        cause: this.#closeError,
      });
    }
  }

  #assertRunning(action: string): void {
    this.#assertOpen(action);
    if (!this.#started) {
      throw new InvalidStateError(`Cannot ${action}: the peer is not started, call start() first`);
    }
  }

  #sendFailure(error: unknown): unknown {
    if (this.#closeError !== undefined) return this.#closeError;
    return error;
  }

  #sendCancel(id: number): void {
    if (this.#closeError !== undefined) return;
    this.#sendQueue.send(encodeCancel({ id, reason: CANCEL_REASON })).catch(() => {});
  }

  #openStream(stream: OutboundStream): void {
    this.#assertRunning(`stream '${stream.method}'`);
    const id = this.#nextId++;
    const bytes = encodeReq(
      { id, method: stream.method, stream: true, params: stream.params },
      { limits: this.#limits },
    );
    stream.id = id;
    this.#streams.set(id, stream);
    this.#sendQueue.send(bytes).catch((error) => {
      if (this.#streams.get(id) !== stream) return;
      this.#streams.delete(id);
      stream.end(this.#sendFailure(error) as Error);
    });
  }

  #releaseStream(stream: OutboundStream, cancel: boolean): void {
    if (this.#streams.get(stream.id) !== stream) return;
    this.#streams.delete(stream.id);
    if (cancel) this.#sendCancel(stream.id);
  }

  async #receiveLoop(): Promise<void> {
    while (this.#closeError === undefined) {
      let bytes: Uint8Array;
      try {
        bytes = await this.#connection.receive();
      } catch (error) {
        this.#shutdown(
          error instanceof ConnectionClosedError ? error : new ConnectionClosedError(
            `Connection failed: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          ),
        );
        return;
      }
      if (this.#closeError !== undefined) return;
      try {
        this.#onMessage(bytes);
      } catch (error) {
        this.#report(error, "dispatching a frame");
      }
    }
  }

  #onMessage(bytes: Uint8Array): void {
    let map: WireMap;
    try {
      map = decodeMsgpack(bytes, { limits: this.#limits });
    } catch (error) {
      return this.#protocolViolation((error as Error).message, error);
    }
    const outcome = parseFrame(map);
    if (!outcome.ok) {
      if (outcome.fatal) return this.#protocolViolation(outcome.message);
      return this.#onInvalidFrame(outcome.type, outcome.id, outcome.message);
    }
    const frame = outcome.frame;
    switch (frame.type) {
      case "res":
        return this.#onRes(frame);
      case "req":
        return this.#inbound.accept(frame);
      case "cancel":
        return this.#inbound.cancel(frame.id);
      case "push":
        return this.#onPush(frame.topic, frame.payload);
      case "hello":
        if (this.#remoteHello === null) this.#remoteHello = frame;
        else this.#report(new Error("Ignored a second HELLO from the peer"), "receiving HELLO");
        return;
    }
  }

  #onRes(frame: ResFrame): void {
    const call = this.#calls.get(frame.id);
    if (call !== undefined) {
      this.#calls.delete(frame.id);
      if (frame.error !== null) call.reject(RemoteError.fromWire(frame.error));
      else call.resolve(frame.result);
      return;
    }
    const stream = this.#streams.get(frame.id);
    if (stream === undefined) return; // late RES for a finished or cancelled id (§7.6)
    if (!frame.end) {
      if (frame.result !== null) stream.pushItem(frame.result);
      return;
    }
    this.#streams.delete(frame.id);
    if (frame.error !== null) stream.end(RemoteError.fromWire(frame.error));
    else stream.end(undefined, frame.result ?? undefined);
  }

  #onInvalidFrame(type: string, id: number | null, message: string): void {
    if (type === "req") {
      if (id === null) return this.#protocolViolation(`${message} (no usable id)`);
      return this.#inbound.rejectInvalid(id, message);
    }
    if (type === "res" && id !== null) {
      const error = new RemoteError("protocol", message);
      const call = this.#calls.get(id);
      if (call !== undefined) {
        this.#calls.delete(id);
        return call.reject(error);
      }
      const stream = this.#streams.get(id);
      if (stream !== undefined) {
        this.#releaseStream(stream, true);
        return stream.end(error);
      }
    }
    this.#report(new Error(message), `ignoring an invalid ${type.toUpperCase()} frame`);
  }

  #onPush(topic: string, payload: WireMap): void {
    for (const handler of [...this.#pushHandlers]) {
      try {
        const result = handler(topic, payload);
        if (result instanceof Promise) {
          result.catch((error) => this.#report(error, `PUSH handler for '${topic}'`));
        }
      } catch (error) {
        this.#report(error, `PUSH handler for '${topic}'`);
      }
    }
  }

  #protocolViolation(message: string, cause?: unknown): void {
    const reason = `protocol violation: ${message}`;
    this.#shutdown(
      new ConnectionClosedError(`Connection closed: ${reason}`, {
        cause: cause ?? new RemoteError("protocol", message),
      }),
      reason,
    );
  }

  #shutdown(error: ConnectionClosedError, reason?: string): void {
    if (this.#closeError !== undefined) return;
    this.#closeError = error;
    const calls = [...this.#calls.values()];
    this.#calls.clear();
    for (const call of calls) call.reject(error);
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    for (const stream of streams) stream.end(error);
    this.#inbound.abortAll(error);
    this.#deadlines.clear();
    this.#connection.close(reason);
    this.#resolveClosed(error);
  }

  #report(error: unknown, context: string): void {
    try {
      this.#onError?.(error, context);
    } catch {
      // A broken error sink must not break the session.
    }
  }
}
