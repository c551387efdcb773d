/**
 * ChaCha20-Poly1305 (RFC 8439, no associated data) in plain TypeScript,
 * tuned for the small messages of an RPC session. `node:crypto` builds a
 * stream object per message, which costs more than the cipher itself below a
 * few hundred bytes; this version allocates nothing per message except its
 * output, which is carved out of a shared slab (see {@linkcode allocate}).
 * Large messages stay with `node:crypto` (see `aead.ts`). Output is
 * byte-identical (tested against `node:crypto` and the RFC 8439 vector).
 *
 * Poly1305 uses ten 13-bit limbs held in doubles, so every product and sum
 * stays far below 2^53 and is exact; the accumulator lives in local
 * variables while a run of blocks is absorbed.
 *
 * The keystream block is read through a byte view of 32-bit words, which
 * assumes a little-endian host (every platform Deno runs on).
 *
 * @module
 */

const TAG = 16;
const LIMB = 8192;
/** 2^-13: multiplying by it is exact, unlike a general division. */
const INV_LIMB = 1 / LIMB;

const block = new Int32Array(16);
const blockBytes = new Uint8Array(block.buffer);
const keyWords = new Int32Array(8);
const nonceWords = new Int32Array(3);
/** Poly1305 state between runs of blocks: h (10 limbs), r (10 limbs), s (8 words). */
const H = new Float64Array(10);
const R = new Float64Array(10);
const PAD = new Int32Array(8);
const scratch = new Uint8Array(16);

function le32(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
}

