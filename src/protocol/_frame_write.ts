/**
 * Pieces shared by the frame encoders: the constant msgpack prefixes of each
 * frame (keys in the reference's order) and checked writers for free maps
 * and ErrorInfo.
 *
 * @module
 */

import { isWireErrorCode } from "./errors.ts";
import { isWireMap } from "./frame.ts";
import type { ErrorInfoInit } from "./frame_codec.ts";
import type { MsgpackWriter } from "./_msgpack_writer.ts";

const ascii = new TextEncoder();
/** msgpack for a fixstr key (all frame keys are short ASCII). */
function key(name: string): Uint8Array {
  const bytes = ascii.encode(name);
  return Uint8Array.of(0xa0 | bytes.length, ...bytes);
}
function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => Array.from(part)));
}
function prefix(type: string, size: number): Uint8Array {
  return concat([0x80 | size], key("v"), [0x01], key("type"), key(type));
}

export const HELLO_PREFIX = concat(prefix("hello", 7), key("role"));
export const REQ_PREFIX = concat(prefix("req", 6), key("id"));
export const RES_PREFIX = concat(prefix("res", 7), key("id"));
export const CANCEL_PREFIX = concat(prefix("cancel", 4), key("id"));
export const PUSH_PREFIX = concat(prefix("push", 4), key("topic"));
export const K_PRINCIPAL = key("principal");
export const K_AUTH = key("auth");
export const K_CAPABILITIES = key("capabilities");
export const K_ERROR = key("error");
export const K_METHOD = key("method");
export const K_STREAM = key("stream");
export const K_PARAMS = key("params");
export const K_SEQ = key("seq");
export const K_END = key("end");
export const K_RESULT = key("result");
export const K_REASON = key("reason");
export const K_PAYLOAD = key("payload");
const ERROR_PREFIX = concat([0x83], key("code"));
const K_MESSAGE = key("message");
const K_DETAILS = key("details");

export function checkId(id: number, frame: string): void {
  if (!Number.isSafeInteger(id)) {
    throw new TypeError(`Cannot encode ${frame}: id must be a safe integer, got ${id}`);
  }
}

export function checkString(value: unknown, field: string, frame: string): void {
  if (typeof value !== "string") {
    throw new TypeError(`Cannot encode ${frame}: '${field}' must be a string`);
  }
}

export function writeMap(w: MsgpackWriter, value: unknown, field: string, frame: string): void {
  if (value === undefined) return w.mapHeader(0);
  if (!isWireMap(value) && !(value instanceof Map)) {
    throw new TypeError(`Cannot encode ${frame}: '${field}' must be a map`);
  }
  w.value(value, 2);
}

export function writeErrorInfo(
  w: MsgpackWriter,
  error: ErrorInfoInit | null | undefined,
  frame: string,
): void {
  if (error === null || error === undefined) return w.nil();
  if (!isWireErrorCode(error.code)) {
    throw new TypeError(`Cannot encode ${frame}: unknown error code '${String(error.code)}'`);
  }
  w.raw(ERROR_PREFIX);
  w.string(error.code);
  w.raw(K_MESSAGE);
  const message = error.message ?? "";
  checkString(message, "error.message", frame);
  w.string(message);
  w.raw(K_DETAILS);
  if (error.details === undefined) return w.mapHeader(0);
  if (!isWireMap(error.details)) {
    throw new TypeError(`Cannot encode ${frame}: 'error.details' must be a map`);
  }
  w.value(error.details, 3);
}
