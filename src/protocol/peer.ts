/**
 * `Peer`: one protocol session on top of a `Connection` (protocol-v1 §7):
 * the HELLO exchange, outbound calls and streams with deadlines and
 * cancellation, inbound requests on a `RequestHandler`, PUSH, and close.
 *
 * @module
 */

import { salvageFrame } from "./_frame_salvage.ts";
import type { Connection } from "./connection.ts";
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_STREAM_QUEUE_SIZE,
} from "./constants.ts";
import { ProtoKeyError } from "./_msgpack_read.ts";
import { decodeMsgpack } from "./codec.ts";
import {
  CodecError,
  ConnectionClosedError,
  FrameTooLargeError,
  InvalidStateError,
  RemoteError,
} from "./errors.ts";
import type { HelloFrame } from "./frame.ts";
import { encodeHello, encodePush } from "./frame_codec.ts";
import type { WireMap } from "./handler.ts";
import { type Limits, resolveLimits } from "./limits.ts";
import type {
  CallOptions,
  HelloOptions,
  PeerOptions,
  PeerStream,
  PushHandler,
  ReceiveHelloOptions,
  SendHelloOptions,
  StreamOptions,
} from "./peer_options.ts";
import { parseFrame } from "./_frame_parse.ts";
import { readHello } from "./_hello.ts";
import { InboundRequests } from "./_inbound_requests.ts";
import { positiveInt, timeoutValue } from "./_option_checks.ts";
import { OutboundCalls } from "./_outbound_calls.ts";
import { PushHandlers } from "./_push_handlers.ts";
import { SendQueue } from "./_send_queue.ts";

export type {
  CallOptions,
  HelloOptions,
  PeerOptions,
  PeerStream,
  PushHandler,
  ReceiveHelloOptions,
  SendHelloOptions,
  StreamOptions,
  StreamOverflow,
} from "./peer_options.ts";

