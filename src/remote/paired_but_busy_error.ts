/**
 * Pairing succeeded (both machines now trust each other) but the server
 * refused the session that follows because another controller has one.
 *
 * @module
 */

import type { RemoteError } from "../protocol/errors.ts";

/** Paired, but the machine is busy with another controller's session right now. */
export class PairedButBusyError extends Error {
  /** The name the paired machine was saved under. */
  readonly savedName: string;
  /** The paired machine's static public key. */
  readonly serverKey: Uint8Array;
  /** Where it was reached. */
  readonly host: string;
  /** Its port. */
  readonly port: number;
  constructor(
    savedName: string,
    serverKey: Uint8Array,
    host: string,
    port: number,
    cause: RemoteError,
  ) {
    super(`Paired with ${host}:${port} as '${savedName}', but it is busy: ${cause.message}`, {
      cause,
    });
    this.name = "PairedButBusyError";
    this.savedName = savedName;
    this.serverKey = serverKey;
    this.host = host;
    this.port = port;
  }
}
