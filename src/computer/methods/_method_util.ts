/**
 * Small helpers for the method definitions.
 *
 * @module
 */

import { z } from "zod";
import type { WireMap } from "../../protocol/handler.ts";
import { EmptyParamsSchema } from "./params.ts";

/** The keys of `source` listed in `keys` whose values are not undefined, in `keys` order. */
export function pick(source: object, keys: readonly string[]): WireMap {
  const out: WireMap = {};
  const map = source as Record<string, unknown>;
  for (const key of keys) if (map[key] !== undefined) out[key] = map[key];
  return out;
}

/** Schema of an `{items: [T]}` result. */
export function items<T extends z.ZodTypeAny>(
  schema: T,
): z.ZodObject<{ items: z.ZodArray<T> }> {
  return z.object({ items: z.array(schema) });
}

/** Definition fields of a method without params. */
export const noParams = {
  params: EmptyParamsSchema,
  paramDocs: [],
  encodeParams: (): WireMap => ({}),
} as const;

/** Definition fields of a method without a result. */
export const nilResult = {
  resultDoc: "nil",
  encodeResult: (): null => null,
  decodeResult: (): void => {},
} as const;
