/**
 * Validation of numeric options shared by the peer's parts.
 *
 * @module
 */

/** Returns `value` (or `fallback` when undefined) after checking it is a positive integer. */
export function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`Invalid option '${name}': expected a positive integer, got ${value}`);
  }
  return value;
}

/** Returns `value` (or `fallback`) after checking it is a non-negative finite number of ms. */
export function timeoutValue(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Invalid option '${name}': expected a non-negative number, got ${value}`);
  }
  return value;
}
