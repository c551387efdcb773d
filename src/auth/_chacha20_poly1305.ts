/**
 * ChaCha20-Poly1305 (RFC 8439, no associated data) in plain TypeScript,
 * tuned for the small messages of an RPC session. `node:crypto` builds a
 * stream object per message, which costs more than the cipher itself below a
 * few hundred bytes; this version allocates only its output. Large messages
 * stay with `node:crypto` (see `aead.ts`). Output is byte-identical (tested
 * against `node:crypto` and the RFC 8439 vector).
 *
 * Poly1305 uses ten 13-bit limbs held in doubles, so every product and sum
 * stays far below 2^53 and is exact.
 *
 * @module
 */

const TAG = 16;
const LIMB = 8192;

const state = new Uint32Array(16);
const stream = new Uint8Array(state.buffer);
const key32 = new Uint32Array(8);
const nonce32 = new Uint32Array(3);
const R = new Float64Array(10);
const H = new Float64Array(10);
const G = new Float64Array(10);
const PAD = new Uint16Array(8);
const tail = new Uint8Array(16);
const lengths = new Uint8Array(16);

function le32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function rotl(v: number, c: number): number {
  return (v << c) | (v >>> (32 - c));
}

/** One ChaCha20 block for `counter` into `state` (little-endian bytes in `stream`). */
function chachaBlock(counter: number): void {
  const k = key32, n = nonce32;
  let x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
  let x4 = k[0]!, x5 = k[1]!, x6 = k[2]!, x7 = k[3]!;
  let x8 = k[4]!, x9 = k[5]!, x10 = k[6]!, x11 = k[7]!;
  let x12 = counter, x13 = n[0]!, x14 = n[1]!, x15 = n[2]!;
  for (let i = 0; i < 10; i++) {
    // column rounds
    x0 = (x0 + x4) | 0, x12 = rotl(x12 ^ x0, 16), x8 = (x8 + x12) | 0, x4 = rotl(x4 ^ x8, 12);
    x0 = (x0 + x4) | 0, x12 = rotl(x12 ^ x0, 8), x8 = (x8 + x12) | 0, x4 = rotl(x4 ^ x8, 7);
    x1 = (x1 + x5) | 0, x13 = rotl(x13 ^ x1, 16), x9 = (x9 + x13) | 0, x5 = rotl(x5 ^ x9, 12);
    x1 = (x1 + x5) | 0, x13 = rotl(x13 ^ x1, 8), x9 = (x9 + x13) | 0, x5 = rotl(x5 ^ x9, 7);
    x2 = (x2 + x6) | 0, x14 = rotl(x14 ^ x2, 16), x10 = (x10 + x14) | 0, x6 = rotl(x6 ^ x10, 12);
    x2 = (x2 + x6) | 0, x14 = rotl(x14 ^ x2, 8), x10 = (x10 + x14) | 0, x6 = rotl(x6 ^ x10, 7);
    x3 = (x3 + x7) | 0, x15 = rotl(x15 ^ x3, 16), x11 = (x11 + x15) | 0, x7 = rotl(x7 ^ x11, 12);
    x3 = (x3 + x7) | 0, x15 = rotl(x15 ^ x3, 8), x11 = (x11 + x15) | 0, x7 = rotl(x7 ^ x11, 7);
    // diagonal rounds
    x0 = (x0 + x5) | 0, x15 = rotl(x15 ^ x0, 16), x10 = (x10 + x15) | 0, x5 = rotl(x5 ^ x10, 12);
    x0 = (x0 + x5) | 0, x15 = rotl(x15 ^ x0, 8), x10 = (x10 + x15) | 0, x5 = rotl(x5 ^ x10, 7);
    x1 = (x1 + x6) | 0, x12 = rotl(x12 ^ x1, 16), x11 = (x11 + x12) | 0, x6 = rotl(x6 ^ x11, 12);
    x1 = (x1 + x6) | 0, x12 = rotl(x12 ^ x1, 8), x11 = (x11 + x12) | 0, x6 = rotl(x6 ^ x11, 7);
    x2 = (x2 + x7) | 0, x13 = rotl(x13 ^ x2, 16), x8 = (x8 + x13) | 0, x7 = rotl(x7 ^ x8, 12);
    x2 = (x2 + x7) | 0, x13 = rotl(x13 ^ x2, 8), x8 = (x8 + x13) | 0, x7 = rotl(x7 ^ x8, 7);
    x3 = (x3 + x4) | 0, x14 = rotl(x14 ^ x3, 16), x9 = (x9 + x14) | 0, x4 = rotl(x4 ^ x9, 12);
    x3 = (x3 + x4) | 0, x14 = rotl(x14 ^ x3, 8), x9 = (x9 + x14) | 0, x4 = rotl(x4 ^ x9, 7);
  }
  const s = state;
  s[0] = x0 + 0x61707865, s[1] = x1 + 0x3320646e, s[2] = x2 + 0x79622d32, s[3] = x3 + 0x6b206574;
  s[4] = x4 + k[0]!, s[5] = x5 + k[1]!, s[6] = x6 + k[2]!, s[7] = x7 + k[3]!;
  s[8] = x8 + k[4]!, s[9] = x9 + k[5]!, s[10] = x10 + k[6]!, s[11] = x11 + k[7]!;
  s[12] = x12 + counter, s[13] = x13 + n[0]!, s[14] = x14 + n[1]!, s[15] = x15 + n[2]!;
}

