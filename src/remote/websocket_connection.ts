/**
 * `Connection` over a WebSocket: binary messages only, a per-connection
 * message size cap (small while handshaking, the frame cap after), sends
 * paced on `bufferedAmount`, and every way the socket can end reported as a
 * `ConnectionClosedError`.
 *
 * @module
 */

import { ConnectionClosedError } from "../protocol/errors.ts";
import type { Connection, ConnectionState } from "../protocol/connection.ts";
import { dialWsSocket } from "./_ws_dial.ts";
import { WsSocket } from "./_ws_socket.ts";
import { CloseCode, cutCloseReason } from "./close_code.ts";

export { CloseCode, cutCloseReason };

/** Default TCP port of an opendesk server (protocol-v1 §3). */
export const DEFAULT_PORT = 8423;
/**
 * Default cap on one WebSocket message once the peer has authenticated (H11): a 256 MiB file
 * in one `fs.read` result or `fs.write` request, with room for the frame around it.
 */
export const DEFAULT_MAX_FRAME_BYTES = 256 * 1024 * 1024 + 64 * 1024;
/** Cap on one WebSocket message while handshaking (handshake messages are at most 109 bytes). */
export const HANDSHAKE_MAX_MESSAGE_BYTES = 1024;
/** Sends wait while more than this many bytes are queued in the socket. */
export const DEFAULT_SEND_HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Default deadline for opening a client WebSocket. */
export const DEFAULT_DIAL_TIMEOUT_MS = 5_000;

/** Counted per message on top of its payload, so the buffer bound covers frame headers too. */
const FRAME_HEADER_ALLOWANCE = 16;

/** Options of {@linkcode WebSocketConnection}. */
export interface WebSocketConnectionOptions {
  /**
   * Largest accepted incoming message; a bigger one closes the connection with 1009.
   * @default {DEFAULT_MAX_FRAME_BYTES}
   */
  maxMessageBytes?: number;
  /**
   * `send()` waits while the socket holds more than this many unsent bytes.
   * @default {DEFAULT_SEND_HIGH_WATER_BYTES}
   */
  sendHighWaterBytes?: number;
  /**
   * Human-readable remote address.
   * @default {"?"}
   */
  remoteAddr?: string;
  /**
   * True for the dialling side: the WebSocket API lets a client close only with
   * 1000 or 3000–4999, so protocol violations use 4000 + (code − 1000) there.
   * @default {false}
   */
  client?: boolean;
  /** Called once by `markAuthenticated()` (the listener's pre-authentication limits end). */
  onAuthenticated?: () => void;
}

/** Options of {@linkcode WebSocketConnection.connect}. */
export interface WebSocketConnectOptions extends WebSocketConnectionOptions {
  /**
   * Deadline for the TCP connect and the WebSocket upgrade.
   * @default {DEFAULT_DIAL_TIMEOUT_MS}
   */
  timeoutMs?: number;
  /** Aborts the dial. */
  signal?: AbortSignal;
}

/**
 * A {@linkcode Connection} over one WebSocket (client or server side).
 *
 * @example Usage
 * ```ts ignore
 * const conn = await WebSocketConnection.connect("ws://127.0.0.1:8423");
 * await conn.send(new Uint8Array([0x80]));
 * conn.close();
 * ```
 */
export class WebSocketConnection implements Connection {
  #socket: WebSocket | WsSocket;
  #state: ConnectionState = "open";
  #error: ConnectionClosedError | undefined;
  #queue: Uint8Array[] = [];
  #head = 0;
  #waiters: { resolve(m: Uint8Array): void; reject(e: Error): void }[] = [];
  #maxMessageBytes: number;
  #highWater: number;
  #client: boolean;
  #remoteAddr: string;
  #opened: Promise<void>;
  #sendTail: Promise<void> = Promise.resolve();
  #pacing = false;
  /** At least the socket's `bufferedAmount` (see `send()`). */
  #bufferedBound = 0;
  #onAuthenticated: (() => void) | undefined;
  /** Bytes of received messages waiting in the queue for `receive()`. */
  #queuedBytes = 0;
  #resolveClosed!: (e: ConnectionClosedError) => void;
  readonly closed: Promise<ConnectionClosedError>;

