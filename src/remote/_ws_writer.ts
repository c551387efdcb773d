/**
 * The sending half of `WsSocket`: frames queued by `send()` are written by
 * one loop, small consecutive frames coalesced into one write (a burst of
 * small messages costs one system call, not one each), large payloads
 * written from the caller's buffer without a copy on the server side and
 * masked through a reusable scratch buffer on the client side.
 *
 * @module
 */

import { applyMask, buildFrameHeader } from "./_ws_frame.ts";

/** Payloads up to this size are copied next to their header and coalesced. */
const COALESCE_BYTES = 64 * 1024;
/** One coalesced write holds at most this many bytes. */
const BATCH_BYTES = 256 * 1024;
/** Client payloads are masked through a scratch buffer of this size. */
const MASK_CHUNK_BYTES = 256 * 1024;

/** Masking keys are cut from a pool of random bytes refilled from the system's CSPRNG. */
const MASK_POOL_BYTES = 4096;
let maskPool = new Uint8Array(0);
let maskAt = 0;

function nextMask(): Uint8Array {
  if (maskAt + 4 > maskPool.length) {
    maskPool = crypto.getRandomValues(new Uint8Array(MASK_POOL_BYTES));
    maskAt = 0;
  }
  maskAt += 4;
  return maskPool.subarray(maskAt - 4, maskAt);
}

interface Pending {
  opcode: number;
  payload: Uint8Array;
}

/** Writes frames to a connection in order. */
export class FrameWriter {
  #conn: Deno.Conn;
  #mask: boolean;
  #pending: Pending[] = [];
  #head = 0;
  #buffered = 0;
  #running: Promise<void> | null = null;
  #onError: (error: unknown) => void;

  /**
   * @param conn where to write
   * @param mask true on the client side (every frame masked with a fresh key)
   * @param onError told once when a write fails (the connection is then unusable)
   */
  constructor(conn: Deno.Conn, mask: boolean, onError: (error: unknown) => void) {
    this.#conn = conn;
    this.#mask = mask;
    this.#onError = onError;
  }

  /** Payload bytes queued and not yet written. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Queues one frame. The payload must not change until it is written. */
  write(opcode: number, payload: Uint8Array): void {
    this.#pending.push({ opcode, payload });
    this.#buffered += payload.length;
    this.#running ??= this.#run();
  }

  /** Resolves once everything queued so far is written (or writing failed). */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  async #run(): Promise<void> {
    try {
      while (this.#head < this.#pending.length) {
        const first = this.#pending[this.#head]!;
        if (first.payload.length > COALESCE_BYTES) {
          this.#head++;
          await this.#writeLarge(first);
          this.#buffered -= first.payload.length;
        } else {
          await this.#writeBatch();
        }
        if (this.#head === this.#pending.length) {
          this.#pending = [];
          this.#head = 0;
        }
      }
    } catch (error) {
      this.#pending = [];
      this.#head = 0;
      this.#buffered = 0;
      this.#onError(error);
    } finally {
      this.#running = null;
    }
  }

  /** Writes the small frames at the head of the queue as one buffer. */
  async #writeBatch(): Promise<void> {
    const frames: { header: Uint8Array; payload: Uint8Array; mask: Uint8Array | null }[] = [];
    let total = 0;
    let payloadBytes = 0;
    while (this.#head < this.#pending.length) {
      const { opcode, payload } = this.#pending[this.#head]!;
      if (payload.length > COALESCE_BYTES) break;
      const mask = this.#mask ? nextMask() : null;
      const header = buildFrameHeader(opcode, payload.length, mask);
      if (frames.length > 0 && total + header.length + payload.length > BATCH_BYTES) break;
      frames.push({ header, payload, mask });
      total += header.length + payload.length;
      payloadBytes += payload.length;
      this.#head++;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const { header, payload, mask } of frames) {
      out.set(header, at);
      at += header.length;
      out.set(payload, at);
      if (mask) applyMask(out.subarray(at, at + payload.length), mask);
      at += payload.length;
    }
    await writeAll(this.#conn, out);
    this.#buffered -= payloadBytes;
  }

  async #writeLarge({ opcode, payload }: Pending): Promise<void> {
    const mask = this.#mask ? nextMask() : null;
    await writeAll(this.#conn, buildFrameHeader(opcode, payload.length, mask));
    if (!mask) {
      await writeAll(this.#conn, payload);
      return;
    }
    const scratch = new Uint8Array(MASK_CHUNK_BYTES);
    for (let at = 0; at < payload.length; at += MASK_CHUNK_BYTES) {
      const piece = payload.subarray(at, at + MASK_CHUNK_BYTES);
      const out = scratch.subarray(0, piece.length);
      out.set(piece);
      applyMask(out, mask, at);
      await writeAll(this.#conn, out);
    }
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}
