/**
 * One WebSocket over a TCP connection whose HTTP upgrade is done, speaking
 * RFC 6455 framing itself so that it can enforce what the runtime's
 * WebSocket cannot: the message size cap is checked on the frame header,
 * before any payload is buffered (a 60 MiB claim against a 1 KiB cap costs
 * nothing), the cap can be raised after authentication beyond the runtime's
 * fixed 64 MiB, and a large payload is read straight into one buffer of
 * its exact size (memory stays about one frame per message in flight).
 *
 * It has the parts of the browser `WebSocket` API that `WebSocketConnection`
 * uses (`readyState`, `send`, `close`, `bufferedAmount`), and reports
 * messages, the close and refused frames through {@linkcode WsSocketHandlers}
 * (plain calls: an event object per message cost more than the rest of
 * receiving a small one).
 *
 * @module
 */

import { allocBytes } from "../protocol/byte_slab.ts";
import { applyMask, closePayload, concat, Opcode, parseFrameHeader } from "./_ws_frame.ts";
import { FrameWriter } from "./_ws_writer.ts";

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const MIN_READ_BYTES = 4 * 1024;
const MAX_READ_BYTES = 256 * 1024;
/** What a refused peer may still send while the server waits for its close. */
const DRAIN_BUDGET_BYTES = 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Options of {@linkcode WsSocket}. */
export interface WsSocketOptions {
  /** Servers expect masked frames and send unmasked ones; clients the other way round. */
  role: "server" | "client";
  /** Largest incoming message; a bigger one closes with 1009 before its payload is read. */
  maxMessageBytes: number;
  /**
   * Ping after this many seconds of silence and drop the peer when nothing arrives within as
   * many again; 0 turns it off.
   * @default {0}
   */
  idleTimeoutSeconds?: number;
  /** Bytes that arrived after the HTTP head (the start of the first frame). */
  initial?: Uint8Array;
  /**
   * How long a close waits for the peer's close frame before dropping the TCP connection.
   * @default {2000}
   */
  closeTimeoutMs?: number;
}

/** What a `WsSocket` tells its owner. */
export interface WsSocketHandlers {
  /** A whole message: bytes for a binary one, a string for a text one. */
  message(data: Uint8Array | string): void;
  /** The socket refused what the peer sent (or its deadline passed) and is closing with `code`. */
  violation(code: number, reason: string): void;
  /** The connection ended; `wasClean` when both sides exchanged close frames. */
  close(code: number, reason: string, wasClean: boolean): void;
}

const NO_HANDLERS: WsSocketHandlers = { message() {}, violation() {}, close() {} };

/** A WebSocket speaking RFC 6455 over a `Deno.Conn`. */
export class WsSocket {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  /** Accepted for API compatibility: binary messages always arrive as `Uint8Array`. */
  binaryType = "arraybuffer";
  readyState: number = OPEN;
  /** Largest incoming message; may be raised (after authentication) at any time. */
  maxMessageBytes: number;
  /** Receives messages and the end; set it right after construction. */
  handlers: WsSocketHandlers = NO_HANDLERS;
  #conn: Deno.Conn;
  #client: boolean;
  #writer: FrameWriter;
  #finished = false;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #closeTimeoutMs: number;
  #idleMs: number;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the unanswered ping was sent, or null. */
  #pingSentAt: number | null = null;
  #lastActivity = 0;
  #paused: { promise: Promise<void>; resolve(): void } | null = null;

