/**
 * `typedResult`: turns a raw result map of the REPL's free-form call into
 * the method's typed result, with the method table's decoder (the same one
 * the typed client uses), so that REPL code reads fields instead of checking
 * raw maps.
 *
 * @module
 */

import type { UnaryMethodDef } from "../../computer/methods/method_def.ts";
import type { WireMap } from "../../protocol/handler.ts";

/**
 * Decodes `result` as `def` says.
 *
 * @param def The method definition (e.g. `DisplayCapture`).
 * @param result The raw result of the call.
 * @returns The typed result.
 * @throws {TypeError} When the result does not match the catalogue.
 */
export function typedResult<P, R>(def: UnaryMethodDef<P, R>, result: WireMap | null): R {
  try {
    return def.decodeResult(result);
  } catch (error) {
    throw new TypeError(`The result of ${def.name} does not match the catalogue`, {
      cause: error,
    });
  }
}
