/**
 * The time seam of the auth layer: pairing windows and the trust store read
 * the time through a {@linkcode Clock} so tests can move it.
 *
 * @module
 */

/** A source of the current time in epoch milliseconds. */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
}

/** The real clock (`Date.now()`). */
export const systemClock: Clock = { now: () => Date.now() };