  /**
   * Starts reading at once.
   * @param conn the TCP connection, upgraded
   * @param options role, cap and timers
   */
  constructor(conn: Deno.Conn, options: WsSocketOptions) {
    this.#conn = conn;
    // Every frame goes out when written: the writer already gathers bursts into one write, and
    // Nagle's algorithm would hold a small answer back until the previous one is acknowledged.
    if ("setNoDelay" in conn) {
      try {
        (conn as Deno.TcpConn).setNoDelay(true);
      } catch {
        // Already closed: the first read ends the socket.
      }
    }
    this.#client = options.role === "client";
    this.#writer = new FrameWriter(conn, this.#client, () => this.#finish(1006, "", false));
    this.maxMessageBytes = options.maxMessageBytes;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 2_000;
    this.#idleMs = (options.idleTimeoutSeconds ?? 0) * 1000;
    this.#armIdle();
    // Reading starts once the constructor's caller has set the handlers.
    const initial = options.initial ?? new Uint8Array(0);
    queueMicrotask(() => this.#readLoop(initial));
  }

  /** Bytes handed to `send()` and not yet written to the TCP connection. */
  get bufferedAmount(): number {
    return this.#writer.buffered;
  }

  /**
   * Stops delivering (and so reading) messages until `resume()`: the owner's queue is full.
   * The peer then meets TCP flow control, and a paused socket is not pinged as idle.
   */
  pause(): void {
    if (this.#paused !== null) return;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.#paused = { promise, resolve };
  }

  /** Delivers messages again after `pause()`. */
  resume(): void {
    const paused = this.#paused;
    this.#paused = null;
    paused?.resolve();
  }

  /** Sends one message (binary for bytes, text for a string); dropped once closing. */
  send(data: Uint8Array | string): void {
    if (this.readyState !== OPEN) return;
    const payload = typeof data === "string" ? encoder.encode(data) : data;
    this.#write(typeof data === "string" ? Opcode.TEXT : Opcode.BINARY, payload);
  }

  /**
   * Starts the closing handshake; the TCP connection ends when the peer answers or after
   * the close timeout.
   */
  close(code?: number, reason = ""): void {
    if (this.readyState !== OPEN) return;
    this.readyState = CLOSING;
    this.#write(Opcode.CLOSE, closePayload(code, reason));
    this.#closeTimer = setTimeout(
      () => this.#finish(code ?? 1005, reason, false),
      this.#closeTimeoutMs,
    );
  }

  /**
   * Sends a close frame and drops the TCP connection as soon as it is written, without waiting
   * for the peer's answer (for peers that get no more time, such as one past its deadline).
   */
  closeNow(code: number, reason: string): void {
    if (this.readyState === OPEN) {
      this.readyState = CLOSING;
      this.#write(Opcode.CLOSE, closePayload(code, reason));
    }
    this.handlers.violation(code, reason);
    this.#writer.idle().then(() => this.#finish(code, reason, false));
    this.#closeTimer ??= setTimeout(() => this.#finish(code, reason, false), this.#closeTimeoutMs);
  }

  /** Drops the TCP connection without a closing handshake. */
  terminate(): void {
    this.#finish(1006, "", false);
  }

  #write(opcode: number, payload: Uint8Array): void {
    if (!this.#finished) this.#writer.write(opcode, payload);
  }

  async #readLoop(initial: Uint8Array): Promise<void> {
    let chunk = new Uint8Array(Math.max(MIN_READ_BYTES, initial.length));
    chunk.set(initial);
    let start = 0;
    let end = initial.length;
    let fragments: Uint8Array[] = [];
    let fragmentBytes = 0;
    let fragmentOpcode = 0;
    // Messages delivered since the last read: answers to several are gathered into one write.
    let delivered = 0;
    try {
      while (!this.#finished) {
        if (this.#paused !== null) await this.#paused.promise;
        if (this.#finished) break;
        const header = parseFrameHeader(chunk.subarray(start, end));
        if (header === null) {
          // Compact, grow the read buffer along with the cap, and read more.
          const want = Math.min(MAX_READ_BYTES, Math.max(MIN_READ_BYTES, this.maxMessageBytes));
          if (chunk.length !== want && end - start <= want) {
            const next = new Uint8Array(want);
            next.set(chunk.subarray(start, end));
            chunk = next;
          } else if (start > 0) {
            chunk.copyWithin(0, start, end);
          }
          end -= start;
          start = 0;
          this.#writer.gather = delivered > 1;
          delivered = 0;
          const n = await this.#conn.read(chunk.subarray(end));
          if (n === null) break;
          this.#armIdle();
          end += n;
          continue;
        }
        const problem = this.#check(header, fragmentBytes, fragments.length > 0);
        if (problem !== null) {
          this.#protocolClose(problem.code, problem.reason);
          return;
        }
        start += header.headerBytes;
        // Small payloads come from a shared slab (one buffer per message costs more than reading
        // it); the slab is freed with the last message cut from it.
        const payload = allocBytes(header.length);
        const available = Math.min(end - start, header.length);
        payload.set(chunk.subarray(start, start + available));
        start += available;
        let filled = available;
        while (filled < header.length) {
          const n = await this.#conn.read(payload.subarray(filled));
          if (n === null) throw new Error("connection ended inside a frame");
          this.#armIdle();
          filled += n;
        }
        if (header.mask) applyMask(payload, header.mask);
        if (header.opcode >= Opcode.CLOSE) {
          this.#onControl(header.opcode, payload);
          continue;
        }
        if (header.opcode !== Opcode.CONTINUATION) fragmentOpcode = header.opcode;
        if (!header.fin) {
          fragments.push(payload);
          fragmentBytes += payload.length;
          continue;
        }
        let message: Uint8Array = payload;
        if (fragments.length > 0) {
          message = concat([...fragments, payload], fragmentBytes + payload.length);
          fragments = [];
          fragmentBytes = 0;
        }
        delivered++;
        if (!this.#deliver(fragmentOpcode, message)) return;
      }
    } catch {
      // A read error ends the connection like an EOF.
    }
    this.#finish(1006, "", false);
  }

  #check(
    header: NonNullable<ReturnType<typeof parseFrameHeader>>,
    fragmentBytes: number,
    inFragment: boolean,
  ): { code: number; reason: string } | null {
    if (header.reserved) return { code: 1002, reason: "reserved bits set" };
    if ((header.mask !== null) === this.#client) {
      return { code: 1002, reason: this.#client ? "masked frame" : "unmasked frame" };
    }
    if (header.opcode >= Opcode.CLOSE) {
      if (header.opcode > Opcode.PONG) return { code: 1002, reason: "unknown opcode" };
      if (!header.fin || header.length > 125) return { code: 1002, reason: "bad control frame" };
      return null;
    }
    if (header.opcode > Opcode.BINARY) return { code: 1002, reason: "unknown opcode" };
    if ((header.opcode === Opcode.CONTINUATION) !== inFragment) {
      return { code: 1002, reason: "unexpected continuation" };
    }
    const total = fragmentBytes + header.length;
    if (total > this.maxMessageBytes) {
      return {
        code: 1009,
        reason: `message of ${total} bytes exceeds the limit of ${this.maxMessageBytes} bytes`,
      };
    }
    return null;
  }

  #deliver(opcode: number, message: Uint8Array): boolean {
    let data: Uint8Array | string = message;
    if (opcode === Opcode.TEXT) {
      try {
        data = decoder.decode(message);
      } catch {
        this.#protocolClose(1007, "text frame is not UTF-8");
        return false;
      }
    }
    this.handlers.message(data);
    return !this.#finished;
  }

  #onControl(opcode: number, payload: Uint8Array): void {
    if (opcode === Opcode.PING) {
      if (this.readyState === OPEN) this.#write(Opcode.PONG, payload);
      return;
    }
    if (opcode === Opcode.PONG) return;
    const code = payload.length >= 2 ? (payload[0]! << 8) | payload[1]! : 1005;
    let reason = "";
    try {
      reason = decoder.decode(payload.subarray(2));
    } catch {
      reason = "";
    }
    if (this.readyState === OPEN) {
      this.readyState = CLOSING;
      this.#write(Opcode.CLOSE, payload.length >= 2 ? payload.subarray(0, 2) : new Uint8Array(0));
    }
    this.#writer.idle().then(() => this.#finish(code, reason, true));
  }

  /**
   * Tells the peer why, then reads and discards what it still sends (bounded in bytes and by
   * the close timeout) until it closes: closing with unread input would reset the connection
   * and the peer might never see the close code.
   */
  #protocolClose(code: number, reason: string): void {
    this.handlers.violation(code, reason);
    if (this.readyState === OPEN) {
      this.readyState = CLOSING;
      this.#write(Opcode.CLOSE, closePayload(code, reason));
    }
    this.#closeTimer ??= setTimeout(() => this.#finish(code, reason, false), this.#closeTimeoutMs);
    this.#writer.idle().then(() => this.#drain(code, reason));
  }

