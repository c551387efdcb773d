/**
 * Handshake messages (protocol-v1 §8.2, §8.4, §8.5): plain msgpack maps sent
 * unencrypted, one per transport message. They are not frames: this file
 * encodes them in the reference's key order and checks received ones in
 * the order §8.2 prescribes.
 *
 * @module
 */

import { decodeMsgpack, encodeMsgpack } from "../protocol/codec.ts";
import { CodecError } from "../protocol/errors.ts";
import type { Limits } from "../protocol/limits.ts";
import {
  HANDSHAKE_VERSION,
  type HandshakeKind,
  KEY_LENGTH,
  MAX_HANDSHAKE_MESSAGE_BYTES,
} from "./constants.ts";
import { escapeForTerminal } from "../protocol/escape_for_terminal.ts";
import { HandshakeError } from "./errors.ts";

/** `pair_hello` (client → server): the client's ephemeral key. */
export interface PairHello {
  kind: "pair_hello";
  e: Uint8Array;
}
/** `pair_offer` (server → client): the server's ephemeral key and `ct1`. */
export interface PairOffer {
  kind: "pair_offer";
  e: Uint8Array;
  ct: Uint8Array;
}
/** `pair_finish` (client → server): `ct2`. */
export interface PairFinish {
  kind: "pair_finish";
  ct: Uint8Array;
}
/** `auth_hello` (client → server): the client's ephemeral and static keys. */
export interface AuthHello {
  kind: "auth_hello";
  e: Uint8Array;
  s: Uint8Array;
}
/** `auth_offer` (server → client): the server's ephemeral key and the proof `ct`. */
export interface AuthOffer {
  kind: "auth_offer";
  e: Uint8Array;
  ct: Uint8Array;
}

/** Any handshake message. */
export type HandshakeMessage = PairHello | PairOffer | PairFinish | AuthHello | AuthOffer;

/** The message type of a given kind. */
export type HandshakeMessageOf<K extends HandshakeKind> = Extract<HandshakeMessage, { kind: K }>;

// Byte fields per kind, in emission order. `e` and `s` must be 32 bytes; `ct` may be any length.
const FIELDS: Record<HandshakeKind, readonly ("e" | "s" | "ct")[]> = {
  pair_hello: ["e"],
  pair_offer: ["e", "ct"],
  pair_finish: ["ct"],
  auth_hello: ["e", "s"],
  auth_offer: ["e", "ct"],
};

/** Limits of the one msgpack codec for handshake messages (small, flat maps). */
const HANDSHAKE_LIMITS: Readonly<Limits> = Object.freeze({
  maxFrameBytes: MAX_HANDSHAKE_MESSAGE_BYTES,
  maxStringBytes: MAX_HANDSHAKE_MESSAGE_BYTES,
  maxBinaryBytes: MAX_HANDSHAKE_MESSAGE_BYTES,
  maxArrayLength: 16,
  maxMapLength: 16,
  maxDepth: 4,
});
const LABEL = "handshake message";

/** The codec's words for a top-level value, as this file's messages say them. */
const KIND_WORDS: Record<string, string> = {
  array: "an array",
  str: "string",
  int: "number",
  float: "number",
  bool: "boolean",
};

