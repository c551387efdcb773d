/**
 * Tuning defaults of the protocol layer (spec constants such as the protocol
 * version live next to the frames in `frame.ts`).
 *
 * @module
 */

/** Default deadline of `Peer.call()` in milliseconds; on expiry the call sends CANCEL. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** Default deadline of the HELLO exchange in milliseconds. */
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;

/** Default number of inbound requests a peer runs at once; more get `busy` instead of unbounded work. */
export const DEFAULT_MAX_IN_FLIGHT = 64;

/** Default number of items an outbound stream buffers for a slow consumer. */
export const DEFAULT_STREAM_QUEUE_SIZE = 64;

/**
 * Default buffer of a `drop-oldest` stream: older items are superseded by
 * newer ones (display frames), so only the newest few are kept.
 */
export const DEFAULT_DROP_OLDEST_QUEUE_SIZE = 2;

/** CANCEL reason the reference sends when a caller gives up. */
export const CANCEL_REASON = "caller cancelled";