  async #drain(code: number, reason: string): Promise<void> {
    const sink = new Uint8Array(MIN_READ_BYTES);
    let budget = DRAIN_BUDGET_BYTES;
    try {
      while (!this.#finished && budget > 0) {
        const n = await this.#conn.read(sink);
        if (n === null) break;
        budget -= n;
      }
    } catch {
      // Ended by the timer or the peer.
    }
    this.#finish(code, reason, false);
  }

  /** Notes activity; the idle timer, armed once, checks the time of the last activity. */
  #armIdle(): void {
    if (this.#idleMs <= 0 || this.#finished) return;
    this.#lastActivity = Date.now();
    this.#idleTimer ??= setTimeout(() => this.#onIdle(), this.#idleMs);
  }

  #onIdle(): void {
    this.#idleTimer = undefined;
    if (this.#finished) return;
    const now = Date.now();
    if (this.#paused !== null) this.#lastActivity = now;
    if (this.#pingSentAt !== null) {
      // Anything that arrived since the ping (its pong included) shows the peer is alive.
      if (this.#lastActivity < this.#pingSentAt) {
        this.#finish(1006, "no pong", false);
        return;
      }
      this.#pingSentAt = null;
    }
    const quiet = now - this.#lastActivity;
    if (quiet < this.#idleMs) {
      this.#idleTimer = setTimeout(() => this.#onIdle(), this.#idleMs - quiet);
      return;
    }
    this.#pingSentAt = now;
    if (this.readyState === OPEN) this.#write(Opcode.PING, new Uint8Array(0));
    this.#idleTimer = setTimeout(() => this.#onIdle(), this.#idleMs);
  }

  #finish(code: number, reason: string, wasClean: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    this.readyState = CLOSED;
    this.resume();
    clearTimeout(this.#closeTimer);
    clearTimeout(this.#idleTimer);
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    this.handlers.close(code, reason, wasClean);
  }
}