/**
 * One protocol session. Both sides use the same class: the client calls,
 * the server answers through its `handler`; either may push.
 *
 * Sends are serialised (encode → one queue → `Connection.send`), so an
 * encrypting connection's nonce order equals send order. Every pending call
 * and stream fails with `ConnectionClosedError` when the session ends.
 * `Connection.receive()` must hand over buffers the peer may keep: decoded
 * bin values are views into them.
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
  #onError: ((error: unknown, context: string) => void) | undefined;
  #sendQueue: SendQueue;
  #outbound: OutboundCalls;
  #inbound: InboundRequests;
  #pushHandlers = new PushHandlers((error, context) => this.#report(error, context));
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
   * @throws {TypeError} for an invalid role
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
    this.#onError = options.onError;
    this.#sendQueue = new SendQueue(connection);
    const send = (bytes: Uint8Array): Promise<void> => this.#sendQueue.send(bytes);
    this.#outbound = new OutboundCalls(
      {
        send,
        limits: this.#limits,
        assertRunning: (action) => this.#assertRunning(action),
        closeError: () => this.#closeError,
      },
      timeoutValue(options.defaultCallTimeoutMs, DEFAULT_CALL_TIMEOUT_MS, "defaultCallTimeoutMs"),
      positiveInt(options.streamQueueSize, DEFAULT_STREAM_QUEUE_SIZE, "streamQueueSize"),
    );
    this.#inbound = new InboundRequests(
      { send, limits: this.#limits, report: (error, context) => this.#report(error, context) },
      options.handler,
      positiveInt(options.maxInFlight, DEFAULT_MAX_IN_FLIGHT, "maxInFlight"),
    );
    const { promise, resolve } = Promise.withResolvers<ConnectionClosedError>();
    this.closed = promise;
    this.#resolveClosed = resolve;
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
    try {
      const frame = await readHello(this.#connection, this.#limits, timeoutMs);
      this.#remoteHello = frame;
      if (frame.error !== null) throw RemoteError.fromWire(frame.error);
      return frame;
    } catch (error) {
      const failure = error as Error;
      this.#shutdown(
        new ConnectionClosedError(`HELLO exchange failed: ${failure.message}`, { cause: failure }),
        failure.message,
      );
      throw failure;
    } finally {
      this.#readingHello = false;
    }
  }

  /**
   * Starts the receive loop (idempotent; no effect once closed). Call it
   * after the HELLO exchange; calls and streams need it running.
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
  call(method: string, params: WireMap = {}, options: CallOptions = {}): Promise<WireMap | null> {
    return this.#outbound.call(method, params, options);
  }

  /**
   * Starts a stream on the first `next()`. Breaking out of `for await`,
   * `return()` or aborting sends CANCEL. An error RES rejects after the
   * buffered items; a slow consumer affects only this stream (see
   * `StreamOptions.overflow`).
   *
   * @param method `"<namespace>.<verb>"`.
   * @param params The method's parameters.
   * @param options Abort signal and overflow policy.
   * @returns An async iterator over the stream's items; its first `next()`
   * rejects like {@linkcode Peer.call} when the peer is closed or not started.
   * @throws {TypeError} for an unknown overflow policy
   * @throws {RangeError} for an invalid queue size
   */
  stream(method: string, params: WireMap = {}, options: StreamOptions = {}): PeerStream {
    return this.#outbound.stream(method, params, options);
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
      throw this.#closeError ?? error;
    });
  }

  /**
   * Registers a PUSH handler; unknown topics are simply passed on.
   *
   * @param handler Called with each PUSH's topic and payload; its errors are swallowed.
   * @returns A `Disposable` that unregisters it.
   */
  onPush(handler: PushHandler): Disposable {
    return this.#pushHandlers.add(handler);
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
      if ((error as Error).cause instanceof ProtoKeyError) return this.#onProtoKey(bytes, error);
      // A REQ whose params break a codec rule (a value over a limit, invalid text) is answered
      // and the session goes on; anything else that cannot be decoded ends the session.
      const salvaged = error instanceof CodecError && !(error instanceof FrameTooLargeError)
        ? salvageFrame(bytes)
        : null;
      if (salvaged?.type === "req" && salvaged.id !== null) {
        return this.#inbound.rejectInvalid(salvaged.id, (error as Error).message);
      }
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
        return this.#outbound.onRes(frame);
      case "req":
        return this.#inbound.accept(frame, bytes.length);
      case "cancel":
        return this.#inbound.cancel(frame.id);
      case "push":
        return this.#pushHandlers.dispatch(frame.topic, frame.payload);
      case "hello":
        // F29: the manifest never changes mid-session.
        if (this.#remoteHello === null) this.#remoteHello = frame;
        else this.#report(new Error("Ignored a second HELLO from the peer"), "receiving HELLO");
        return;
    }
  }

  /**
   * A frame with a `__proto__` key is refused like any other invalid frame (H7): read again
   * without those keys only to learn its type and id, so that a REQ gets its answer.
   */
  #onProtoKey(bytes: Uint8Array, error: unknown): void {
    const map = decodeMsgpack(bytes, { limits: this.#limits, dropProtoKeys: true });
    const outcome = parseFrame(map);
    const type = outcome.ok ? outcome.frame.type : outcome.fatal ? null : outcome.type;
    if (type === null) return this.#protocolViolation((error as Error).message, error);
    const id = Number.isSafeInteger(map.id) ? (map.id as number) : null;
    this.#onInvalidFrame(
      type,
      id,
      `Invalid ${type.toUpperCase()} frame: the key '__proto__' is not allowed`,
    );
  }

  #onInvalidFrame(type: string, id: number | null, message: string): void {
    if (type === "req") {
      // H7: answer what can be answered; a REQ without an id cannot be.
      if (id === null) return this.#protocolViolation(`${message} (no usable id)`);
      return this.#inbound.rejectInvalid(id, message);
    }
    if (type === "res" && id !== null && this.#outbound.onInvalidRes(id, message)) return;
    this.#report(new Error(message), `ignoring an invalid ${type.toUpperCase()} frame`);
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
    this.#outbound.failAll(error);
    this.#inbound.abortAll(error);
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
