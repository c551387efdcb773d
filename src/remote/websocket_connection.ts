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

/** Default TCP port of an opendesk server (protocol-v1 §3). */
export const DEFAULT_PORT = 8423;
/** Default cap on one WebSocket message once the handshake is done (H11). */
export const DEFAULT_MAX_FRAME_BYTES = 32 * 1024 * 1024;
/** Cap on one WebSocket message while handshaking (handshake messages are at most 109 bytes). */
export const HANDSHAKE_MAX_MESSAGE_BYTES = 1024;
/** Sends wait while more than this many bytes are queued in the socket. */
export const DEFAULT_SEND_HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Default deadline for opening a client WebSocket. */
export const DEFAULT_DIAL_TIMEOUT_MS = 5_000;

/** WebSocket close codes used by opendesk. */
export const CloseCode = {
  NORMAL: 1000,
  UNSUPPORTED_DATA: 1003,
  ABNORMAL: 1006,
  TOO_BIG: 1009,
} as const;

const MAX_CLOSE_REASON_BYTES = 123;
/** Counted per message on top of its payload, so the buffer bound covers frame headers too. */
const FRAME_HEADER_ALLOWANCE = 16;
const encoder = new TextEncoder();

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

/** Cuts a close reason to at most 123 UTF-8 bytes at a character boundary. */
export function cutCloseReason(reason: string): string {
  if (encoder.encode(reason).byteLength <= MAX_CLOSE_REASON_BYTES) return reason;
  let out = "";
  let bytes = 0;
  for (const ch of reason) {
    const size = encoder.encode(ch).byteLength;
    if (bytes + size > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
    bytes += size;
  }
  return out;
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
  #socket: WebSocket;
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
  #resolveClosed!: (e: ConnectionClosedError) => void;
  readonly closed: Promise<ConnectionClosedError>;

  /**
   * Wraps a WebSocket (open or still connecting).
   * @param socket the socket; its `binaryType` is set to `"arraybuffer"`
   * @param options limits and labels
   */
  constructor(socket: WebSocket, options: WebSocketConnectionOptions = {}) {
    this.#socket = socket;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#highWater = options.sendHighWaterBytes ?? DEFAULT_SEND_HIGH_WATER_BYTES;
    this.#client = options.client ?? false;
    this.#remoteAddr = options.remoteAddr ?? "?";
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    socket.binaryType = "arraybuffer";
    this.#opened = socket.readyState === WebSocket.OPEN
      ? Promise.resolve()
      : new Promise((resolve) => socket.addEventListener("open", () => resolve(), { once: true }));
    socket.addEventListener("message", (ev) => this.#onMessage(ev));
    socket.addEventListener("close", (ev) => this.#onClose(ev));
    socket.addEventListener("error", (ev) => this.#onError(ev));
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
  static connect(url: string, options: WebSocketConnectOptions = {}): Promise<WebSocketConnection> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url);
      } catch (cause) {
        reject(
          new ConnectionClosedError(`Cannot connect to ${url}: ${errorText(cause)}`, { cause }),
        );
        return;
      }
      socket.binaryType = "arraybuffer";
      let lastError = "";
      const finish = (error?: ConnectionClosedError): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        socket.removeEventListener("open", onOpen);
        socket.removeEventListener("error", onError);
        socket.removeEventListener("close", onClose);
        if (error) {
          if (socket.readyState !== WebSocket.CLOSED) socket.close();
          reject(error);
          return;
        }
        resolve(
          new WebSocketConnection(socket, { remoteAddr: hostOf(url), ...options, client: true }),
        );
      };
      const onOpen = (): void => finish();
      const onError = (ev: Event): void => {
        lastError = ev instanceof ErrorEvent ? ev.message : "connection failed";
      };
      const onClose = (): void =>
        finish(new ConnectionClosedError(`Cannot connect to ${url}: ${lastError || "refused"}`));
      const onAbort = (): void =>
        finish(new ConnectionClosedError(`Cannot connect to ${url}: aborted`));
      const timer = setTimeout(
        () =>
          finish(
            new ConnectionClosedError(`Cannot connect to ${url}: no answer within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      socket.addEventListener("open", onOpen);
      socket.addEventListener("error", onError);
      socket.addEventListener("close", onClose);
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener("abort", onAbort);
    });
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
    if (this.#socket.readyState === WebSocket.CONNECTING) {
      this.#socket.addEventListener("open", () => this.#closeSocket(code, reason), { once: true });
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
  }

  #onMessage(ev: MessageEvent): void {
    if (this.#error) return;
    const data: unknown = ev.data;
    if (!(data instanceof ArrayBuffer)) {
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
    const message = new Uint8Array(data);
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(message);
    else this.#queue.push(message);
  }

  #onClose(ev: CloseEvent): void {
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