/** One ChaCha20 block for `counter` into `block`. */
function chachaBlock(counter: number): void {
  const k = keyWords, n = nonceWords;
  const k0 = k[0]!, k1 = k[1]!, k2 = k[2]!, k3 = k[3]!;
  const k4 = k[4]!, k5 = k[5]!, k6 = k[6]!, k7 = k[7]!;
  const n0 = n[0]!, n1 = n[1]!, n2 = n[2]!;
  let x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
  let x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
  let x12 = counter | 0, x13 = n0, x14 = n1, x15 = n2;
  let t = 0;
  for (let i = 0; i < 10; i++) {
    // column rounds
    x0 = (x0 + x4) | 0, t = x12 ^ x0, x12 = (t << 16) | (t >>> 16);
    x8 = (x8 + x12) | 0, t = x4 ^ x8, x4 = (t << 12) | (t >>> 20);
    x0 = (x0 + x4) | 0, t = x12 ^ x0, x12 = (t << 8) | (t >>> 24);
    x8 = (x8 + x12) | 0, t = x4 ^ x8, x4 = (t << 7) | (t >>> 25);
    x1 = (x1 + x5) | 0, t = x13 ^ x1, x13 = (t << 16) | (t >>> 16);
    x9 = (x9 + x13) | 0, t = x5 ^ x9, x5 = (t << 12) | (t >>> 20);
    x1 = (x1 + x5) | 0, t = x13 ^ x1, x13 = (t << 8) | (t >>> 24);
    x9 = (x9 + x13) | 0, t = x5 ^ x9, x5 = (t << 7) | (t >>> 25);
    x2 = (x2 + x6) | 0, t = x14 ^ x2, x14 = (t << 16) | (t >>> 16);
    x10 = (x10 + x14) | 0, t = x6 ^ x10, x6 = (t << 12) | (t >>> 20);
    x2 = (x2 + x6) | 0, t = x14 ^ x2, x14 = (t << 8) | (t >>> 24);
    x10 = (x10 + x14) | 0, t = x6 ^ x10, x6 = (t << 7) | (t >>> 25);
    x3 = (x3 + x7) | 0, t = x15 ^ x3, x15 = (t << 16) | (t >>> 16);
    x11 = (x11 + x15) | 0, t = x7 ^ x11, x7 = (t << 12) | (t >>> 20);
    x3 = (x3 + x7) | 0, t = x15 ^ x3, x15 = (t << 8) | (t >>> 24);
    x11 = (x11 + x15) | 0, t = x7 ^ x11, x7 = (t << 7) | (t >>> 25);
    // diagonal rounds
    x0 = (x0 + x5) | 0, t = x15 ^ x0, x15 = (t << 16) | (t >>> 16);
    x10 = (x10 + x15) | 0, t = x5 ^ x10, x5 = (t << 12) | (t >>> 20);
    x0 = (x0 + x5) | 0, t = x15 ^ x0, x15 = (t << 8) | (t >>> 24);
    x10 = (x10 + x15) | 0, t = x5 ^ x10, x5 = (t << 7) | (t >>> 25);
    x1 = (x1 + x6) | 0, t = x12 ^ x1, x12 = (t << 16) | (t >>> 16);
    x11 = (x11 + x12) | 0, t = x6 ^ x11, x6 = (t << 12) | (t >>> 20);
    x1 = (x1 + x6) | 0, t = x12 ^ x1, x12 = (t << 8) | (t >>> 24);
    x11 = (x11 + x12) | 0, t = x6 ^ x11, x6 = (t << 7) | (t >>> 25);
    x2 = (x2 + x7) | 0, t = x13 ^ x2, x13 = (t << 16) | (t >>> 16);
    x8 = (x8 + x13) | 0, t = x7 ^ x8, x7 = (t << 12) | (t >>> 20);
    x2 = (x2 + x7) | 0, t = x13 ^ x2, x13 = (t << 8) | (t >>> 24);
    x8 = (x8 + x13) | 0, t = x7 ^ x8, x7 = (t << 7) | (t >>> 25);
    x3 = (x3 + x4) | 0, t = x14 ^ x3, x14 = (t << 16) | (t >>> 16);
    x9 = (x9 + x14) | 0, t = x4 ^ x9, x4 = (t << 12) | (t >>> 20);
    x3 = (x3 + x4) | 0, t = x14 ^ x3, x14 = (t << 8) | (t >>> 24);
    x9 = (x9 + x14) | 0, t = x4 ^ x9, x4 = (t << 7) | (t >>> 25);
  }
  const s = block;
  s[0] = x0 + 0x61707865, s[1] = x1 + 0x3320646e, s[2] = x2 + 0x79622d32, s[3] = x3 + 0x6b206574;
  s[4] = x4 + k0, s[5] = x5 + k1, s[6] = x6 + k2, s[7] = x7 + k3;
  s[8] = x8 + k4, s[9] = x9 + k5, s[10] = x10 + k6, s[11] = x11 + k7;
  s[12] = x12 + counter, s[13] = x13 + n0, s[14] = x14 + n1, s[15] = x15 + n2;
}

function loadKeyAndNonce(key: Uint8Array, nonce: Uint8Array): void {
  const k = keyWords;
  k[0] = le32(key, 0), k[1] = le32(key, 4), k[2] = le32(key, 8), k[3] = le32(key, 12);
  k[4] = le32(key, 16), k[5] = le32(key, 20), k[6] = le32(key, 24), k[7] = le32(key, 28);
  nonceWords[0] = le32(nonce, 0);
  nonceWords[1] = le32(nonce, 4);
  nonceWords[2] = le32(nonce, 8);
}

/** `output[o + i] = input[i + i0] ^ keystream[i]` for `length` bytes, blocks counted from 1. */
function xorKeystream(
  input: Uint8Array,
  inOff: number,
  output: Uint8Array,
  outOff: number,
  length: number,
): void {
  const ks = blockBytes;
  for (let off = 0, counter = 1; off < length; off += 64, counter++) {
    chachaBlock(counter);
    const n = length - off < 64 ? length - off : 64;
    const src = inOff + off, dst = outOff + off;
    for (let i = 0; i < n; i++) output[dst + i] = input[src + i]! ^ ks[i]!;
  }
}

