/**
 * WebSocket frame headers (RFC 6455 §5.2): building them, reading them from
 * the front of a buffer, and (un)masking payloads.
 *
 * @module
 */

/** Frame opcodes. */
export const Opcode = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

/** A parsed frame header. */
export interface FrameHeader {
  fin: boolean;
  opcode: number;
  /** The masking key, or null for an unmasked frame. */
  mask: Uint8Array | null;
  /** Payload length; larger than any real message when the peer claims more than 2^53. */
  length: number;
  /** Bytes the header occupies. */
  headerBytes: number;
  /** True when a reserved bit is set (no extension is ever negotiated). */
  reserved: boolean;
}

/**
 * Reads a frame header from the front of `bytes`.
 * @returns the header, or null when `bytes` does not hold all of it yet
 */
export function parseFrameHeader(bytes: Uint8Array): FrameHeader | null {
  if (bytes.length < 2) return null;
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  const masked = (b1 & 0x80) !== 0;
  let length = b1 & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return null;
    length = (bytes[2]! << 8) | bytes[3]!;
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset + 2, 8);
    const high = view.getUint32(0);
    // Above 2^53 the exact value does not matter: every cap refuses it.
    length = high >= 0x200000 ? Number.MAX_SAFE_INTEGER : high * 2 ** 32 + view.getUint32(4);
    offset = 10;
  }
  let mask: Uint8Array | null = null;
  if (masked) {
    if (bytes.length < offset + 4) return null;
    mask = bytes.slice(offset, offset + 4);
    offset += 4;
  }
  return {
    fin: (b0 & 0x80) !== 0,
    opcode: b0 & 0x0f,
    mask,
    length,
    headerBytes: offset,
    reserved: (b0 & 0x70) !== 0,
  };
}

/**
 * Builds a final frame's header.
 * @param opcode the frame's opcode
 * @param length the payload length
 * @param mask a 4-byte masking key (clients) or null (servers)
 */
export function buildFrameHeader(
  opcode: number,
  length: number,
  mask: Uint8Array | null,
): Uint8Array {
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = new Uint8Array(2 + lengthBytes + (mask ? 4 : 0));
  header[0] = 0x80 | opcode;
  const maskBit = mask ? 0x80 : 0;
  if (lengthBytes === 0) {
    header[1] = maskBit | length;
  } else if (lengthBytes === 2) {
    header[1] = maskBit | 126;
    header[2] = length >>> 8;
    header[3] = length & 0xff;
  } else {
    header[1] = maskBit | 127;
    const view = new DataView(header.buffer, 2, 8);
    view.setUint32(0, Math.floor(length / 2 ** 32));
    view.setUint32(4, length >>> 0);
  }
  if (mask) header.set(mask, 2 + lengthBytes);
  return header;
}

/** Bytes of a final frame's header for a payload of `length` bytes, masked or not. */
export function frameHeaderBytes(length: number, masked: boolean): number {
  return 2 + (length < 126 ? 0 : length < 65536 ? 2 : 8) + (masked ? 4 : 0);
}

/**
 * Writes a final frame's header (as {@linkcode buildFrameHeader} builds it) into `out` at `at`,
 * taking the masking key from `maskPool` at `maskAt` when `masked`.
 * @returns the header's length
 */
export function writeFrameHeader(
  out: Uint8Array,
  at: number,
  opcode: number,
  length: number,
  maskPool: Uint8Array | null,
  maskAt = 0,
): number {
  out[at] = 0x80 | opcode;
  const maskBit = maskPool ? 0x80 : 0;
  let end: number;
  if (length < 126) {
    out[at + 1] = maskBit | length;
    end = at + 2;
  } else if (length < 65536) {
    out[at + 1] = maskBit | 126;
    out[at + 2] = length >>> 8;
    out[at + 3] = length & 0xff;
    end = at + 4;
  } else {
    out[at + 1] = maskBit | 127;
    const high = Math.floor(length / 2 ** 32);
    const low = length >>> 0;
    for (let k = 0; k < 4; k++) {
      out[at + 2 + k] = (high >>> (24 - 8 * k)) & 0xff;
      out[at + 6 + k] = (low >>> (24 - 8 * k)) & 0xff;
    }
    end = at + 10;
  }
  if (maskPool) {
    for (let k = 0; k < 4; k++) out[end + k] = maskPool[maskAt + k]!;
    end += 4;
  }
  return end - at;
}

/**
 * XORs `data` in place with the 4-byte `mask`, starting at mask position `phase`
 * (so a payload can be (un)masked in pieces).
 */
export function applyMask(data: Uint8Array, mask: Uint8Array, phase = 0): void {
  let i = 0;
  const n = data.length;
  // Byte-wise until the data is 4-byte aligned, then whole words.
  while (i < n && (data.byteOffset + i) % 4 !== 0) {
    data[i] = data[i]! ^ mask[(phase + i) & 3]!;
    i++;
  }
  const words = (n - i) >>> 2;
  if (words > 0) {
    const rotated = new Uint8Array(4);
    for (let k = 0; k < 4; k++) rotated[k] = mask[(phase + i + k) & 3]!;
    const key = new Uint32Array(rotated.buffer)[0]!;
    const view = new Uint32Array(data.buffer, data.byteOffset + i, words);
    for (let w = 0; w < words; w++) view[w] = view[w]! ^ key;
    i += words * 4;
  }
  while (i < n) {
    data[i] = data[i]! ^ mask[(phase + i) & 3]!;
    i++;
  }
}

/** The payload of a close frame: the code (big-endian) and the UTF-8 reason; empty without a code. */
export function closePayload(code: number | undefined, reason: string): Uint8Array {
  if (code === undefined) return new Uint8Array(0);
  const text = new TextEncoder().encode(reason);
  const out = new Uint8Array(2 + text.length);
  out[0] = code >>> 8;
  out[1] = code & 0xff;
  out.set(text, 2);
  return out;
}

/** Joins byte arrays of `total` bytes in all. */
export function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
