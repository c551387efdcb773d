/**
 * The error of a dial that found nothing listening at the server's address.
 *
 * @module
 */

import { ConnectionClosedError } from "../protocol/errors.ts";

/** The server's address answered the connect with a refusal: nothing listens on that port. */
export class ConnectionRefusedError extends ConnectionClosedError {
  /** The address that refused. */
  readonly host: string;
  /** The port that refused. */
  readonly port: number;
  constructor(host: string, port: number, options?: ErrorOptions) {
    super(
      `nothing is listening on ${host.includes(":") ? `[${host}]` : host}:${port} — ` +
        "is `opendesk serve` running there?",
      options,
    );
    this.name = "ConnectionRefusedError";
    this.host = host;
    this.port = port;
  }
}
