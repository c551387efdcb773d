/**
 * Checks that the server's port is free before anything else starts (a
 * virtual display, the backend), so a busy port fails at once and leaves
 * nothing behind.
 *
 * @module
 */

import { CommandError } from "../errors.ts";

/**
 * Fails when `host:port` cannot be listened on. Port 0 (any free port) always passes.
 *
 * @param host The address `serve` will listen on.
 * @param port The port it will listen on.
 * @throws {CommandError} naming the port and what to do
 */
export function assertPortFree(host: string, port: number): void {
  if (port === 0) return;
  let listener: Deno.Listener | undefined;
  try {
    listener = Deno.listen({ hostname: host, port, transport: "tcp" });
  } catch (error) {
    throw portError(error, port);
  } finally {
    listener?.close();
  }
}

/** The message for a port the server cannot listen on. */
export function portError(error: unknown, port: number): Error {
  if (error instanceof Deno.errors.AddrInUse) {
    return new CommandError(
      `Cannot listen on port ${port}: it is in use (is another \`opendesk serve\` running?); ` +
        "stop it or pick another port with --port",
      1,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new CommandError(
      `Cannot listen on port ${port}: permission denied (ports below 1024 need privileges); ` +
        "pick another port with --port",
      1,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new CommandError(
      `Cannot listen on that address: it is not an address of this machine; check --host`,
      1,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
