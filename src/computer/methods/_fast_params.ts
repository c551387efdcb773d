/**
 * Hand-written equivalents of the params schemas of the most frequent small
 * methods (no params, a path, `fs.read`'s path and range). zod's general
 * parse machinery costs more than the rest of a small call on both ends, so
 * the dispatcher and `RemoteComputer` try these first.
 *
 * A fast parser only ever accepts: for any input it does not fully vouch for
 * (a missing or mistyped field, an extra field it does not model, a key
 * present with `undefined`) it returns `undefined` and the caller runs the
 * zod schema, so validation results and error messages stay exactly zod's.
 * What it accepts, it returns in the shape zod would (declared keys in schema
 * order, unknown keys dropped, absent optional keys left out).
 *
 * @module
 */

import { EmptyParamsSchema, PathParamsSchema, ReadFileParamsSchema } from "./params.ts";

type Params = Record<string, unknown>;
type FastParser = (params: Params) => Params | undefined;

function isPlainMap(value: unknown): value is Params {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `nonNegativeInt.optional()`: absent, or an integer >= 0. Null means "ask zod". */
function optionalCount(params: Params, key: string): { value: number | undefined } | null {
  const value = params[key];
  if (value === undefined) return key in params ? null : { value: undefined };
  return Number.isInteger(value) && (value as number) >= 0 ? { value: value as number } : null;
}

const PARSERS = new Map<unknown, FastParser>([
  [EmptyParamsSchema, () => ({})],
  [PathParamsSchema, (p) => (typeof p.path === "string" ? { path: p.path } : undefined)],
  [ReadFileParamsSchema, (p) => {
    if (typeof p.path !== "string") return undefined;
    const offset = optionalCount(p, "offset");
    const length = optionalCount(p, "length");
    if (offset === null || length === null) return undefined;
    const out: Params = { path: p.path };
    if (offset.value !== undefined) out.offset = offset.value;
    if (length.value !== undefined) out.length = length.value;
    return out;
  }],
]);

/**
 * Parses `params` with the hand-written equivalent of `schema`, when there is
 * one and it accepts them.
 *
 * @param schema A method's params schema.
 * @param params The params as received or given.
 * @returns What `schema.parse(params)` returns, or `undefined`: run the schema.
 */
export function fastParseParams(schema: unknown, params: unknown): Params | undefined {
  const parser = PARSERS.get(schema);
  if (parser === undefined || !isPlainMap(params)) return undefined;
  return parser(params);
}
