/**
 * Size limits of the computer layer.
 *
 * @module
 */

/**
 * Largest payload (file bytes, command output) one result may carry: 256 MiB,
 * as large as the original's clients read and write in one frame. The
 * protocol's default frame cap is 64 KiB larger, for the
 * frame's own keys, msgpack headers and encryption overhead.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES: number = 256 * 1024 * 1024;

/** Formats a byte count for messages, e.g. `33488896 bytes (31.9 MiB)`. */
export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${n} bytes`;
  return `${n} bytes (${(n / (1024 * 1024)).toFixed(1)} MiB)`;
}
