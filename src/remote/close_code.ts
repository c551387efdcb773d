/**
 * WebSocket close codes opendesk sends, and the cut of close reasons to
 * the 123 bytes a close frame can carry.
 *
 * @module
 */

const MAX_CLOSE_REASON_BYTES = 123;
const encoder = new TextEncoder();

/** WebSocket close codes used by opendesk. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED_DATA: 1003,
  ABNORMAL: 1006,
  TOO_BIG: 1009,
} as const;

/** Cuts a close reason to at most 123 UTF-8 bytes at a character boundary. */
export function cutCloseReason(reason: string): string {
  if (encoder.encode(reason).byteLength <= MAX_CLOSE_REASON_BYTES) return reason;
  let out = "";
  let bytes = 0;
  for (const ch of reason) {
    const size = encoder.encode(ch).byteLength;
    if (bytes + size > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
    bytes += size;
  }
  return out;
}
