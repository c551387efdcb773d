/**
 * Reading the peer's HELLO (docs/protocol.md, "HELLO exchange and
 * ids"): exactly one message, within
 * a deadline, which must decode to a HELLO frame.
 *
 * @module
 */

import { decodeMsgpack } from "./codec.ts";
import type { Connection } from "./connection.ts";
import { ConnectionClosedError, RemoteError, TimeoutError } from "./errors.ts";
import type { HelloFrame } from "./frame.ts";
import type { Limits } from "./limits.ts";
import { parseFrame } from "./_frame_parse.ts";

/**
 * Reads one message and returns it as a HELLO frame (also when it carries an `error`).
 *
 * @throws {TimeoutError} when nothing arrived within `timeoutMs` (0 = no deadline)
 * @throws {ConnectionClosedError} when the connection closed first
 * @throws {RemoteError} code `protocol` for bad bytes or a frame other than HELLO
 */
export async function readHello(
  connection: Connection,
  limits: Readonly<Limits>,
  timeoutMs: number,
): Promise<HelloFrame> {
  const receiving = connection.receive();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let bytes: Uint8Array;
  try {
    bytes = timeoutMs === 0 ? await receiving : await Promise.race([
      receiving,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TimeoutError(`No HELLO from the peer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    receiving.catch(() => {}); // settles when the caller closes the connection
    if (error instanceof TimeoutError) throw error;
    throw new ConnectionClosedError("Peer closed before HELLO", { cause: error });
  } finally {
    clearTimeout(timer);
  }
  let outcome;
  try {
    outcome = parseFrame(decodeMsgpack(bytes, { limits, label: "HELLO" }));
  } catch (error) {
    throw new RemoteError("protocol", `Bad HELLO: ${(error as Error).message}`, {}, {
      cause: error,
    });
  }
  if (!outcome.ok) throw new RemoteError("protocol", `Bad HELLO: ${outcome.message}`);
  if (outcome.frame.type !== "hello") {
    throw new RemoteError("protocol", `Expected HELLO, got '${outcome.frame.type}'`);
  }
  return outcome.frame;
}
