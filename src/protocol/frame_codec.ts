/**
 * Byte-level frame encoding and decoding.
 *
 * The encoders emit exactly the reference's keys in the reference's order,
 * every key present, nil for absent values (docs/protocol.md, "Frames"), so a
 * reference peer accepts every frame opendesk sends.
 *
 * @module
 */

import { decodeMsgpack, type DecodeMsgpackOptions } from "./codec.ts";
import { CodecError, type WireErrorCode } from "./errors.ts";
import { type Frame, isWireMap } from "./frame.ts";
import type { WireMap } from "./handler.ts";
import { DEFAULT_LIMITS, type Limits } from "./limits.ts";
import { writeMessage } from "./_write_message.ts";
import {
  CANCEL_PREFIX,
  checkId,
  checkString,
  HELLO_PREFIX,
  K_AUTH,
  K_CAPABILITIES,
  K_END,
  K_ERROR,
  K_METHOD,
  K_PARAMS,
  K_PAYLOAD,
  K_PRINCIPAL,
  K_REASON,
  K_RESULT,
  K_SEQ,
  K_STREAM,
  PUSH_PREFIX,
  REQ_PREFIX,
  RES_PREFIX,
  writeErrorInfo,
  writeMap,
} from "./_frame_write.ts";
import { parseFrame } from "./_frame_parse.ts";

/** An ErrorInfo to send; `message` defaults to `""` and `details` to `{}`. */
export interface ErrorInfoInit {
  code: WireErrorCode;
  message?: string;
  details?: WireMap;
}

/** Fields of a HELLO to send. */
export interface HelloInit {
  role: "client" | "server";
  /** @default {""} */
  principal?: string;
  /** @default {{}} */
  auth?: WireMap;
  /** @default {{}} */
  capabilities?: WireMap;
  /** @default {null} */
  error?: ErrorInfoInit | null;
}

/** Fields of a REQ to send. */
export interface ReqInit {
  id: number;
  method: string;
  /** @default {false} */
  stream?: boolean;
  /** @default {{}} */
  params?: WireMap;
}

/** Fields of a RES to send. */
export interface ResInit {
  id: number;
  /** @default {0} */
  seq?: number;
  /** @default {true} */
  end?: boolean;
  /** @default {null} */
  result?: WireMap | null;
  /** @default {null} */
  error?: ErrorInfoInit | null;
}

/** Fields of a CANCEL to send. */
export interface CancelInit {
  id: number;
  /** @default {""} */
  reason?: string;
}

/** Fields of a PUSH to send. */
export interface PushInit {
  topic: string;
  /** @default {{}} */
  payload?: WireMap;
}

/** Options of the frame encoders. */
export interface EncodeFrameOptions {
  /**
   * Limits to enforce (`maxFrameBytes` on the result, `maxDepth` on nesting).
   * @default {DEFAULT_LIMITS}
   */
  limits?: Readonly<Limits>;
}

/** Options of {@linkcode decodeFrame}. */
export type DecodeFrameOptions = Omit<DecodeMsgpackOptions, "label">;

/**
 * Encodes a HELLO: `v, type, role, principal, auth, capabilities, error`.
 *
 * @param init The fields; absent ones take their defaults.
 * @param options Limits.
 * @returns The frame's bytes.
 * @throws {TypeError} for a wrong field type or an error code outside the closed set
 * @throws {CodecError} for unencodable values or a frame over `maxFrameBytes`
 *
 * @example Usage
 * ```ts
 * import { encodeHello } from "./frame_codec.ts";
 * console.log(encodeHello({ role: "client" }).length); // 65
 * ```
 */
export function encodeHello(init: HelloInit, options: EncodeFrameOptions = {}): Uint8Array {
  if (init.role !== "client" && init.role !== "server") {
    throw new TypeError(`Cannot encode HELLO: 'role' must be "client" or "server"`);
  }
  return writeMessage(
    (w) => {
      w.raw(HELLO_PREFIX);
      w.string(init.role);
      w.raw(K_PRINCIPAL);
      const principal = init.principal ?? "";
      checkString(principal, "principal", "HELLO");
      w.string(principal);
      w.raw(K_AUTH);
      writeMap(w, init.auth, "auth", "HELLO");
      w.raw(K_CAPABILITIES);
      writeMap(w, init.capabilities, "capabilities", "HELLO");
      w.raw(K_ERROR);
      writeErrorInfo(w, init.error, "HELLO");
    },
    options.limits ?? DEFAULT_LIMITS,
    "HELLO",
  );
}

/**
 * Encodes a REQ: `v, type, id, method, stream, params`.
 *
 * @param init The fields; absent ones take their defaults.
 * @param options Limits.
 * @returns The frame's bytes.
 * @throws {TypeError} for a wrong field type
 * @throws {CodecError} for unencodable params or a frame over `maxFrameBytes`
 *
 * @example Usage
 * ```ts
 * import { encodeReq } from "./frame_codec.ts";
 * console.log(encodeReq({ id: 1, method: "display.cursor_position" }).length); // 64
 * ```
 */
export function encodeReq(init: ReqInit, options: EncodeFrameOptions = {}): Uint8Array {
  checkId(init.id, "REQ");
  checkString(init.method, "method", "REQ");
  return writeMessage(
    (w) => {
      w.raw(REQ_PREFIX);
      w.number(init.id);
      w.raw(K_METHOD);
      w.string(init.method);
      w.raw(K_STREAM);
      w.bool(init.stream === true);
      w.raw(K_PARAMS);
      writeMap(w, init.params, "params", "REQ");
    },
    options.limits ?? DEFAULT_LIMITS,
    "REQ",
  );
}