  /**
   * Wraps a WebSocket (open or still connecting): the runtime's or opendesk's own `WsSocket`,
   * which checks the size cap before buffering a message and allows messages of any size.
   * @param socket the socket; its `binaryType` is set to `"arraybuffer"`
   * @param options limits and labels
   */
  constructor(socket: WebSocket | WsSocket, options: WebSocketConnectionOptions = {}) {
    this.#socket = socket;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (socket instanceof WsSocket) socket.maxMessageBytes = this.#maxMessageBytes;
    this.#onAuthenticated = options.onAuthenticated;
    this.#highWater = options.sendHighWaterBytes ?? DEFAULT_SEND_HIGH_WATER_BYTES;
    this.#client = options.client ?? false;
    this.#remoteAddr = options.remoteAddr ?? "?";
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    socket.binaryType = "arraybuffer";
    if (socket instanceof WsSocket) {
      // opendesk's own socket is open from the start and refuses bad frames itself (before
      // buffering them), saying why.
      this.#opened = Promise.resolve();
      socket.handlers = {
        message: (data) => this.#onData(data),
        violation: (code, reason) => this.abort(code, reason),
        close: (code, reason, wasClean) => this.#onClose({ code, reason, wasClean }),
      };
    } else {
      this.#opened = socket.readyState === WebSocket.OPEN
        ? Promise.resolve()
        : new Promise((resolve) =>
          socket.addEventListener("open", () => resolve(), { once: true })
        );
      socket.addEventListener("message", (ev) => this.#onData((ev as MessageEvent).data));
      socket.addEventListener("close", (ev) => this.#onClose(ev as CloseEvent));
      socket.addEventListener("error", (ev) => this.#onError(ev));
    }
    if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) {
      this.#fail(new ConnectionClosedError("Connection closed before it was used"));
    }
  }

  /**
   * Dials `url` and resolves once the WebSocket is open.
   * @param url a `ws://` URL
   * @param options limits, deadline and abort signal
   * @returns the open connection
   * @throws {ConnectionClosedError} when the connection cannot be opened
   */
  static async connect(
    url: string,
    options: WebSocketConnectOptions = {},
  ): Promise<WebSocketConnection> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
    try {
      const socket = await dialWsSocket(url, {
        timeoutMs,
        maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_FRAME_BYTES,
        signal: options.signal,
      });
      return new WebSocketConnection(socket, { remoteAddr: hostOf(url), ...options, client: true });
    } catch (cause) {
      throw new ConnectionClosedError(`Cannot connect to ${url}: ${errorText(cause)}`, { cause });
    }
  }

  /** Current state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The remote address given at construction (`"ip:port"`), or `"?"`. */
  get remoteAddr(): string {
    return this.#remoteAddr;
  }

  /** Largest accepted incoming message; raise it once the handshake is done. */
  get maxMessageBytes(): number {
    return this.#maxMessageBytes;
  }
  set maxMessageBytes(bytes: number) {
    if (!Number.isSafeInteger(bytes) || bytes <= 0) {
      throw new RangeError(
        `Cannot set the message size cap: expected a positive integer, received ${bytes}`,
      );
    }
    this.#maxMessageBytes = bytes;
    if (this.#socket instanceof WsSocket) this.#socket.maxMessageBytes = bytes;
  }

  /**
   * Says that the peer has authenticated: the listener's pre-authentication deadline and
   * connection limits no longer apply to this connection (idempotent).
   */
  markAuthenticated(): void {
    const callback = this.#onAuthenticated;
    this.#onAuthenticated = undefined;
    callback?.();
  }

  /** Bytes of received messages waiting for `receive()`. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Bytes handed to the socket and not yet written to the network. */
  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  /**
   * Sends one binary message, waiting first while the socket's buffer is above the high-water mark.
   * @throws {ConnectionClosedError} once the connection is closed
   */
  send(message: Uint8Array): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (
      !this.#pacing && this.#socket.readyState === WebSocket.OPEN &&
      // An upper bound of the socket's buffer (what it held when last asked plus everything sent
      // since) avoids asking it (a runtime call) before every small message.
      (this.#bufferedBound <= this.#highWater || this.#refreshBufferedBound() <= this.#highWater)
    ) {
      this.#socket.send(message);
      this.#bufferedBound += message.byteLength + FRAME_HEADER_ALLOWANCE;
      return Promise.resolve();
    }
    const next = this.#sendTail.then(() => this.#pacedSend(message));
    this.#sendTail = next.catch(() => {});
    return next;
  }

  #refreshBufferedBound(): number {
    this.#bufferedBound = this.#socket.bufferedAmount;
    return this.#bufferedBound;
  }

  async #pacedSend(message: Uint8Array): Promise<void> {
    this.#pacing = true;
    try {
      await this.#opened;
      while (!this.#error && this.#refreshBufferedBound() > this.#highWater) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      if (this.#error) throw this.#error;
      this.#socket.send(message);
      this.#bufferedBound += message.byteLength + FRAME_HEADER_ALLOWANCE;
    } finally {
      this.#pacing = false;
    }
  }

  /**
   * Receives the next message.
   * @throws {ConnectionClosedError} once the connection is closed and the queue is drained
   */
  receive(): Promise<Uint8Array> {
    if (this.#head < this.#queue.length) {
      const message = this.#queue[this.#head]!;
      this.#queue[this.#head++] = EMPTY;
      this.#queuedBytes -= message.length;
      if (this.#socket instanceof WsSocket && this.#queuedBytes <= this.#queueLimit() / 2) {
        this.#socket.resume();
      }
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      return Promise.resolve(message);
    }
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Closes the connection with code 1000 (idempotent). */
  close(reason = ""): void {
    if (this.#error) return;
    this.#dropQueue();
    const text = reason ? `Connection closed: ${reason}` : "Connection closed";
    this.#fail(new ConnectionClosedError(text));
    this.#closeSocket(CloseCode.NORMAL, reason);
  }

  /**
   * Closes the connection because the peer broke the protocol.
   * @param code a WebSocket close code (1003, 1009, …)
   * @param reason sent to the peer (cut to 123 bytes)
   */
  abort(code: number, reason: string): void {
    if (this.#error) return;
    this.#dropQueue();
    this.#fail(new ConnectionClosedError(`Connection closed: ${reason}`));
    this.#closeSocket(code, reason);
  }

  #closeSocket(code: number, reason: string): void {
    const cut = cutCloseReason(reason);
    if (this.#client && code !== CloseCode.NORMAL && (code < 3000 || code > 4999)) {
      code = 4000 + (code - 1000);
    }
    // A server-side socket whose upgrade has not completed yet ignores close() for good (the
    // connection then stays open forever, past every deadline): close it once it opens.
    const socket = this.#socket;
    if (socket instanceof WebSocket && socket.readyState === WebSocket.CONNECTING) {
      socket.addEventListener("open", () => this.#closeSocket(code, reason), { once: true });
      return;
    }
    try {
      this.#socket.close(code, cut);
    } catch {
      try {
        this.#socket.close();
      } catch {
        // The socket is already closed.
      }
    }
  }

  #dropQueue(): void {
    this.#queue = [];
    this.#head = 0;
    this.#queuedBytes = 0;
  }

  #queueLimit(): number {
    return Math.min(MAX_QUEUED_BYTES, 16 * this.#maxMessageBytes);
  }

  #onData(data: unknown): void {
    if (this.#error) return;
    if (!(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) {
      this.abort(
        CloseCode.UNSUPPORTED_DATA,
        "text frames are not allowed: opendesk speaks binary messages only",
      );
      return;
    }
    if (data.byteLength > this.#maxMessageBytes) {
      this.abort(
        CloseCode.TOO_BIG,
        `message of ${data.byteLength} bytes exceeds the limit of ${this.#maxMessageBytes} bytes`,
      );
      return;
    }
    const message = data instanceof Uint8Array ? data : new Uint8Array(data);
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve(message);
      return;
    }
    this.#queue.push(message);
    this.#queuedBytes += message.length;
    // opendesk's own socket stops reading while the queue is full: what a peer can make this
    // side hold stays bounded (16 messages of the current cap, at most 4 MiB, or one message).
    if (this.#socket instanceof WsSocket && this.#queuedBytes >= this.#queueLimit()) {
      this.#socket.pause();
    }
  }

  #onClose(ev: { code: number; reason: string; wasClean: boolean }): void {
    if (this.#error) return;
    const detail = ev.reason ? `: ${ev.reason}` : "";
    if (ev.code === CloseCode.NORMAL) {
      this.#fail(new ConnectionClosedError(`Connection closed by the peer${detail}`));
    } else if (!ev.wasClean || ev.code === 0 || ev.code === CloseCode.ABNORMAL) {
      this.#fail(new ConnectionClosedError("Connection lost: the peer went away without closing"));
    } else {
      this.#fail(
        new ConnectionClosedError(`Connection closed by the peer with code ${ev.code}${detail}`),
      );
    }
  }

  #onError(ev: Event): void {
    if (this.#error) return;
    const message = ev instanceof ErrorEvent && ev.message ? ev.message : "socket error";
    this.#fail(new ConnectionClosedError(`Connection lost: ${message}`));
    this.#closeSocket(CloseCode.NORMAL, "");
  }

  #fail(error: ConnectionClosedError): void {
    if (this.#error) return;
    this.#error = error;
    this.#state = "closed";
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
    this.#resolveClosed(error);
  }
}

const EMPTY = new Uint8Array(0);
/** Received bytes queued before the socket stops reading (see `#queueLimit`). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "?";
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
