/**
 * The answering side of a peer: runs inbound REQs on the `RequestHandler`
 * and guarantees exactly one final RES per REQ (H6), with a cap on requests
 * in flight (F11), cancellation through the request's `AbortSignal` (§7.6)
 * and stream items pulled only after the previous item was sent.
 *
 * @module
 */

import { FrameTooLargeError, RemoteError, TimeoutError } from "./errors.ts";
import type { ErrorInfoInit } from "./frame_codec.ts";
import { encodeRes } from "./frame_codec.ts";
import type { ReqFrame } from "./frame.ts";
import type { RequestContext, RequestHandler, WireMap } from "./handler.ts";
import type { Limits } from "./limits.ts";

/** What the inbound table needs from its peer. */
export interface InboundHost {
  send(bytes: Uint8Array): Promise<void>;
  readonly limits: Readonly<Limits>;
  report(error: unknown, context: string): void;
}

interface Entry {
  readonly controller: AbortController;
  readonly method: string;
  /** Data frames sent so far (the final RES carries this as `seq`). */
  seq: number;
  /** Set once the final RES was sent (or the session closed): nothing more goes out. */
  finished: boolean;
  /** Size of the REQ frame when it counts toward the large-request budget, else 0. */
  readonly largeBytes: number;
  /** Cancelled (answered `cancelled`) while its handler still runs. */
  cancelled: boolean;
}

/**
 * Cancelled requests whose handlers have not settled yet may number this many
 * times the in-flight limit: they were answered and are winding down, so they
 * do not take a caller's slot, but a flood of REQ + CANCEL stays bounded.
 */
export const CANCELLED_BACKLOG_FACTOR = 4;

/** REQ frames above this size count toward the budget of large request data in flight. */
export const LARGE_REQUEST_BYTES = 1024 * 1024;

function ignore(): void {}

const CANCELLED: ErrorInfoInit = { code: "cancelled", message: "cancelled", details: {} };

/** Inbound requests of one session, by id. */
export class InboundRequests {
  #host: InboundHost;
  #handler: RequestHandler | undefined;
  #maxInFlight: number;
  #entries = new Map<number, Entry>();
  #largeBytes = 0;
  #cancelledRunning = 0;

  constructor(host: InboundHost, handler: RequestHandler | undefined, maxInFlight: number) {
    this.#host = host;
    this.#handler = handler;
    this.#maxInFlight = maxInFlight;
  }

  /** Bytes of large REQ frames whose handlers are running. */
  get largeBytesInFlight(): number {
    return this.#largeBytes;
  }