/** Sets r (clamped, RFC 8439 §2.5.1) and s from the one-time key in `block`, h to 0. */
function polyInit(): void {
  const k = blockBytes;
  const t0 = k[0]! | (k[1]! << 8), t1 = k[2]! | (k[3]! << 8);
  const t2 = k[4]! | (k[5]! << 8), t3 = k[6]! | (k[7]! << 8);
  const t4 = k[8]! | (k[9]! << 8), t5 = k[10]! | (k[11]! << 8);
  const t6 = k[12]! | (k[13]! << 8), t7 = k[14]! | (k[15]! << 8);
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
  for (let i = 0; i < 10; i++) H[i] = 0;
}

/** Absorbs `blocks` full 16-byte blocks (each with the 2^128 bit) starting at `m[o]`. */
function polyBlocks(m: Uint8Array, o: number, blocks: number): void {
  const r0 = R[0]!, r1 = R[1]!, r2 = R[2]!, r3 = R[3]!, r4 = R[4]!;
  const r5 = R[5]!, r6 = R[6]!, r7 = R[7]!, r8 = R[8]!, r9 = R[9]!;
  const s1 = 5 * r1, s2 = 5 * r2, s3 = 5 * r3, s4 = 5 * r4, s5 = 5 * r5;
  const s6 = 5 * r6, s7 = 5 * r7, s8 = 5 * r8, s9 = 5 * r9;
  let h0 = H[0]!, h1 = H[1]!, h2 = H[2]!, h3 = H[3]!, h4 = H[4]!;
  let h5 = H[5]!, h6 = H[6]!, h7 = H[7]!, h8 = H[8]!, h9 = H[9]!;
  for (let b = 0; b < blocks; b++, o += 16) {
    const t0 = m[o]! | (m[o + 1]! << 8), t1 = m[o + 2]! | (m[o + 3]! << 8);
    const t2 = m[o + 4]! | (m[o + 5]! << 8), t3 = m[o + 6]! | (m[o + 7]! << 8);
    const t4 = m[o + 8]! | (m[o + 9]! << 8), t5 = m[o + 10]! | (m[o + 11]! << 8);
    const t6 = m[o + 12]! | (m[o + 13]! << 8), t7 = m[o + 14]! | (m[o + 15]! << 8);
    h0 += t0 & 0x1fff;
    h1 += ((t0 >>> 13) | (t1 << 3)) & 0x1fff;
    h2 += ((t1 >>> 10) | (t2 << 6)) & 0x1fff;
    h3 += ((t2 >>> 7) | (t3 << 9)) & 0x1fff;
    h4 += ((t3 >>> 4) | (t4 << 12)) & 0x1fff;
    h5 += (t4 >>> 1) & 0x1fff;
    h6 += ((t4 >>> 14) | (t5 << 2)) & 0x1fff;
    h7 += ((t5 >>> 11) | (t6 << 5)) & 0x1fff;
    h8 += ((t6 >>> 8) | (t7 << 8)) & 0x1fff;
    h9 += (t7 >>> 5) | (1 << 11);
    // h = h * r mod 2^130 - 5 (limb i of 2^130 wraps to limb 0 times 5). The ten sums are
    // independent (the carries are added afterwards), so the CPU overlaps them. Every value is
    // a non-negative integer below 2^36, so `(d * INV_LIMB) | 0` is floor(d / 2^13), exactly.
    let d0 = (h0 * r0 + h1 * s9) + (h2 * s8 + h3 * s7) + (h4 * s6 + h5 * s5) +
      (h6 * s4 + h7 * s3) + (h8 * s2 + h9 * s1);
    let d1 = (h0 * r1 + h1 * r0) + (h2 * s9 + h3 * s8) + (h4 * s7 + h5 * s6) +
      (h6 * s5 + h7 * s4) + (h8 * s3 + h9 * s2);
    let d2 = (h0 * r2 + h1 * r1) + (h2 * r0 + h3 * s9) + (h4 * s8 + h5 * s7) +
      (h6 * s6 + h7 * s5) + (h8 * s4 + h9 * s3);
    let d3 = (h0 * r3 + h1 * r2) + (h2 * r1 + h3 * r0) + (h4 * s9 + h5 * s8) +
      (h6 * s7 + h7 * s6) + (h8 * s5 + h9 * s4);
    let d4 = (h0 * r4 + h1 * r3) + (h2 * r2 + h3 * r1) + (h4 * r0 + h5 * s9) +
      (h6 * s8 + h7 * s7) + (h8 * s6 + h9 * s5);
    let d5 = (h0 * r5 + h1 * r4) + (h2 * r3 + h3 * r2) + (h4 * r1 + h5 * r0) +
      (h6 * s9 + h7 * s8) + (h8 * s7 + h9 * s6);
    let d6 = (h0 * r6 + h1 * r5) + (h2 * r4 + h3 * r3) + (h4 * r2 + h5 * r1) +
      (h6 * r0 + h7 * s9) + (h8 * s8 + h9 * s7);
    let d7 = (h0 * r7 + h1 * r6) + (h2 * r5 + h3 * r4) + (h4 * r3 + h5 * r2) +
      (h6 * r1 + h7 * r0) + (h8 * s9 + h9 * s8);
    let d8 = (h0 * r8 + h1 * r7) + (h2 * r6 + h3 * r5) + (h4 * r4 + h5 * r3) +
      (h6 * r2 + h7 * r1) + (h8 * r0 + h9 * s9);
    let d9 = (h0 * r9 + h1 * r8) + (h2 * r7 + h3 * r6) + (h4 * r5 + h5 * r4) +
      (h6 * r3 + h7 * r2) + (h8 * r1 + h9 * r0);
    let c = (d0 * INV_LIMB) | 0;
    d0 -= c * LIMB;
    d1 += c, c = (d1 * INV_LIMB) | 0, d1 -= c * LIMB;
    d2 += c, c = (d2 * INV_LIMB) | 0, d2 -= c * LIMB;
    d3 += c, c = (d3 * INV_LIMB) | 0, d3 -= c * LIMB;
    d4 += c, c = (d4 * INV_LIMB) | 0, d4 -= c * LIMB;
    d5 += c, c = (d5 * INV_LIMB) | 0, d5 -= c * LIMB;
    d6 += c, c = (d6 * INV_LIMB) | 0, d6 -= c * LIMB;
    d7 += c, c = (d7 * INV_LIMB) | 0, d7 -= c * LIMB;
    d8 += c, c = (d8 * INV_LIMB) | 0, d8 -= c * LIMB;
    d9 += c, c = (d9 * INV_LIMB) | 0, d9 -= c * LIMB;
    d0 += c * 5;
    c = (d0 * INV_LIMB) | 0, d0 -= c * LIMB;
    h0 = d0, h1 = d1 + c, h2 = d2, h3 = d3, h4 = d4;
    h5 = d5, h6 = d6, h7 = d7, h8 = d8, h9 = d9;
  }
  H[0] = h0, H[1] = h1, H[2] = h2, H[3] = h3, H[4] = h4;
  H[5] = h5, H[6] = h6, H[7] = h7, H[8] = h8, H[9] = h9;
}

