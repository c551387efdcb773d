/**
 * Turns a decoded msgpack map into a typed frame, classifying failures the
 * way the receive loop needs them (one bad request does not end the
 * session): a fatal violation closes the
 * session; an invalid but identifiable frame (e.g. a REQ with a readable id)
 * is answered or ignored and the session goes on.
 *
 * Well-formed REQ, RES and CANCEL frames take a hand-written fast path that
 * accepts only inputs the zod schema accepts and builds the same output;
 * everything else goes through the schema.
 *
 * @module
 */

import type { z } from "zod";
import type { WireMap } from "./handler.ts";
import {
  CancelFrameSchema,
  type Frame,
  FRAME_TYPES,
  type FrameType,
  HelloFrameSchema,
  isWireMap,
  PROTOCOL_VERSION,
  PushFrameSchema,
  ReqFrameSchema,
  ResFrameSchema,
} from "./frame.ts";

/** The outcome of {@linkcode parseFrame}. */
export type ParseOutcome =
  | { readonly ok: true; readonly frame: Frame }
  | { readonly ok: false; readonly fatal: true; readonly message: string }
  | {
    readonly ok: false;
    readonly fatal: false;
    readonly type: FrameType;
    /** The frame's id when it is a safe integer, else null. */
    readonly id: number | null;
    readonly message: string;
  };

const SCHEMAS: Record<FrameType, z.ZodTypeAny> = {
  hello: HelloFrameSchema,
  req: ReqFrameSchema,
  res: ResFrameSchema,
  cancel: CancelFrameSchema,
  push: PushFrameSchema,
};

function describeType(value: unknown): string {
  if (value === null) return "nil";
  if (Array.isArray(value)) return "array";
  if (value instanceof Uint8Array) return "bin";
  return typeof value === "object" ? "map" : typeof value;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.join(".");
      if (issue.code === "invalid_type" && issue.received === "undefined") {
        return `missing '${path}'`;
      }
      return path === "" ? issue.message : `'${path}' ${issue.message.toLowerCase()}`;
    })
    .join("; ");
}

function fastReq(m: WireMap): Frame | null {
  const { id, method, stream, params } = m;
  if (!Number.isSafeInteger(id) || typeof method !== "string") return null;
  if (stream !== undefined && typeof stream !== "boolean") return null;
  if (params !== undefined && !isWireMap(params)) return null;
  return {
    v: 1,
    type: "req",
    id: id as number,
    method,
    stream: stream ?? false,
    params: (params as WireMap | undefined) ?? {},
  };
}

function fastRes(m: WireMap): Frame | null {
  const { id, seq, end, result, error } = m;
  if (!Number.isSafeInteger(id)) return null;
  if (seq !== undefined && !Number.isSafeInteger(seq)) return null;
  if (end !== undefined && typeof end !== "boolean") return null;
  if (result !== undefined && result !== null && !isWireMap(result)) return null;
  if (error !== undefined && error !== null) return null;
  return {
    v: 1,
    type: "res",
    id: id as number,
    seq: (seq as number | undefined) ?? 0,
    end: end ?? true,
    result: (result as WireMap | null | undefined) ?? null,
    error: null,
  };
}

function fastCancel(m: WireMap): Frame | null {
  const { id, reason } = m;
  if (!Number.isSafeInteger(id)) return null;
  if (reason !== undefined && typeof reason !== "string") return null;
  return { v: 1, type: "cancel", id: id as number, reason: reason ?? "" };
}

/**
 * Validates a decoded map as a frame.
 *
 * Fatal: no string `type`, an unknown `type`, or `v` present and not 1.
 * Not fatal: anything the frame's schema rejects.
 */
export function parseFrame(map: WireMap): ParseOutcome {
  const type = map.type;
  if (typeof type !== "string") {
    return {
      ok: false,
      fatal: true,
      message: type === undefined
        ? "bad frame: missing 'type'"
        : `bad frame: 'type' is ${describeType(type)}, expected a string`,
    };
  }
  if (!(FRAME_TYPES as readonly string[]).includes(type)) {
    return { ok: false, fatal: true, message: `bad frame: unknown frame type '${type}'` };
  }
  const v = map.v;
  if (v !== undefined && v !== PROTOCOL_VERSION) {
    const shown = typeof v === "string" ? `'${v}'` : String(v);
    return {
      ok: false,
      fatal: true,
      message: `bad frame: unsupported protocol version ${shown}, expected ${PROTOCOL_VERSION}`,
    };
  }
  const frameType = type as FrameType;
  const fast = frameType === "req"
    ? fastReq(map)
    : frameType === "res"
    ? fastRes(map)
    : frameType === "cancel"
    ? fastCancel(map)
    : null;
  if (fast !== null) return { ok: true, frame: fast };
  const parsed = SCHEMAS[frameType].safeParse(map);
  if (parsed.success) return { ok: true, frame: parsed.data as Frame };
  const id = Number.isSafeInteger(map.id) ? (map.id as number) : null;
  return {
    ok: false,
    fatal: false,
    type: frameType,
    id,
    message: `Invalid ${frameType.toUpperCase()} frame: ${formatIssues(parsed.error)}`,
  };
}
