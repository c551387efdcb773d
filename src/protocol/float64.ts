/**
 * A marker for numbers that must go over the wire as msgpack float64 even
 * when they are whole (the reference encodes float-typed fields as float64, and its peers
 * check the type).
 *
 * @module
 */

/**
 * A number the encoder always writes as float64 (`cb`), e.g. a coordinate of
 * exactly `50.0`. JavaScript cannot tell `50.0` from `50`; wrap float-typed
 * fields in this marker so whole values keep their float encoding.
 * Decoding never produces it: received floats are plain numbers.
 *
 * @example Usage
 * ```ts
 * import { Float64 } from "./float64.ts";
 * const x = new Float64(50);
 * console.log(x.value); // 50
 * ```
 */
export class Float64 {
  /** The wrapped number. */
  readonly value: number;
  /**
   * @param value Any number, including NaN and the infinities.
   * @throws {TypeError} when `value` is not a number
   */
  constructor(value: number) {
    if (typeof value !== "number") {
      throw new TypeError(`Cannot create Float64: expected a number, got ${typeof value}`);
    }
    this.value = value;
  }

  /** Returns the wrapped number (so arithmetic and comparisons still work). */
  valueOf(): number {
    return this.value;
  }

  /** Serialises as the plain number in JSON. */
  toJSON(): number {
    return this.value;
  }
}

/**
 * Wraps `value` so it is encoded as float64.
 *
 * @param value The number to wrap.
 * @returns A {@linkcode Float64} marker.
 * @throws {TypeError} when `value` is not a number
 *
 * @example Usage
 * ```ts
 * import { float64 } from "./float64.ts";
 * const point = { x: float64(50), y: float64(60.5) };
 * console.log(point.x.value); // 50
 * ```
 */
export function float64(value: number): Float64 {
  return new Float64(value);
}

/**
 * Returns the plain number of a value that may be a {@linkcode Float64}.
 *
 * @param value A number or a Float64 marker.
 * @returns The number.
 *
 * @example Usage
 * ```ts
 * import { float64, toNumber } from "./float64.ts";
 * console.log(toNumber(float64(2.5)) + toNumber(1)); // 3.5
 * ```
 */
export function toNumber(value: number | Float64): number {
  return typeof value === "number" ? value : value.value;
}
