/**
 * Size limits of the computer layer.
 *
 * @module
 */

/**
 * Largest payload (file bytes, command output) one result may carry. A
 * protocol frame is capped at 32 MiB; 64 KiB are left for the
 * frame's own keys, msgpack headers and encryption overhead.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES: number = 32 * 1024 * 1024 - 64 * 1024;

/** Formats a byte count for messages, e.g. `33488896 bytes (31.9 MiB)`. */
export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${n} bytes`;
  return `${n} bytes (${(n / (1024 * 1024)).toFixed(1)} MiB)`;
}