function protocolError(detail: string, cause?: unknown): HandshakeError {
  return new HandshakeError(
    "protocol",
    `Handshake failed: ${detail}`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Encodes a handshake message exactly as the reference does: `v`, `kind`,
 * then the byte fields in protocol order, bytes as msgpack bin.
 *
 * @param message the message
 * @returns the packed bytes
 * @example Usage
 * ```ts
 * import { encodeHandshakeMessage } from "./handshake_messages.ts";
 * const bytes = encodeHandshakeMessage({ kind: "pair_hello", e: new Uint8Array(32) });
 * console.assert(bytes.length === 56);
 * ```
 */
export function encodeHandshakeMessage(message: HandshakeMessage): Uint8Array {
  const map: Record<string, unknown> = { v: HANDSHAKE_VERSION, kind: message.kind };
  for (const field of FIELDS[message.kind]) {
    map[field] = (message as unknown as Record<string, Uint8Array>)[field];
  }
  return encodeMsgpack(map, { limits: HANDSHAKE_LIMITS, label: LABEL });
}

/**
 * Checks §8.2 steps 1–3 (size cap, unpacks, is a map, `v == 1`) and returns
 * the message's `kind` when it is a string, without checking the fields.
 * The server uses it to route the first message (H1).
 *
 * @param bytes a received transport message
 * @returns the `kind` value (possibly not one of the five kinds)
 * @throws {HandshakeError} with reason `protocol` for any failed check
 */
export function peekHandshakeKind(bytes: Uint8Array): string {
  const kind = decodeEnvelope(bytes).kind;
  if (typeof kind !== "string") {
    throw protocolError(`handshake message kind must be a string, received ${describe(kind)}`);
  }
  return kind;
}

/**
 * Decodes and checks a handshake message, in the order of §8.2: size cap,
 * unpacks, is a map, `v == 1`, `kind` (equal to `expected` when given, else
 * one of the five kinds), then the byte fields (bin; `e`/`s` 32 bytes).
 * Unknown keys are ignored.
 *
 * @param bytes a received transport message
 * @param expected the kind this step requires, if any
 * @returns the checked message (byte fields are copies)
 * @throws {HandshakeError} with reason `protocol` for any failed check
 */
export function decodeHandshakeMessage<K extends HandshakeKind = HandshakeKind>(
  bytes: Uint8Array,
  expected?: K,
): HandshakeMessageOf<K> {
  const map = decodeEnvelope(bytes);
  const kind = map.kind;
  if (expected !== undefined && kind !== expected) {
    throw protocolError(
      `expected ${expected}, got ${
        typeof kind === "string" ? escapeForTerminal(kind, { maxLength: 40 }) : describe(kind)
      }`,
    );
  }
  if (typeof kind !== "string" || !Object.hasOwn(FIELDS, kind)) {
    throw protocolError(
      `unknown handshake message kind ${
        typeof kind === "string" ? escapeForTerminal(kind, { maxLength: 40 }) : describe(kind)
      }`,
    );
  }
  const message: Record<string, unknown> = { kind };
  for (const field of FIELDS[kind as HandshakeKind]) {
    const data = map[field];
    if (!(data instanceof Uint8Array)) {
      throw protocolError(`${kind}.${field} must be bin, received ${describe(data)}`);
    }
    if (field !== "ct" && data.length !== KEY_LENGTH) {
      throw protocolError(`${kind}.${field} must be ${KEY_LENGTH} bytes, received ${data.length}`);
    }
    message[field] = data.slice();
  }
  return message as unknown as HandshakeMessageOf<K>;
}

function decodeEnvelope(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length > MAX_HANDSHAKE_MESSAGE_BYTES) {
    throw protocolError(
      `handshake message of ${bytes.length} bytes exceeds the limit of ${MAX_HANDSHAKE_MESSAGE_BYTES}`,
    );
  }
  let map: Record<string, unknown>;
  try {
    map = decodeMsgpack(bytes, { limits: HANDSHAKE_LIMITS, label: LABEL, copyBinary: true });
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    const detail = error.message.replace(`Cannot decode ${LABEL}: `, "");
    const notMap = /^expected map, received (int|float|str|bin|array|nil|bool)$/.exec(detail);
    if (notMap) {
      const kind = notMap[1] ?? "";
      throw protocolError(
        `malformed handshake message: expected a map, received ${KIND_WORDS[kind] ?? kind}`,
        error,
      );
    }
    throw protocolError(`malformed handshake message: ${detail}`, error);
  }
  if (map.v !== HANDSHAKE_VERSION) {
    throw protocolError(`unsupported handshake version ${JSON.stringify(map.v ?? null)}`);
  }
  return map;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "nil";
  if (value instanceof Uint8Array) return "bin";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
