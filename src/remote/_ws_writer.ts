/**
 * The sending half of `WsSocket`: frames queued by `send()` are written by
 * one loop, small consecutive frames coalesced into one write (a burst of
 * small messages costs one system call, not one each), large payloads
 * written from the caller's buffer without a copy on the server side and
 * masked through a reusable scratch buffer on the client side.
 *
 * @module
 */

import { setImmediate } from "node:timers";
import { applyMask, buildFrameHeader, frameHeaderBytes, writeFrameHeader } from "./_ws_frame.ts";

/** Payloads up to this size are copied next to their header and coalesced. */
const COALESCE_BYTES = 64 * 1024;
/** One coalesced write holds at most this many bytes. */
const BATCH_BYTES = 256 * 1024;
/**
 * A gathered write goes out once this many frames wait, without waiting for the rest of the
 * burst: the peer starts on them while this side still answers the others (both sides busy at
 * once, instead of taking turns with whole bursts).
 */
const GATHER_FRAMES = 16;
/** Coalesced payloads up to this size are masked while they are copied (one pass). */
const COPY_MASK_BYTES = 512;
/** Batches up to this size are built in one buffer the writer keeps and reuses. */
const REUSED_BATCH_BYTES = 16 * 1024;
/** Client payloads are masked through a scratch buffer of this size. */
const MASK_CHUNK_BYTES = 256 * 1024;

/** Masking keys are cut from a pool of random bytes refilled from the system's CSPRNG. */
const MASK_POOL_BYTES = 4096;
let maskPool = new Uint8Array(0);
let maskAt = 0;

/** Reserves the next 4 bytes of the mask pool; returns where they start in `maskPool`. */
function takeMask(): number {
  if (maskAt + 4 > maskPool.length) {
    maskPool = crypto.getRandomValues(new Uint8Array(MASK_POOL_BYTES));
    maskAt = 0;
  }
  maskAt += 4;
  return maskAt - 4;
}

function nextMask(): Uint8Array {
  const at = takeMask();
  return maskPool.subarray(at, at + 4);
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
  /** The reused batch buffer (written only while no write is in flight). */
  #batch: Uint8Array | null = null;
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

  /**
   * Set while the peer's frames arrive several per read: the answers to such a burst are then
   * gathered into one write, made once the work queued by the burst is done (one more turn of
   * the event loop), instead of the first answer going out alone and the rest behind it. A
   * lone frame is written at once.
   */
  gather = false;

  /** Ends the current gathering early (set while a gathered write waits). */
  #flushNow: (() => void) | null = null;

  /** Queues one frame. The payload must not change until it is written. */
  write(opcode: number, payload: Uint8Array): void {
    this.#pending.push({ opcode, payload });
    this.#buffered += payload.length;
    this.#running ??= this.#run(this.gather);
    if (this.#flushNow !== null && this.#pending.length - this.#head >= GATHER_FRAMES) {
      this.#flushNow();
    }
  }

  /** Resolves once everything queued so far is written (or writing failed). */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  async #run(gather: boolean): Promise<void> {
    try {
      if (gather) {
        await new Promise<void>((resolve) => {
          this.#flushNow = resolve;
          setImmediate(resolve);
        });
        this.#flushNow = null;
      }
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

  /** Writes the small frames at the head of the queue as one buffer, headers built in place. */
  async #writeBatch(): Promise<void> {
    const pending = this.#pending;
    let end = this.#head;
    let total = 0;
    let payloadBytes = 0;
    while (end < pending.length) {
      const length = pending[end]!.payload.length;
      if (length > COALESCE_BYTES) break;
      const size = frameHeaderBytes(length, this.#mask) + length;
      if (end > this.#head && total + size > BATCH_BYTES) break;
      total += size;
      payloadBytes += length;
      end++;
    }
    let out: Uint8Array;
    if (total <= REUSED_BATCH_BYTES) {
      this.#batch ??= new Uint8Array(REUSED_BATCH_BYTES);
      out = this.#batch.subarray(0, total);
    } else {
      out = new Uint8Array(total);
    }
    let at = 0;
    for (let i = this.#head; i < end; i++) {
      const { opcode, payload } = pending[i]!;
      if (!this.#mask) {
        at += writeFrameHeader(out, at, opcode, payload.length, null);
        out.set(payload, at);
      } else {
        const key = takeMask();
        const pool = maskPool;
        at += writeFrameHeader(out, at, opcode, payload.length, pool, key);
        if (payload.length <= COPY_MASK_BYTES) {
          _copyMasked(out, at, payload, pool, key);
        } else {
          out.set(payload, at);
          applyMask(out.subarray(at, at + payload.length), pool.subarray(key, key + 4));
        }
      }
      at += payload.length;
    }
    this.#head = end;
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

/** Copies `payload` into `out` at `at`, XORed with the 4-byte key at `pool[key]`. */
function _copyMasked(
  out: Uint8Array,
  at: number,
  payload: Uint8Array,
  pool: Uint8Array,
  key: number,
): void {
  const m0 = pool[key]!, m1 = pool[key + 1]!, m2 = pool[key + 2]!, m3 = pool[key + 3]!;
  const n = payload.length;
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    out[at + k] = payload[k]! ^ m0;
    out[at + k + 1] = payload[k + 1]! ^ m1;
    out[at + k + 2] = payload[k + 2]! ^ m2;
    out[at + k + 3] = payload[k + 3]! ^ m3;
  }
  if (k < n) out[at + k] = payload[k]! ^ m0;
  if (k + 1 < n) out[at + k + 1] = payload[k + 1]! ^ m1;
  if (k + 2 < n) out[at + k + 2] = payload[k + 2]! ^ m2;
}