/** Absorbs `m[o..o+len)` padded with zeros to a multiple of 16 bytes. */
function polyPadded(m: Uint8Array, o: number, len: number): void {
  const full = len >>> 4;
  if (full > 0) polyBlocks(m, o, full);
  const rest = len & 15;
  if (rest === 0) return;
  const t = scratch;
  const from = o + (full << 4);
  for (let i = 0; i < rest; i++) t[i] = m[from + i]!;
  for (let i = rest; i < 16; i++) t[i] = 0;
  polyBlocks(t, 0, 1);
}

/** Absorbs the length block (AAD length 0, ciphertext length `len`, little-endian). */
function polyLengths(len: number): void {
  const t = scratch;
  for (let i = 0; i < 8; i++) t[i] = 0;
  t[8] = len, t[9] = len >>> 8, t[10] = len >>> 16, t[11] = len >>> 24;
  const hi = Math.floor(len / 4294967296);
  t[12] = hi, t[13] = hi >>> 8, t[14] = hi >>> 16, t[15] = hi >>> 24;
  polyBlocks(t, 0, 1);
}

/** Fully reduces h, adds s (the pad) and writes the 16-byte tag to `out[off..]`. */
function polyFinish(out: Uint8Array, off: number): void {
  let h0 = H[0]!, h1 = H[1]!, h2 = H[2]!, h3 = H[3]!, h4 = H[4]!;
  let h5 = H[5]!, h6 = H[6]!, h7 = H[7]!, h8 = H[8]!, h9 = H[9]!;
  let c = (h1 * INV_LIMB) | 0;
  h1 -= c * LIMB;
  h2 += c, c = (h2 * INV_LIMB) | 0, h2 -= c * LIMB;
  h3 += c, c = (h3 * INV_LIMB) | 0, h3 -= c * LIMB;
  h4 += c, c = (h4 * INV_LIMB) | 0, h4 -= c * LIMB;
  h5 += c, c = (h5 * INV_LIMB) | 0, h5 -= c * LIMB;
  h6 += c, c = (h6 * INV_LIMB) | 0, h6 -= c * LIMB;
  h7 += c, c = (h7 * INV_LIMB) | 0, h7 -= c * LIMB;
  h8 += c, c = (h8 * INV_LIMB) | 0, h8 -= c * LIMB;
  h9 += c, c = (h9 * INV_LIMB) | 0, h9 -= c * LIMB;
  h0 += c * 5, c = (h0 * INV_LIMB) | 0, h0 -= c * LIMB;
  h1 += c, c = (h1 * INV_LIMB) | 0, h1 -= c * LIMB;
  h2 += c;
  // g = h + 5; c = 1 exactly when h + 5 >= 2^130, i.e. h >= p: then the tag uses g - 2^130.
  let g0 = h0 + 5;
  c = (g0 * INV_LIMB) | 0, g0 -= c * LIMB;
  let g1 = h1 + c;
  c = (g1 * INV_LIMB) | 0, g1 -= c * LIMB;
  let g2 = h2 + c;
  c = (g2 * INV_LIMB) | 0, g2 -= c * LIMB;
  let g3 = h3 + c;
  c = (g3 * INV_LIMB) | 0, g3 -= c * LIMB;
  let g4 = h4 + c;
  c = (g4 * INV_LIMB) | 0, g4 -= c * LIMB;
  let g5 = h5 + c;
  c = (g5 * INV_LIMB) | 0, g5 -= c * LIMB;
  let g6 = h6 + c;
  c = (g6 * INV_LIMB) | 0, g6 -= c * LIMB;
  let g7 = h7 + c;
  c = (g7 * INV_LIMB) | 0, g7 -= c * LIMB;
  let g8 = h8 + c;
  c = (g8 * INV_LIMB) | 0, g8 -= c * LIMB;
  let g9 = h9 + c;
  c = (g9 * INV_LIMB) | 0, g9 -= c * LIMB;
  if (c === 1) {
    h0 = g0, h1 = g1, h2 = g2, h3 = g3, h4 = g4, h5 = g5, h6 = g6, h7 = g7, h8 = g8, h9 = g9;
  }
  const w0 = (h0 | (h1 << 13)) & 0xffff;
  const w1 = ((h1 >>> 3) | (h2 << 10)) & 0xffff;
  const w2 = ((h2 >>> 6) | (h3 << 7)) & 0xffff;
  const w3 = ((h3 >>> 9) | (h4 << 4)) & 0xffff;
  const w4 = ((h4 >>> 12) | (h5 << 1) | (h6 << 14)) & 0xffff;
  const w5 = ((h6 >>> 2) | (h7 << 11)) & 0xffff;
  const w6 = ((h7 >>> 5) | (h8 << 8)) & 0xffff;
  const w7 = ((h8 >>> 8) | (h9 << 5)) & 0xffff;
  let f = w0 + PAD[0]!;
  out[off] = f, out[off + 1] = f >>> 8;
  f = w1 + PAD[1]! + (f >>> 16), out[off + 2] = f, out[off + 3] = f >>> 8;
  f = w2 + PAD[2]! + (f >>> 16), out[off + 4] = f, out[off + 5] = f >>> 8;
  f = w3 + PAD[3]! + (f >>> 16), out[off + 6] = f, out[off + 7] = f >>> 8;
  f = w4 + PAD[4]! + (f >>> 16), out[off + 8] = f, out[off + 9] = f >>> 8;
  f = w5 + PAD[5]! + (f >>> 16), out[off + 10] = f, out[off + 11] = f >>> 8;
  f = w6 + PAD[6]! + (f >>> 16), out[off + 12] = f, out[off + 13] = f >>> 8;
  f = w7 + PAD[7]! + (f >>> 16), out[off + 14] = f, out[off + 15] = f >>> 8;
}

