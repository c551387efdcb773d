/**
 * Tells "nothing is listening there" apart from other connect failures. The
 * WebSocket API reports every failed dial with the same text, so after a
 * failure the client opens one plain TCP connection to the same address: a
 * refusal there means no server runs on that port, which people can act on
 * at once (start `opendesk serve`), unlike a silent network.
 *
 * @module
 */

import type { ConnectionClosedError } from "../protocol/errors.ts";
import { ConnectionRefusedError } from "./connection_refused_error.ts";

/**
 * After a failed WebSocket dial: rethrows it as a
 * {@linkcode ConnectionRefusedError} when a plain TCP connect to the same
 * address is refused, or returns the original error otherwise.
 *
 * @param host The address that was dialled.
 * @param port The port that was dialled.
 * @param failure The error of the WebSocket dial.
 * @param timeoutMs Upper bound for the probe.
 */
export async function classifyDialFailure(
  host: string,
  port: number,
  failure: ConnectionClosedError,
  timeoutMs: number,
): Promise<ConnectionClosedError> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const probe = Deno.connect({ hostname: host, port }).then(
    (conn) => {
      conn.close();
      return failure;
    },
    (error) =>
      error instanceof Deno.errors.ConnectionRefused
        ? new ConnectionRefusedError(host, port, { cause: failure })
        : failure,
  );
  const deadline = new Promise<ConnectionClosedError>((resolve) => {
    timer = setTimeout(() => resolve(failure), timeoutMs);
  });
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** True for an address of this machine's loopback interface (no other machine can take it over). */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
