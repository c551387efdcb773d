/**
 * Reading and writing handshake messages with a deadline per step,
 * and the first-message peek the server routes on: pairing and serving share
 * one port, and the first message's `kind` picks the handshake.
 *
 * @module
 */

import type { Connection } from "../protocol/connection.ts";
import { ConnectionClosedError } from "../protocol/errors.ts";
import type { HandshakeKind } from "./constants.ts";
import { HandshakeError } from "./errors.ts";
import {
  decodeHandshakeMessage,
  encodeHandshakeMessage,
  type HandshakeMessage,
  type HandshakeMessageOf,
  peekHandshakeKind,
} from "./handshake_messages.ts";
import { DEFAULT_HANDSHAKE_STEP_TIMEOUT_MS } from "./tuning.ts";

/** A received handshake message whose kind is known but whose fields are not yet checked. */
export interface ReceivedHandshakeMessage {
  /** The message's `kind` (any string; route on it). */
  kind: string;
  /** The message exactly as received. */
  bytes: Uint8Array;
}

/** Options of {@linkcode readHandshakeMessage}. */
export interface ReadHandshakeMessageOptions {
  /**
   * Deadline for the message to arrive.
   * @default {DEFAULT_HANDSHAKE_STEP_TIMEOUT_MS}
   */
  timeoutMs?: number;
}

/**
 * Reads the first handshake message of a connection so the server can route
 * on its kind (`pair_hello` → pairing, `auth_hello` → auth). Checks the
 * first three receipt checks (unpacks, is a map, `v == 1`) and that `kind` is a string;
 * the handshake that takes the message checks the rest.
 *
 * @param conn the connection, straight after the transport opened
 * @param options the deadline
 * @returns the kind and the raw bytes, to pass as `firstMessage`
 * @throws {HandshakeError} `protocol` (malformed, closed) or `timeout`; the connection is closed then
 * @example Usage
 * ```ts ignore
 * const first = await readHandshakeMessage(conn);
 * if (first.kind === "auth_hello") await authServer(conn, { identity, isTrusted, firstMessage: first });
 * ```
 */
export async function readHandshakeMessage(
  conn: Connection,
  options: ReadHandshakeMessageOptions = {},
): Promise<ReceivedHandshakeMessage> {
  try {
    const bytes = await receiveWithin(conn, options.timeoutMs, "the first handshake message");
    return { kind: peekHandshakeKind(bytes), bytes };
  } catch (error) {
    conn.close("handshake failed");
    throw error;
  }
}

/**
 * Receives the next handshake message of kind `expected` within the step deadline.
 * @throws {HandshakeError} `protocol` (malformed, wrong kind, peer closed) or `timeout`
 */
export async function receiveHandshakeMessage<K extends HandshakeKind>(
  conn: Connection,
  expected: K,
  timeoutMs: number | undefined,
): Promise<HandshakeMessageOf<K>> {
  const bytes = await receiveWithin(conn, timeoutMs, expected);
  return decodeHandshakeMessage(bytes, expected);
}

/**
 * Sends one handshake message.
 * @throws {HandshakeError} `protocol` when the connection is already closed
 */
export async function sendHandshakeMessage(
  conn: Connection,
  message: HandshakeMessage,
): Promise<void> {
  try {
    await conn.send(encodeHandshakeMessage(message));
  } catch (error) {
    if (error instanceof ConnectionClosedError) {
      throw new HandshakeError(
        "protocol",
        `Handshake failed: the connection to ${conn.remoteAddr} closed before ${message.kind} could be sent`,
        { cause: error },
      );
    }
    throw error;
  }
}

async function receiveWithin(
  conn: Connection,
  timeoutMs: number | undefined,
  what: string,
): Promise<Uint8Array> {
  const ms = timeoutMs ?? DEFAULT_HANDSHAKE_STEP_TIMEOUT_MS;
  const receiving = conn.receive();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new HandshakeError(
          "timeout",
          `Handshake timed out: no ${what} from ${conn.remoteAddr} within ${formatMs(ms)}`,
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([receiving, deadline]);
  } catch (error) {
    if (error instanceof ConnectionClosedError) {
      throw new HandshakeError(
        "protocol",
        `Handshake failed: ${conn.remoteAddr} closed the connection while ${what} was expected`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
    // After a timeout the receive is still pending; closing the connection settles it.
    receiving.catch(() => {});
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