  /** Requests whose handler has not settled yet (cancelled ones included; see accept()). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Starts handling a REQ, or answers it at once when it cannot run.
   * @param frame the request
   * @param frameBytes the size of its frame: large frames (a whole file in `fs.write`) run
   *   while their total stays within one frame limit, so that the request data held at once
   *   is bounded by about one frame (one large request always runs)
   */
  accept(frame: ReqFrame, frameBytes = 0): void {
    const { id, method } = frame;
    if (this.#entries.has(id)) {
      return this.#answer(id, 0, {
        code: "invalid_argument",
        message: `Request id ${id} is already in flight`,
      });
    }
    if (this.#entries.size - this.#cancelledRunning >= this.#maxInFlight) {
      return this.#answer(id, 0, {
        code: "busy",
        message: `Too many requests in flight: the limit is ${this.#maxInFlight}`,
      });
    }
    if (this.#cancelledRunning >= this.#maxInFlight * CANCELLED_BACKLOG_FACTOR) {
      return this.#answer(id, 0, {
        code: "busy",
        message:
          `Too many cancelled requests are still winding down (${this.#cancelledRunning}); ` +
          "wait for them to finish",
      });
    }
    const largeBytes = frameBytes > LARGE_REQUEST_BYTES ? frameBytes : 0;
    const budget = this.#host.limits.maxFrameBytes;
    if (largeBytes > 0 && this.#largeBytes > 0 && this.#largeBytes + largeBytes > budget) {
      return this.#answer(id, 0, {
        code: "busy",
        message: `Too much request data in flight: ${this.#largeBytes} bytes of large ` +
          `requests are running and this one adds ${largeBytes}, over the limit of ${budget}; ` +
          "wait for them to finish",
      });
    }
    const handler = this.#handler;
    if (handler === undefined) {
      return this.#answer(id, 0, { code: "internal", message: "no dispatcher registered" });
    }
    const entry: Entry = {
      controller: new AbortController(),
      method,
      seq: 0,
      finished: false,
      largeBytes,
      cancelled: false,
    };
    this.#entries.set(id, entry);
    this.#largeBytes += largeBytes;
    const ctx: RequestContext = { id, method, signal: entry.controller.signal };
    if (frame.stream) this.#runStream(handler, frame.params, ctx, entry);
    else this.#runCall(handler, frame.params, ctx, entry);
  }

  #release(id: number): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#largeBytes -= entry.largeBytes;
    if (entry.cancelled) this.#cancelledRunning--;
  }

  /** Answers a malformed REQ whose id could be read (H7). */
  rejectInvalid(id: number, message: string): void {
    this.#answer(id, 0, { code: "invalid_argument", message });
  }

  /** Cancels a running request: aborts its signal and sends the one `cancelled` RES. */
  cancel(id: number): void {
    const entry = this.#entries.get(id);
    if (entry === undefined || entry.finished) return;
    entry.finished = true;
    entry.cancelled = true;
    this.#cancelledRunning++;
    entry.controller.abort(new RemoteError("cancelled", "cancelled"));
    this.#answer(id, entry.seq, CANCELLED);
  }

  /** The session closed: abort every handler; no RES goes out any more. */
  abortAll(reason: Error): void {
    for (const entry of this.#entries.values()) {
      entry.finished = true;
      entry.controller.abort(reason);
    }
  }

  async #runCall(
    handler: RequestHandler,
    params: WireMap,
    ctx: RequestContext,
    entry: Entry,
  ): Promise<void> {
    let result: WireMap | null | undefined;
    try {
      result = await handler.call(ctx.method, params, ctx);
    } catch (error) {
      this.#release(ctx.id);
      if (entry.finished) return;
      entry.finished = true;
      return this.#sendFinal(ctx, entry.seq, undefined, this.#errorInfo(error, ctx));
    }
    this.#release(ctx.id);
    if (entry.finished) return;
    entry.finished = true;
    this.#sendFinal(ctx, 0, result ?? null, undefined);
  }

  async #runStream(
    handler: RequestHandler,
    params: WireMap,
    ctx: RequestContext,
    entry: Entry,
  ): Promise<void> {
    let iterator: AsyncIterator<WireMap> | undefined;
    let exhausted = false;
    try {
      iterator = handler.stream(ctx.method, params, ctx)[Symbol.asyncIterator]();
      for (;;) {
        const step = await iterator.next();
        if (step.done === true) {
          exhausted = true;
          break;
        }
        if (entry.finished) break;
        let bytes: Uint8Array;
        try {
          bytes = encodeRes(
            { id: ctx.id, seq: entry.seq, end: false, result: step.value },
            { limits: this.#host.limits },
          );
        } catch (encodeError) {
          entry.finished = true;
          this.#sendFinal(ctx, entry.seq, undefined, this.#encodeFailure(encodeError, ctx));
          break;
        }
        entry.seq++;
        await this.#host.send(bytes);
        if (entry.finished) break;
      }
      if (!entry.finished) {
        entry.finished = true;
        this.#sendFinal(ctx, entry.seq, null, undefined);
      }
    } catch (error) {
      if (!entry.finished) {
        entry.finished = true;
        this.#sendFinal(ctx, entry.seq, undefined, this.#errorInfo(error, ctx));
      }
    } finally {
      this.#release(ctx.id);
      if (iterator !== undefined && !exhausted && iterator.return !== undefined) {
        // Not awaited: a generator suspended in an `await` finishes return() only after it resumes.
        Promise.resolve()
          .then(() => iterator!.return!())
          .catch((error) => this.#host.report(error, `closing stream '${ctx.method}'`));
      }
    }
  }

  #errorInfo(error: unknown, ctx: RequestContext): ErrorInfoInit {
    if (ctx.signal.aborted) return CANCELLED;
    if (error instanceof RemoteError) {
      // §6: `protocol` in a RES makes a reference client reconnect and replay; it is reserved
      // for real wire violations, so a handler's (e.g. relayed) protocol error goes out as internal.
      const info = error.toWire() as ErrorInfoInit;
      return info.code === "protocol" ? { ...info, code: "internal" } : info;
    }
    if (error instanceof TimeoutError) return { code: "timeout", message: error.message };
    this.#host.report(error, `handling '${ctx.method}'`);
    const kind = error instanceof Error ? error.name : typeof error;
    return { code: "internal", message: `Internal error while handling '${ctx.method}' (${kind})` };
  }

  /**
   * Queues the final RES; a result that cannot be encoded becomes an error RES
   * instead. A failed send is ignored: it means the session closed, and the
   * caller already failed with ConnectionClosedError.
   */
  #sendFinal(
    ctx: Pick<RequestContext, "id" | "method">,
    seq: number,
    result: WireMap | null | undefined,
    error: ErrorInfoInit | undefined,
  ): void {
    const id = ctx.id;
    let bytes: Uint8Array;
    try {
      bytes = encodeRes({ id, seq, end: true, result: result ?? null, error: error ?? null }, {
        limits: this.#host.limits,
      });
    } catch (encodeError) {
      bytes = encodeRes({ id, seq, end: true, error: this.#encodeFailure(encodeError, ctx) });
    }
    this.#host.send(bytes).catch(ignore);
  }

  #encodeFailure(error: unknown, ctx: Pick<RequestContext, "id" | "method">): ErrorInfoInit {
    if (error instanceof FrameTooLargeError) {
      return {
        code: "invalid_argument",
        message: `The result of '${ctx.method}' is ${error.size} bytes, over the frame limit ` +
          `of ${error.limit} bytes: ask for less (for files, read them in parts)`,
        details: { size: error.size, limit: error.limit },
      };
    }
    this.#host.report(error, `encoding the result of '${ctx.method}'`);
    const message = error instanceof Error ? error.message : String(error);
    return { code: "internal", message: `Cannot send the result of '${ctx.method}': ${message}` };
  }

  #answer(id: number, seq: number, error: ErrorInfoInit): void {
    this.#sendFinal({ id, method: "" }, seq, undefined, error);
  }
}