function loadKeyAndNonce(key: Uint8Array, nonce: Uint8Array): void {
  for (let i = 0; i < 8; i++) key32[i] = le32(key, i * 4);
  nonce32[0] = le32(nonce, 0);
  nonce32[1] = le32(nonce, 4);
  nonce32[2] = le32(nonce, 8);
}

/** `output[i] = input[i] ^ keystream[i]`, keystream blocks counted from 1. */
function xorKeystream(input: Uint8Array, output: Uint8Array, length: number): void {
  for (let off = 0, counter = 1; off < length; off += 64, counter++) {
    chachaBlock(counter);
    const n = Math.min(64, length - off);
    for (let i = 0; i < n; i++) output[off + i] = input[off + i]! ^ stream[i]!;
  }
}

function polyInit(k: Uint8Array): void {
  const t0 = k[0]! | (k[1]! << 8), t1 = k[2]! | (k[3]! << 8);
  const t2 = k[4]! | (k[5]! << 8), t3 = k[6]! | (k[7]! << 8);
  const t4 = k[8]! | (k[9]! << 8), t5 = k[10]! | (k[11]! << 8);
  const t6 = k[12]! | (k[13]! << 8), t7 = k[14]! | (k[15]! << 8);
  // r, clamped as RFC 8439 §2.5.1 requires, split into 13-bit limbs.
  R[0] = t0 & 0x1fff;
  R[1] = ((t0 >>> 13) | (t1 << 3)) & 0x1fff;
  R[2] = ((t1 >>> 10) | (t2 << 6)) & 0x1f03;
  R[3] = ((t2 >>> 7) | (t3 << 9)) & 0x1fff;
  R[4] = ((t3 >>> 4) | (t4 << 12)) & 0x00ff;
  R[5] = (t4 >>> 1) & 0x1ffe;
  R[6] = ((t4 >>> 14) | (t5 << 2)) & 0x1fff;
  R[7] = ((t5 >>> 11) | (t6 << 5)) & 0x1f81;
  R[8] = ((t6 >>> 8) | (t7 << 8)) & 0x1fff;
  R[9] = (t7 >>> 5) & 0x007f;
  for (let i = 0; i < 8; i++) PAD[i] = k[16 + 2 * i]! | (k[17 + 2 * i]! << 8);
  H.fill(0);
}

