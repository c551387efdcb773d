/**
 * msgpack encoding and decoding of protocol messages (frames and handshake
 * messages) with hard limits checked before decoding allocates.
 *
 * Decoding runs in order: the message length against `maxFrameBytes`, a
 * structural pre-scan that checks every rule and limit without allocating
 * (depth, length claims against the limits and the input, ext types,
 * trailing bytes, map-at-top, string keys, UTF-8), then a lean reader that
 * builds the values of the accepted bytes (the same values as
 * `@msgpack/msgpack`'s Decoder, in a fraction of its time per small frame).
 * Encoding never emits ext types, writes `Uint8Array`/`ArrayBuffer` as bin
 * and {@linkcode Float64} as float64.
 *
 * @module
 */

import { CodecError, FrameTooLargeError } from "./errors.ts";
import type { WireMap } from "./handler.ts";
import { DEFAULT_LIMITS, type Limits } from "./limits.ts";
import { writeMessage } from "./_write_message.ts";
import { MsgpackReadError, readMsgpack } from "./_msgpack_read.ts";
import { scanMsgpack } from "./_msgpack_scan.ts";

/** Options of {@linkcode decodeMsgpack}. */
export interface DecodeMsgpackOptions {
  /**
   * Limits to enforce.
   * @default {DEFAULT_LIMITS}
   */
  limits?: Readonly<Limits>;
  /**
   * Decoded bin values are views into `bytes`. Set this when the caller may
   * reuse or overwrite `bytes` afterwards: the input is then copied once
   * (only if it holds a bin) so the views stay valid.
   * @default {false}
   */
  copyBinary?: boolean;
  /**
   * What the bytes are, for error messages ("Cannot decode <label>: …").
   * @default {"frame"}
   */
  label?: string;
  /**
   * Skip map entries whose key is `__proto__` instead of refusing the message (used to read
   * the type and id of a refused frame so that it can be answered).
   * @default {false}
   */
  dropProtoKeys?: boolean;
}

/** Options of {@linkcode encodeMsgpack}. */
export interface EncodeMsgpackOptions {
  /**
   * Limits to enforce (`maxDepth` bounds nesting and catches cycles; `maxFrameBytes` the result).
   * @default {DEFAULT_LIMITS}
   */
  limits?: Readonly<Limits>;
  /**
   * What is encoded, for error messages ("Cannot encode <label>: …").
   * @default {"frame"}
   */
  label?: string;
}

/**
 * Encodes a map (a frame or a handshake message) as msgpack.
 *
 * Numbers: safe integers use the smallest int encoding, everything else and
 * every {@linkcode Float64} is float64. `undefined` and `null` are nil.
 * `Uint8Array`, other typed arrays and `ArrayBuffer` are bin. Plain objects
 * and `Map`s with string keys are maps; key order is insertion order.
 *
 * @param value The top-level map.
 * @param options Limits and error label.
 * @returns Fresh bytes owned by the caller.
 * @throws {CodecError} for unsupported values (Date, Set, class instances,
 * functions, symbols), nesting beyond `maxDepth`, or a result over `maxFrameBytes`
 *
 * @example Usage
 * ```ts
 * import { encodeMsgpack } from "./codec.ts";
 * const bytes = encodeMsgpack({ v: 1, kind: "pair_hello", e: new Uint8Array(32) });
 * console.log(bytes[0]?.toString(16)); // "83"
 * ```
 */
export function encodeMsgpack(value: WireMap, options: EncodeMsgpackOptions = {}): Uint8Array {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CodecError(`Cannot encode ${options.label ?? "frame"}: expected a map`);
  }
  return writeMessage(
    (w) => w.value(value, 1),
    options.limits ?? DEFAULT_LIMITS,
    options.label ?? "frame",
  );
}

/**
 * Decodes one msgpack message that must be a map with string keys.
 *
 * @param bytes One whole transport message.
 * @param options Limits, bin copying and error label.
 * @returns The decoded map. Bins are `Uint8Array` views into `bytes` unless `copyBinary` is set.
 * @throws {CodecError} "Cannot decode frame: …" when any limit or rule is violated
 *
 * @example Usage
 * ```ts
 * import { decodeMsgpack, encodeMsgpack } from "./codec.ts";
 * const map = decodeMsgpack(encodeMsgpack({ a: 1 }));
 * console.log(map.a); // 1
 * ```
 */
export function decodeMsgpack(bytes: Uint8Array, options: DecodeMsgpackOptions = {}): WireMap {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const label = options.label ?? "frame";
  if (!(bytes instanceof Uint8Array)) {
    throw new CodecError(`Cannot decode ${label}: expected a Uint8Array`);
  }
  if (bytes.length > limits.maxFrameBytes) {
    throw new FrameTooLargeError(
      `Cannot decode ${label}: ${bytes.length} bytes exceed the limit of ${limits.maxFrameBytes}`,
      bytes.length,
      limits.maxFrameBytes,
    );
  }
  const scan = scanMsgpack(bytes, limits, label);
  const input = options.copyBinary === true && scan.hasBinary ? bytes.slice() : bytes;
  try {
    return readMsgpack(input, { dropProtoKeys: options.dropProtoKeys ?? false });
  } catch (error) {
    if (!(error instanceof MsgpackReadError)) throw error;
    throw new CodecError(`Cannot decode ${label}: ${error.message}`, { cause: error });
  }
}
