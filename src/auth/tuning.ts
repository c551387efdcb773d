/**
 * Tuning values of the auth layer: deadlines and pairing limits (codes
 * are single-use and short-lived; every handshake step has a deadline).
 * Unlike `constants.ts`, these can change without touching the wire.
 *
 * @module
 */

/** Deadline of each handshake step (reading one handshake message). */
export const DEFAULT_HANDSHAKE_STEP_TIMEOUT_MS = 10_000;

/** Longest life of one pairing window (its code). */
export const PAIRING_WINDOW_LIFETIME_MS = 5 * 60_000;

/** Number of burned pairing windows that triggers the lockout. */
export const PAIRING_LOCKOUT_THRESHOLD = 5;

/** Interval over which burned windows are counted for the lockout. */
export const PAIRING_LOCKOUT_INTERVAL_MS = 10 * 60_000;

/** How long pairing refuses to arm once locked out. */
export const PAIRING_LOCKOUT_DURATION_MS = 10 * 60_000;

/** Burned pairing codes from one source address that lock that address out of pairing. */
export const PAIRING_SOURCE_LOCKOUT_THRESHOLD = 2;

/** Distinct source addresses among the burns before pairing as a whole is locked. */
export const PAIRING_LOCKOUT_SOURCES = 3;
