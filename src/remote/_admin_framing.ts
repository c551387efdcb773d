/**
 * Admin IPC framing (protocol-v1 §13), the single place that documents it:
 *
 * - Transport: a Unix socket at `<home>/admin.sock` (same user only: the home
 *   directory is 0700 and the socket 0600).
 * - Each direction carries exactly one message: a 4-byte big-endian length,
 *   then a msgpack map of that many bytes (bytes as bin).
 * - One request and one response per connection; the server then closes it.
 * - Requests: `{op: "list"}`, `{op: "kill", id, reason?}`, `{op: "kill_all", reason?}`
 *   (reference ops), and opendesk's `{op: "pair"}` and `{op: "status"}`.
 * - Responses always carry `ok`; failures carry `error` text.
 *
 * @module
 */

import { decodeMsgpack, encodeMsgpack } from "../protocol/codec.ts";
import { CodecError } from "../protocol/errors.ts";
import { DEFAULT_LIMITS, type Limits } from "../protocol/limits.ts";

/** Largest admin message accepted in either direction. */
export const ADMIN_MAX_MESSAGE_BYTES = 1024 * 1024;
/** Deadline for reading one admin message. */
export const ADMIN_IO_TIMEOUT_MS = 5_000;

/** Limits of the one msgpack codec for admin messages. */
const ADMIN_LIMITS: Readonly<Limits> = Object.freeze({
  ...DEFAULT_LIMITS,
  maxFrameBytes: ADMIN_MAX_MESSAGE_BYTES,
  maxStringBytes: ADMIN_MAX_MESSAGE_BYTES,
  maxBinaryBytes: ADMIN_MAX_MESSAGE_BYTES,
});

/** A msgpack map as exchanged on the admin socket. */
export type AdminMessage = Record<string, unknown>;

/**
 * Writes one framed message.
 * @param conn the socket
 * @param message a map
 */
export async function writeAdminMessage(conn: Deno.Conn, message: AdminMessage): Promise<void> {
  const body = encodeMsgpack(message, { limits: ADMIN_LIMITS, label: "admin message" });
  const frame = new Uint8Array(4 + body.byteLength);
  new DataView(frame.buffer).setUint32(0, body.byteLength, false);
  frame.set(body, 4);
  let written = 0;
  while (written < frame.byteLength) written += await conn.write(frame.subarray(written));
}

/**
 * Reads one framed message within `timeoutMs`.
 * @param conn the socket
 * @param timeoutMs deadline for the whole message
 * @returns the decoded map
 * @throws {RangeError} when the length exceeds {@linkcode ADMIN_MAX_MESSAGE_BYTES}
 * @throws {SyntaxError} when the body is not a msgpack map, or the peer closed early
 */
export async function readAdminMessage(
  conn: Deno.Conn,
  timeoutMs = ADMIN_IO_TIMEOUT_MS,
): Promise<AdminMessage> {
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }, timeoutMs);
  try {
    const header = await readExactly(conn, 4, timeoutMs);
    const length = new DataView(header.buffer).getUint32(0, false);
    if (length > ADMIN_MAX_MESSAGE_BYTES) {
      throw new RangeError(
        `Admin message of ${length} bytes exceeds the limit of ${ADMIN_MAX_MESSAGE_BYTES} bytes`,
      );
    }
    const body = await readExactly(conn, length, timeoutMs);
    try {
      return decodeMsgpack(body, { limits: ADMIN_LIMITS, label: "admin message" });
    } catch (cause) {
      if (!(cause instanceof CodecError)) throw cause;
      if (/: expected map, received (int|float|str|bin|array|nil|bool)$/.test(cause.message)) {
        throw new SyntaxError("Cannot decode admin message: expected a map", { cause });
      }
      throw new SyntaxError(`Cannot decode admin message: not msgpack (${cause.message})`, {
        cause,
      });
    }
  } finally {
    clearTimeout(timer);
  }
}

async function readExactly(conn: Deno.Conn, n: number, timeoutMs: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let read = 0;
  while (read < n) {
    let got: number | null;
    try {
      got = await conn.read(buf.subarray(read));
    } catch (cause) {
      throw new SyntaxError(
        `Cannot read admin message: connection closed (or no data within ${timeoutMs} ms)`,
        { cause },
      );
    }
    if (got === null) {
      throw new SyntaxError("Cannot read admin message: the other side closed before the end");
    }
    read += got;
  }
  return buf;
}
