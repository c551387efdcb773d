/**
 * Buffers for large bin values that a frame can be built around without
 * copying them (an 8 MiB `fs.read` result would otherwise be copied into the
 * encoder's buffer once more).
 *
 * A payload buffer keeps free room before and after the bytes it hands out.
 * When the encoder meets such a payload as a bin value, it claims that room
 * once: it writes the frame's preceding bytes (header, keys, the bin header)
 * just before the payload and the following ones just after it, and the
 * frame is a view of the payload's buffer. The payload bytes themselves are
 * never written by the encoder.
 *
 * @module
 */

/** Room kept before a payload for the frame bytes that precede it. */
export const PAYLOAD_HEADROOM = 256;
/** Room kept after a payload for the frame bytes that follow it. */
export const PAYLOAD_TAILROOM = 256;
/** Smaller payloads are not worth a buffer of their own: the encoder copies them. */
export const PAYLOAD_MIN_BYTES = 64 * 1024;

/** Unclaimed payload buffers and the size handed out of each. */
const unclaimed = new WeakMap<ArrayBufferLike, number>();

/**
 * Allocates `size` zeroed bytes that a frame encoder may send in place. Fill
 * them, hand them to one frame (e.g. as a RES result's bin) and do not change
 * them while that frame may still be in flight.
 *
 * @param size Bytes wanted.
 * @returns A view of exactly `size` bytes (with free room around it in its buffer).
 *
 * @example Usage
 * ```ts
 * import { allocateFramePayload } from "./frame_payload.ts";
 * import { encodeRes } from "./frame_codec.ts";
 * const data = allocateFramePayload(1 << 20).fill(7);
 * const frame = encodeRes({ id: 1, result: { data } });
 * console.log(frame.buffer === data.buffer); // true: built around the payload
 * ```
 */
export function allocateFramePayload(size: number): Uint8Array {
  const buffer = new ArrayBuffer(PAYLOAD_HEADROOM + size + PAYLOAD_TAILROOM);
  unclaimed.set(buffer, size);
  return new Uint8Array(buffer, PAYLOAD_HEADROOM, size);
}

/**
 * Claims the room around `value` for one frame. True only for the whole view
 * handed out by {@linkcode allocateFramePayload}, the first time.
 */
export function claimPayloadRoom(value: Uint8Array): boolean {
  const buffer = value.buffer;
  if (value.byteOffset !== PAYLOAD_HEADROOM || unclaimed.get(buffer) !== value.byteLength) {
    return false;
  }
  return unclaimed.delete(buffer);
}
