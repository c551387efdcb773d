/**
 * The client side of the WebSocket transport: TCP connect, the HTTP
 * upgrade, then RFC 6455 framing through {@linkcode WsSocket} (so that the
 * client, too, can receive messages beyond the runtime's 64 MiB limit).
 *
 * @module
 */

import { checkUpgradeResponse, readHttpHead, upgradeRequest } from "./_http_upgrade.ts";
import { WsSocket } from "./_ws_socket.ts";

const MAX_RESPONSE_HEAD_BYTES = 8 * 1024;

/** Options of {@linkcode dialWsSocket}. */
export interface DialWsSocketOptions {
  /** Deadline for the TCP connect and the upgrade. */
  timeoutMs: number;
  /** Largest incoming message at first. */
  maxMessageBytes: number;
  /** Aborts the dial. */
  signal?: AbortSignal | undefined;
}

/**
 * Opens a WebSocket to a `ws://` URL.
 * @throws {Error} with a message saying what failed (the caller wraps it)
 */
export async function dialWsSocket(url: string, options: DialWsSocketOptions): Promise<WsSocket> {
  const parsed = new URL(url);
  if (parsed.protocol !== "ws:") {
    throw new TypeError(`unsupported scheme '${parsed.protocol}': only ws:// is supported`);
  }
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = parsed.port === "" ? 80 : Number(parsed.port);
  let conn: Deno.Conn | undefined;
  let failure = "";
  let wake!: (value: null) => void;
  const stopped = new Promise<null>((resolve) => (wake = resolve));
  const stop = (why: string): void => {
    failure ||= why;
    wake(null);
    try {
      conn?.close();
    } catch {
      // Already closed.
    }
  };
  const timer = setTimeout(
    () => stop(`no answer within ${options.timeoutMs} ms`),
    options.timeoutMs,
  );
  const onAbort = (): void => stop("aborted");
  options.signal?.addEventListener("abort", onAbort);
  try {
    if (options.signal?.aborted) throw new Error("aborted");
    const connecting = Deno.connect({ hostname, port });
    // A connect cannot be cancelled: when the deadline passes first, close it once it opens.
    const opened = await Promise.race([connecting, stopped]);
    if (opened === null) {
      connecting.then((c) => c.close(), () => {});
      throw new Error(failure);
    }
    conn = opened;
    if (failure) throw new Error(failure);
    const request = upgradeRequest(parsed.host, `${parsed.pathname}${parsed.search}`);
    let written = 0;
    while (written < request.bytes.length) {
      written += await conn.write(request.bytes.subarray(written));
    }
    const read = await readHttpHead(conn, MAX_RESPONSE_HEAD_BYTES);
    if (read === null) throw new Error(failure || "the server closed the connection");
    const problem = checkUpgradeResponse(read.head, request.key);
    if (problem !== null) throw new Error(problem);
    return new WsSocket(conn, {
      role: "client",
      maxMessageBytes: options.maxMessageBytes,
      initial: read.rest,
    });
  } catch (error) {
    stop("failed");
    throw new Error(failure && failure !== "failed" ? failure : (error as Error).message, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
