/**
 * The MCP stdio transport on Deno's own stdin/stdout. The SDK's
 * `StdioServerTransport` writes through Node's stream emulation, which
 * took about 30 ms to write a 1.3 MB screenshot message; this one frames
 * messages with the SDK's own `serializeMessage` / `ReadBuffer` (newline-
 * delimited JSON-RPC) and writes with `Deno.stdout` directly (about 2 ms).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** How long requests still running when stdin ends may take to answer. */
const DRAIN_MS = 30_000;

type Id = string | number;

/**
 * A server transport over this process's stdin and stdout. When stdin ends
 * (a client that wrote its requests and closed the pipe), the requests
 * already received are still answered, within a deadline, before closing.
 */
export class DenoStdioServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #buffer = new ReadBuffer();
  #writes: Promise<void> = Promise.resolve();
  #closed = false;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #pending = new Set<Id>();
  #drained: (() => void) | null = null;

  /** Starts reading stdin; ends (onclose) when stdin ends. */
  start(): Promise<void> {
    this.#reader = Deno.stdin.readable.getReader();
    const reader = this.#reader;
    (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          this.#buffer.append(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
          for (;;) {
            let message: JSONRPCMessage | null;
            try {
              message = this.#buffer.readMessage();
            } catch (error) {
              this.onerror?.(error as Error);
              continue;
            }
            if (message === null) break;
            if ("method" in message && "id" in message) this.#pending.add(message.id);
            this.onmessage?.(message);
          }
        }
      } catch (error) {
        if (!this.#closed) this.onerror?.(error as Error);
      }
      if (this.#pending.size > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          this.#drained = resolve;
          timer = setTimeout(resolve, DRAIN_MS);
        });
        clearTimeout(timer);
      }
      await this.close();
    })();
    return Promise.resolve();
  }

  /** Writes one message (in order with the others). */
  send(message: JSONRPCMessage): Promise<void> {
    const bytes = new TextEncoder().encode(serializeMessage(message));
    const answered = "id" in message && ("result" in message || "error" in message);
    const write = this.#writes.then(async () => {
      if (this.#closed) return;
      let at = 0;
      while (at < bytes.byteLength) at += await Deno.stdout.write(bytes.subarray(at));
      if (answered && this.#pending.delete(message.id as Id) && this.#pending.size === 0) {
        this.#drained?.();
      }
    });
    this.#writes = write.catch(() => {});
    return write;
  }

  /** Stops reading; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes;
    this.#reader?.cancel().catch(() => {});
    this.onclose?.();
  }
}