/** Absorbs one full 16-byte block (with the 2^128 bit) at `m[o]`. */
function polyBlock(m: Uint8Array, o: number): void {
  const t0 = m[o]! | (m[o + 1]! << 8), t1 = m[o + 2]! | (m[o + 3]! << 8);
  const t2 = m[o + 4]! | (m[o + 5]! << 8), t3 = m[o + 6]! | (m[o + 7]! << 8);
  const t4 = m[o + 8]! | (m[o + 9]! << 8), t5 = m[o + 10]! | (m[o + 11]! << 8);
  const t6 = m[o + 12]! | (m[o + 13]! << 8), t7 = m[o + 14]! | (m[o + 15]! << 8);
  const h0 = H[0]! + (t0 & 0x1fff);
  const h1 = H[1]! + (((t0 >>> 13) | (t1 << 3)) & 0x1fff);
  const h2 = H[2]! + (((t1 >>> 10) | (t2 << 6)) & 0x1fff);
  const h3 = H[3]! + (((t2 >>> 7) | (t3 << 9)) & 0x1fff);
  const h4 = H[4]! + (((t3 >>> 4) | (t4 << 12)) & 0x1fff);
  const h5 = H[5]! + ((t4 >>> 1) & 0x1fff);
  const h6 = H[6]! + (((t4 >>> 14) | (t5 << 2)) & 0x1fff);
  const h7 = H[7]! + (((t5 >>> 11) | (t6 << 5)) & 0x1fff);
  const h8 = H[8]! + (((t6 >>> 8) | (t7 << 8)) & 0x1fff);
  const h9 = H[9]! + ((t7 >>> 5) | (1 << 11));
  const r0 = R[0]!, r1 = R[1]!, r2 = R[2]!, r3 = R[3]!, r4 = R[4]!;
  const r5 = R[5]!, r6 = R[6]!, r7 = R[7]!, r8 = R[8]!, r9 = R[9]!;
  const s1 = 5 * r1, s2 = 5 * r2, s3 = 5 * r3, s4 = 5 * r4, s5 = 5 * r5;
  const s6 = 5 * r6, s7 = 5 * r7, s8 = 5 * r8, s9 = 5 * r9;
  // h = h * r mod 2^130 - 5 (limb i of 2^130 wraps to limb 0 times 5)
  let c: number;
  let d0 = h0 * r0 + h1 * s9 + h2 * s8 + h3 * s7 + h4 * s6 + h5 * s5 + h6 * s4 + h7 * s3 +
    h8 * s2 + h9 * s1;
  c = Math.floor(d0 / LIMB), d0 -= c * LIMB;
  let d1 = c + h0 * r1 + h1 * r0 + h2 * s9 + h3 * s8 + h4 * s7 + h5 * s6 + h6 * s5 + h7 * s4 +
    h8 * s3 + h9 * s2;
  c = Math.floor(d1 / LIMB), d1 -= c * LIMB;
  let d2 = c + h0 * r2 + h1 * r1 + h2 * r0 + h3 * s9 + h4 * s8 + h5 * s7 + h6 * s6 + h7 * s5 +
    h8 * s4 + h9 * s3;
  c = Math.floor(d2 / LIMB), d2 -= c * LIMB;
  let d3 = c + h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s9 + h5 * s8 + h6 * s7 + h7 * s6 +
    h8 * s5 + h9 * s4;
  c = Math.floor(d3 / LIMB), d3 -= c * LIMB;
  let d4 = c + h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0 + h5 * s9 + h6 * s8 + h7 * s7 +
    h8 * s6 + h9 * s5;
  c = Math.floor(d4 / LIMB), d4 -= c * LIMB;
  let d5 = c + h0 * r5 + h1 * r4 + h2 * r3 + h3 * r2 + h4 * r1 + h5 * r0 + h6 * s9 + h7 * s8 +
    h8 * s7 + h9 * s6;
  c = Math.floor(d5 / LIMB), d5 -= c * LIMB;
  let d6 = c + h0 * r6 + h1 * r5 + h2 * r4 + h3 * r3 + h4 * r2 + h5 * r1 + h6 * r0 + h7 * s9 +
    h8 * s8 + h9 * s7;
  c = Math.floor(d6 / LIMB), d6 -= c * LIMB;
  let d7 = c + h0 * r7 + h1 * r6 + h2 * r5 + h3 * r4 + h4 * r3 + h5 * r2 + h6 * r1 + h7 * r0 +
    h8 * s9 + h9 * s8;
  c = Math.floor(d7 / LIMB), d7 -= c * LIMB;
  let d8 = c + h0 * r8 + h1 * r7 + h2 * r6 + h3 * r5 + h4 * r4 + h5 * r3 + h6 * r2 + h7 * r1 +
    h8 * r0 + h9 * s9;
  c = Math.floor(d8 / LIMB), d8 -= c * LIMB;
  let d9 = c + h0 * r9 + h1 * r8 + h2 * r7 + h3 * r6 + h4 * r5 + h5 * r4 + h6 * r3 + h7 * r2 +
    h8 * r1 + h9 * r0;
  c = Math.floor(d9 / LIMB), d9 -= c * LIMB;
  d0 += c * 5;
  c = Math.floor(d0 / LIMB), d0 -= c * LIMB;
  H[0] = d0, H[1] = d1 + c, H[2] = d2, H[3] = d3, H[4] = d4;
  H[5] = d5, H[6] = d6, H[7] = d7, H[8] = d8, H[9] = d9;
}

/** Absorbs `m[0..len)` padded with zeros to a multiple of 16 bytes. */
function polyPadded(m: Uint8Array, len: number): void {
  const full = len & ~15;
  for (let off = 0; off < full; off += 16) polyBlock(m, off);
  if (len > full) {
    tail.fill(0);
    for (let i = full; i < len; i++) tail[i - full] = m[i]!;
    polyBlock(tail, 0);
  }
}