/** The tag over `ct[off..off+len)` (no AAD) with the key and nonce already loaded. */
function computeTag(
  ct: Uint8Array,
  off: number,
  len: number,
  out: Uint8Array,
  outOff: number,
): void {
  chachaBlock(0);
  polyInit();
  polyPadded(ct, off, len);
  polyLengths(len);
  polyFinish(out, outOff);
}

/** Clears every scratch buffer that held key material. */
function wipe(): void {
  for (let i = 0; i < 16; i++) block[i] = 0;
  for (let i = 0; i < 8; i++) keyWords[i] = 0, PAD[i] = 0;
  for (let i = 0; i < 10; i++) H[i] = 0, R[i] = 0;
  nonceWords[0] = 0, nonceWords[1] = 0, nonceWords[2] = 0;
}

const SLAB_SIZE = 64 * 1024;
/** Outputs up to this size share slabs; larger ones get their own buffer. */
const MAX_SLAB_OUTPUT = 1024;
let slab = new Uint8Array(SLAB_SIZE);
let slabOffset = 0;

/**
 * A fresh output buffer of `length` bytes. Small ones are views into a shared
 * 64 KiB slab that is replaced when full and never written again after a
 * view of it was handed out: a separate `ArrayBuffer` per RPC frame costs
 * more than encrypting it. A slab is freed once none of its views is referenced.
 */
