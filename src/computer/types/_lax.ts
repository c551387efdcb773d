/**
 * Scalar schemas shared by the computer types, with the reference's lax
 * coercions on receipt: an int accepts an integral float (msgpack gives a JS
 * number either way), a float accepts an int, and a bool accepts 0 and 1.
 *
 * @module
 */

import { z } from "zod";

/** A finite number (a msgpack float or int). */
export const floatSchema: z.ZodNumber = z.number({ invalid_type_error: "expected a number" })
  .finite();

/** An integral number. */
export const intSchema: z.ZodNumber = z.number({ invalid_type_error: "expected an integer" }).int(
  "expected an integer",
);

/** A bool that also accepts 0 and 1, as the reference does. */
export const boolSchema = z.preprocess(
  (v) => (v === 0 ? false : v === 1 ? true : v),
  z.boolean({ invalid_type_error: "expected a boolean" }),
) as unknown as z.ZodBoolean;

/** A string. */
export const strSchema: z.ZodString = z.string({ invalid_type_error: "expected a string" });

/** Binary data (msgpack bin). */
export const bytesSchema: z.ZodType<Uint8Array, z.ZodTypeDef, Uint8Array> = z.instanceof(
  Uint8Array,
  { message: "must be binary data (bin)" },
);

/** Current time as epoch seconds (the reference's "now" default). */
export function nowSeconds(): number {
  return Date.now() / 1000;
}