/** Fully reduces h, adds s (the pad) and writes the 16-byte tag. */
function polyFinish(out: Uint8Array, off: number): void {
  const h = H, g = G;
  let c = Math.floor(h[1]! / LIMB);
  h[1] = h[1]! - c * LIMB;
  for (let i = 2; i < 10; i++) {
    h[i] = h[i]! + c, c = Math.floor(h[i]! / LIMB), h[i] = h[i]! - c * LIMB;
  }
  h[0] = h[0]! + c * 5, c = Math.floor(h[0]! / LIMB), h[0] = h[0]! - c * LIMB;
  h[1] = h[1]! + c, c = Math.floor(h[1]! / LIMB), h[1] = h[1]! - c * LIMB;
  h[2] = h[2]! + c;
  g[0] = h[0]! + 5, c = Math.floor(g[0]! / LIMB), g[0] = g[0]! - c * LIMB;
  for (let i = 1; i < 10; i++) {
    g[i] = h[i]! + c, c = Math.floor(g[i]! / LIMB), g[i] = g[i]! - c * LIMB;
  }
  // c = 1 exactly when h + 5 >= 2^130, i.e. h >= p: then g = h - p.
  const v = c === 1 ? g : h;
  const w0 = (v[0]! | (v[1]! << 13)) & 0xffff;
  const w1 = ((v[1]! >>> 3) | (v[2]! << 10)) & 0xffff;
  const w2 = ((v[2]! >>> 6) | (v[3]! << 7)) & 0xffff;
  const w3 = ((v[3]! >>> 9) | (v[4]! << 4)) & 0xffff;
  const w4 = ((v[4]! >>> 12) | (v[5]! << 1) | (v[6]! << 14)) & 0xffff;
  const w5 = ((v[6]! >>> 2) | (v[7]! << 11)) & 0xffff;
  const w6 = ((v[7]! >>> 5) | (v[8]! << 8)) & 0xffff;
  const w7 = ((v[8]! >>> 8) | (v[9]! << 5)) & 0xffff;
  let f = w0 + PAD[0]!;
  out[off] = f, out[off + 1] = f >>> 8;
  f = w1 + PAD[1]! + (f >>> 16), out[off + 2] = f, out[off + 3] = f >>> 8;
  f = w2 + PAD[2]! + (f >>> 16), out[off + 4] = f, out[off + 5] = f >>> 8;
  f = w3 + PAD[3]! + (f >>> 16), out[off + 6] = f, out[off + 7] = f >>> 8;
  f = w4 + PAD[4]! + (f >>> 16), out[off + 8] = f, out[off + 9] = f >>> 8;
  f = w5 + PAD[5]! + (f >>> 16), out[off + 10] = f, out[off + 11] = f >>> 8;
  f = w6 + PAD[6]! + (f >>> 16), out[off + 12] = f, out[off + 13] = f >>> 8;
  f = w7 + PAD[7]! + (f >>> 16), out[off + 14] = f, out[off + 15] = f >>> 8;
  H.fill(0), G.fill(0), R.fill(0), PAD.fill(0);
}

/** The tag over `ct[0..len)` (no AAD) with the key and nonce already loaded. */
function computeTag(ct: Uint8Array, len: number, out: Uint8Array, off: number): void {
  chachaBlock(0);
  polyInit(stream);
  polyPadded(ct, len);
  lengths.fill(0);
  // AAD length 0 (bytes 0..7), ciphertext length (bytes 8..15), little-endian.
  lengths[8] = len, lengths[9] = len >>> 8, lengths[10] = len >>> 16, lengths[11] = len >>> 24;
  const hi = Math.floor(len / 4294967296);
  lengths[12] = hi, lengths[13] = hi >>> 8, lengths[14] = hi >>> 16, lengths[15] = hi >>> 24;
  polyBlock(lengths, 0);
  polyFinish(out, off);
}

function wipe(): void {
  key32.fill(0), nonce32.fill(0), state.fill(0);
}

/**
 * Encrypts `plaintext`.
 * @param key 32 bytes
 * @param nonce 12 bytes
 * @param plaintext any length
 * @returns `ciphertext ‖ tag`
 */
export function chachaPolySeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  loadKeyAndNonce(key, nonce);
  const out = new Uint8Array(plaintext.length + TAG);
  xorKeystream(plaintext, out, plaintext.length);
  computeTag(out, plaintext.length, out, plaintext.length);
  wipe();
  return out;
}

/**
 * Decrypts `sealed` (`ciphertext ‖ tag`).
 * @returns the plaintext, or null when the tag does not verify
 */
export function chachaPolyOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | null {
  if (sealed.length < TAG) return null;
  loadKeyAndNonce(key, nonce);
  const len = sealed.length - TAG;
  const expected = new Uint8Array(TAG);
  computeTag(sealed, len, expected, 0);
  let diff = 0;
  for (let i = 0; i < TAG; i++) diff |= expected[i]! ^ sealed[len + i]!;
  if (diff !== 0) {
    wipe();
    return null;
  }
  const out = new Uint8Array(len);
  xorKeystream(sealed, out, len);
  wipe();
  return out;
}