/**
 * Encodes a RES: `v, type, id, seq, end, result, error`.
 *
 * @param init The fields; absent ones take their defaults.
 * @param options Limits.
 * @returns The frame's bytes.
 * @throws {TypeError} for a wrong field type (e.g. a `result` that is not a map)
 * @throws {CodecError} for unencodable values or a frame over `maxFrameBytes`
 *
 * @example Usage
 * ```ts
 * import { encodeRes } from "./frame_codec.ts";
 * console.log(encodeRes({ id: 1 }).length); // 42
 * ```
 */
export function encodeRes(init: ResInit, options: EncodeFrameOptions = {}): Uint8Array {
  checkId(init.id, "RES");
  const seq = init.seq ?? 0;
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new TypeError(`Cannot encode RES: 'seq' must be a non-negative integer, got ${seq}`);
  }
  const result = init.result;
  if (result !== undefined && result !== null && !isWireMap(result)) {
    throw new TypeError("Cannot encode RES: 'result' must be a map or nil");
  }
  return writeMessage(
    (w) => {
      w.raw(RES_PREFIX);
      w.number(init.id);
      w.raw(K_SEQ);
      w.number(seq);
      w.raw(K_END);
      w.bool(init.end !== false);
      w.raw(K_RESULT);
      if (result === undefined || result === null) w.nil();
      else w.value(result, 2);
      w.raw(K_ERROR);
      writeErrorInfo(w, init.error, "RES");
    },
    options.limits ?? DEFAULT_LIMITS,
    "RES",
  );
}

/**
 * Encodes a CANCEL: `v, type, id, reason`.
 *
 * @param init The fields; `reason` defaults to `""`.
 * @param options Limits.
 * @returns The frame's bytes.
 * @throws {TypeError} for a wrong field type
 *
 * @example Usage
 * ```ts
 * import { encodeCancel } from "./frame_codec.ts";
 * console.log(encodeCancel({ id: 2, reason: "caller cancelled" }).length); // 44
 * ```
 */
export function encodeCancel(init: CancelInit, options: EncodeFrameOptions = {}): Uint8Array {
  checkId(init.id, "CANCEL");
  const reason = init.reason ?? "";
  checkString(reason, "reason", "CANCEL");
  return writeMessage(
    (w) => {
      w.raw(CANCEL_PREFIX);
      w.number(init.id);
      w.raw(K_REASON);
      w.string(reason);
    },
    options.limits ?? DEFAULT_LIMITS,
    "CANCEL",
  );
}

/**
 * Encodes a PUSH: `v, type, topic, payload`.
 *
 * @param init The fields; `payload` defaults to `{}`.
 * @param options Limits.
 * @returns The frame's bytes.
 * @throws {TypeError} for a wrong field type
 * @throws {CodecError} for an unencodable payload or a frame over `maxFrameBytes`
 *
 * @example Usage
 * ```ts
 * import { encodePush } from "./frame_codec.ts";
 * const bytes = encodePush({ topic: "session.evicted", payload: { reason: "admin_disconnect" } });
 * console.log(bytes.length); // 69
 * ```
 */
export function encodePush(init: PushInit, options: EncodeFrameOptions = {}): Uint8Array {
  checkString(init.topic, "topic", "PUSH");
  return writeMessage(
    (w) => {
      w.raw(PUSH_PREFIX);
      w.string(init.topic);
      w.raw(K_PAYLOAD);
      writeMap(w, init.payload, "payload", "PUSH");
    },
    options.limits ?? DEFAULT_LIMITS,
    "PUSH",
  );
}

/**
 * Encodes any frame (a decoded one, or one built by hand) by its `type`.
 *
 * @param frame The frame.
 * @param options Limits.
 * @returns The frame's bytes.
 * @throws {TypeError} for a wrong field type
 * @throws {CodecError} for unencodable values or a frame over `maxFrameBytes`
 *
 * @example Usage
 * ```ts
 * import { encodeFrame } from "./frame_codec.ts";
 * const bytes = encodeFrame({ v: 1, type: "cancel", id: 2, reason: "caller cancelled" });
 * console.log(bytes.length); // 44
 * ```
 */
export function encodeFrame(frame: Frame, options: EncodeFrameOptions = {}): Uint8Array {
  switch (frame.type) {
    case "hello":
      return encodeHello(frame, options);
    case "req":
      return encodeReq(frame, options);
    case "res":
      return encodeRes(frame, options);
    case "cancel":
      return encodeCancel(frame, options);
    case "push":
      return encodePush(frame, options);
    default:
      throw new TypeError(
        `Cannot encode frame: unknown type '${String((frame as { type: unknown }).type)}'`,
      );
  }
}

/**
 * Decodes and validates one frame: limits and msgpack rules first
 * ({@linkcode decodeMsgpack}), then `type`, `v == 1` and the frame's schema.
 * Unknown keys are ignored and defaults applied.
 *
 * @param bytes One whole transport message.
 * @param options Limits and bin copying.
 * @returns The typed frame.
 * @throws {CodecError} "Cannot decode frame: …" for bad bytes, or "Invalid REQ frame: …" and
 * similar for a map that is not a valid frame
 *
 * @example Usage
 * ```ts
 * import { decodeFrame, encodeReq } from "./frame_codec.ts";
 * const frame = decodeFrame(encodeReq({ id: 7, method: "fs.stat", params: { path: "/" } }));
 * console.log(frame.type); // "req"
 * ```
 */
export function decodeFrame(bytes: Uint8Array, options: DecodeFrameOptions = {}): Frame {
  const outcome = parseFrame(decodeMsgpack(bytes, options));
  if (outcome.ok) return outcome.frame;
  const message = outcome.fatal
    ? `Cannot decode frame: ${outcome.message.replace(/^bad frame: /, "")}`
    : outcome.message;
  throw new CodecError(message);
}