function allocate(length: number): Uint8Array {
  if (length > MAX_SLAB_OUTPUT) return new Uint8Array(length);
  if (slabOffset + length > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabOffset = 0;
  }
  const at = slabOffset;
  slabOffset = (at + length + 7) & ~7;
  return slab.subarray(at, at + length);
}

/**
 * Encrypts `plaintext`.
 * @param key 32 bytes
 * @param nonce 12 bytes
 * @param plaintext any length
 * @returns `ciphertext ‖ tag` (owned by the caller; never written again)
 */
export function chachaPolySeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const len = plaintext.length;
  loadKeyAndNonce(key, nonce);
  const out = allocate(len + TAG);
  xorKeystream(plaintext, 0, out, 0, len);
  computeTag(out, 0, len, out, len);
  wipe();
  return out;
}

/**
 * Decrypts `sealed` (`ciphertext ‖ tag`).
 * @returns the plaintext (owned by the caller; never written again), or null when the tag does not verify
 */
export function chachaPolyOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | null {
  if (sealed.length < TAG) return null;
  loadKeyAndNonce(key, nonce);
  const len = sealed.length - TAG;
  const expected = scratch;
  computeTag(sealed, 0, len, expected, 0);
  let diff = 0;
  for (let i = 0; i < TAG; i++) diff |= expected[i]! ^ sealed[len + i]!;
  if (diff !== 0) {
    wipe();
    return null;
  }
  const out = allocate(len);
  xorKeystream(sealed, 0, out, 0, len);
  wipe();
  return out;
}
