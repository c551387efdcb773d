/**
 * Frame schemas and types (docs/protocol.md, "Frames"): HELLO, REQ, RES, CANCEL, PUSH and
 * ErrorInfo.
 *
 * The schemas describe what opendesk accepts on receipt: unknown keys are
 * ignored at every level, absent keys take their defaults, and scalars are
 * coerced as laxly as the reference does (an integral float for an int, 0/1
 * for a bool). `v` must be 1; the receive path checks it before the schema
 * and treats any other version as a protocol violation.
 *
 * @module
 */

import { z } from "zod";
import { isWireErrorCode, type WireErrorCode } from "./errors.ts";
import type { WireMap } from "./handler.ts";

/** The protocol version carried as `v` on every frame. */
export const PROTOCOL_VERSION = 1;

/** The five frame types. */
export const FRAME_TYPES = ["hello", "req", "res", "cancel", "push"] as const;

/** One frame type. */
export type FrameType = typeof FRAME_TYPES[number];

/**
 * Returns true for a plain msgpack map (a plain object, not an array, bin or class instance).
 *
 * @param value Anything.
 * @returns Whether `value` can stand for a msgpack map.
 *
 * @example Usage
 * ```ts
 * import { isWireMap } from "./frame.ts";
 * console.log(isWireMap({}), isWireMap([]), isWireMap(new Uint8Array(1))); // true false false
 * ```
 */
export function isWireMap(value: unknown): value is WireMap {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A free map (`params`, `result`, `payload`, `capabilities`, `auth`, `details`). */
export const WireMapSchema: z.ZodType<WireMap> = z.custom<WireMap>(
  isWireMap,
  "expected a map",
);

const IntSchema = z.number({ invalid_type_error: "expected an integer" }).int().safe();

/** A bool that also accepts 0 and 1, as the reference does. */
const LaxBoolSchema = z
  .union([z.boolean(), z.literal(0), z.literal(1)], {
    errorMap: () => ({ message: "expected a bool" }),
  })
  .transform((value) => value === true || value === 1);

const VersionSchema = z.literal(PROTOCOL_VERSION).default(PROTOCOL_VERSION);

/**
 * ErrorInfo. On receipt an unknown `code` is read as `internal` (the
 * set is closed); extra keys are ignored.
 */
export const ErrorInfoSchema = z.object({
  code: z
    .string({ invalid_type_error: "expected a string" })
    .default("internal")
    .transform((code): WireErrorCode => (isWireErrorCode(code) ? code : "internal")),
  message: z.string({ invalid_type_error: "expected a string" }).default(""),
  details: WireMapSchema.default({}),
});

/** An ErrorInfo as received or sent. */
export interface ErrorInfo {
  code: WireErrorCode;
  message: string;
  details: WireMap;
}

/** HELLO, the first frame each side sends. */
export const HelloFrameSchema = z.object({
  v: VersionSchema,
  type: z.literal("hello"),
  role: z.enum(["client", "server"]),
  principal: z.string({ invalid_type_error: "expected a string" }).default(""),
  auth: WireMapSchema.default({}),
  capabilities: WireMapSchema.default({}),
  error: ErrorInfoSchema.nullable().default(null),
});

/** REQ, a call or a stream request. */
export const ReqFrameSchema = z.object({
  v: VersionSchema,
  type: z.literal("req"),
  id: IntSchema,
  method: z.string({ required_error: "required", invalid_type_error: "expected a string" }),
  stream: LaxBoolSchema.default(false),
  params: WireMapSchema.default({}),
});

/** RES, a result, a stream item or an error. */
export const ResFrameSchema = z.object({
  v: VersionSchema,
  type: z.literal("res"),
  id: IntSchema,
  seq: IntSchema.default(0),
  end: LaxBoolSchema.default(true),
  result: WireMapSchema.nullable().default(null),
  error: ErrorInfoSchema.nullable().default(null),
});

/** CANCEL, the caller giving up on a request. */
export const CancelFrameSchema = z.object({
  v: VersionSchema,
  type: z.literal("cancel"),
  id: IntSchema,
  reason: z.string({ invalid_type_error: "expected a string" }).default(""),
});

/** PUSH, a notice on a topic, unasked for. */
export const PushFrameSchema = z.object({
  v: VersionSchema,
  type: z.literal("push"),
  topic: z.string({ required_error: "required", invalid_type_error: "expected a string" }),
  payload: WireMapSchema.default({}),
});

/** Any frame, discriminated on `type`. */
export const FrameSchema = z.discriminatedUnion("type", [
  HelloFrameSchema,
  ReqFrameSchema,
  ResFrameSchema,
  CancelFrameSchema,
  PushFrameSchema,
]);

/** A decoded HELLO. */
export interface HelloFrame {
  v: 1;
  type: "hello";
  role: "client" | "server";
  principal: string;
  auth: WireMap;
  capabilities: WireMap;
  error: ErrorInfo | null;
}

/** A decoded REQ. */
export interface ReqFrame {
  v: 1;
  type: "req";
  id: number;
  method: string;
  stream: boolean;
  params: WireMap;
}

/** A decoded RES. */
export interface ResFrame {
  v: 1;
  type: "res";
  id: number;
  seq: number;
  end: boolean;
  result: WireMap | null;
  error: ErrorInfo | null;
}

/** A decoded CANCEL. */
export interface CancelFrame {
  v: 1;
  type: "cancel";
  id: number;
  reason: string;
}

/** A decoded PUSH. */
export interface PushFrame {
  v: 1;
  type: "push";
  topic: string;
  payload: WireMap;
}

/** Any decoded frame. */
export type Frame = HelloFrame | ReqFrame | ResFrame | CancelFrame | PushFrame;

// Compile-time proof that the hand-written interfaces match the schemas.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemasMatchTypes: [
  Same<z.output<typeof ErrorInfoSchema>, ErrorInfo>,
  Same<z.output<typeof HelloFrameSchema>, HelloFrame>,
  Same<z.output<typeof ReqFrameSchema>, ReqFrame>,
  Same<z.output<typeof ResFrameSchema>, ResFrame>,
  Same<z.output<typeof CancelFrameSchema>, CancelFrame>,
  Same<z.output<typeof PushFrameSchema>, PushFrame>,
] = [true, true, true, true, true, true];
void _schemasMatchTypes;
