/**
 * Learns the `type` and `id` of a frame that failed to decode (a value over a
 * limit, invalid UTF-8, an ext type somewhere in `params`), so that a bad
 * REQ gets an `invalid_argument` answer and the session goes on, as the
 * protocol asks. Only the top-level map is read: the values of other keys
 * are skipped without being built, so a hostile `params` costs one linear
 * pass over its bytes and no allocation.
 *
 * @module
 */

/** What could be read of a frame's top level. */
export interface SalvagedFrame {
  /** The frame's `type`, when it is a short string. */
  readonly type: string | null;
  /** The frame's `id`, when it is a non-negative safe integer. */
  readonly id: number | null;
}

const NOTHING: SalvagedFrame = { type: null, id: null };

/**
 * Reads `type` and `id` from the top-level map of `bytes`.
 *
 * @returns what could be read; nulls when the top level itself is malformed
 */
export function salvageFrame(bytes: Uint8Array): SalvagedFrame {
  try {
    return read(bytes);
  } catch {
    return NOTHING;
  }
}

function read(bytes: Uint8Array): SalvagedFrame {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > bytes.length) throw new RangeError("truncated");
  };
  const u8 = (): number => {
    need(1);
    return bytes[pos++]!;
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(pos);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(pos);
    pos += 4;
    return v;
  };
  /** Skips one value; `items` counts the values still to skip (containers add theirs). */
  const skip = (): void => {
    let items = 1;
    while (items > 0) {
      items--;
      const b = u8();
      if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) continue;
      if (b <= 0x8f) items += (b & 0x0f) * 2;
      else if (b <= 0x9f) items += b & 0x0f;
      else if (b <= 0xbf) pos += b & 0x1f;
      else if (b === 0xc4 || b === 0xd9) pos += u8();
      else if (b === 0xc5 || b === 0xda) pos += u16();
      else if (b === 0xc6 || b === 0xdb) pos += u32();
      else if (b === 0xc7) pos += u8() + 1;
      else if (b === 0xc8) pos += u16() + 1;
      else if (b === 0xc9) pos += u32() + 1;
      else if (b === 0xca) pos += 4;
      else if (b === 0xcb) pos += 8;
      else if (b === 0xcc || b === 0xd0) pos += 1;
      else if (b === 0xcd || b === 0xd1) pos += 2;
      else if (b === 0xce || b === 0xd2) pos += 4;
      else if (b === 0xcf || b === 0xd3) pos += 8;
      else if (b >= 0xd4 && b <= 0xd8) pos += (1 << (b - 0xd4)) + 1;
      else if (b === 0xdc) items += u16();
      else if (b === 0xdd) items += u32();
      else if (b === 0xde) items += u16() * 2;
      else if (b === 0xdf) items += u32() * 2;
      else throw new RangeError("invalid byte");
      if (pos > bytes.length) throw new RangeError("truncated");
    }
  };
  const readString = (): string | null => {
    const b = u8();
    let len: number;
    if (b >= 0xa0 && b <= 0xbf) len = b & 0x1f;
    else if (b === 0xd9) len = u8();
    else {
      pos--;
      return null;
    }
    need(len);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(pos, pos + len));
    pos += len;
    return text;
  };
  const readId = (): number | null => {
    const b = u8();
    if (b <= 0x7f) return b;
    if (b === 0xcc) return u8();
    if (b === 0xcd) return u16();
    if (b === 0xce) return u32();
    if (b === 0xcf) {
      need(8);
      const v = view.getBigUint64(pos);
      pos += 8;
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
    }
    pos--;
    skip();
    return null;
  };
  const head = u8();
  let entries: number;
  if (head >= 0x80 && head <= 0x8f) entries = head & 0x0f;
  else if (head === 0xde) entries = u16();
  else if (head === 0xdf) entries = u32();
  else return NOTHING;
  let type: string | null = null;
  let id: number | null = null;
  for (let i = 0; i < entries; i++) {
    const key = readString();
    if (key === null) return { type, id };
    if (key === "type") {
      const value = readString();
      if (value === null) skip();
      else type = value.length <= 16 ? value : null;
    } else if (key === "id") {
      id = readId();
    } else {
      skip();
    }
    if (type !== null && id !== null) break;
  }
  return { type, id };
}
