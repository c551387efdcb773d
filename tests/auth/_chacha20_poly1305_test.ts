/**
 * The small-message ChaCha20-Poly1305 against `node:crypto` (byte-identical
 * output, forgeries refused) and the vectors the protocol pins.
 */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { chachaPolyOpen, chachaPolySeal } from "../../src/auth/_chacha20_poly1305.ts";
import { hybridAead, nodeAead, SMALL_MESSAGE_BYTES } from "../../src/auth/aead.ts";

function random(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) {
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  }
  return out;
}

Deno.test("chachaPolySeal() matches node:crypto for every length up to 300 and random keys", () => {
  for (let len = 0; len <= 300; len++) {
    const key = random(32);
    const nonce = random(12);
    const plaintext = random(len);
    deepStrictEqual(
      chachaPolySeal(key, nonce, plaintext),
      new Uint8Array(nodeAead.seal(key, nonce, plaintext)),
    );
  }
});

Deno.test("chachaPolySeal() matches node:crypto for larger messages, across chunks, and high nonces", () => {
  // Past 32 KiB a message goes through the module's memory in several chunks.
  for (const len of [1023, 1024, 4096, 32767, 32768, 32769, 65537, 100_003]) {
    const key = random(32);
    const nonce = new Uint8Array(12).fill(0xff);
    const plaintext = random(len);
    deepStrictEqual(
      chachaPolySeal(key, nonce, plaintext),
      new Uint8Array(nodeAead.seal(key, nonce, plaintext)),
    );
  }
});

Deno.test("chachaPolyOpen() opens node:crypto output and refuses any flipped bit", () => {
  for (const len of [0, 1, 15, 16, 17, 63, 64, 65, 191, 192, 1000, 32768, 40_000]) {
    const key = random(32);
    const nonce = random(12);
    const plaintext = random(len);
    const sealed = new Uint8Array(nodeAead.seal(key, nonce, plaintext));
    deepStrictEqual(chachaPolyOpen(key, nonce, sealed), plaintext);
    for (const bit of [0, 7, sealed.length * 8 - 1, Math.floor(sealed.length * 4)]) {
      const tampered = sealed.slice();
      tampered[bit >>> 3]! ^= 1 << (bit & 7);
      strictEqual(chachaPolyOpen(key, nonce, tampered), null, `len ${len} bit ${bit}`);
    }
    strictEqual(chachaPolyOpen(random(32), nonce, sealed), null, "wrong key");
  }
  strictEqual(
    chachaPolyOpen(random(32), random(12), new Uint8Array(15)),
    null,
    "shorter than a tag",
  );
});

Deno.test("hybridAead switches back ends at SMALL_MESSAGE_BYTES with identical bytes", () => {
  const key = random(32);
  const nonce = random(12);
  for (const len of [SMALL_MESSAGE_BYTES - 1, SMALL_MESSAGE_BYTES, SMALL_MESSAGE_BYTES + 1]) {
    const plaintext = random(len);
    const sealed = hybridAead.seal(key, nonce, plaintext);
    deepStrictEqual(new Uint8Array(sealed), new Uint8Array(nodeAead.seal(key, nonce, plaintext)));
    deepStrictEqual(new Uint8Array(hybridAead.open(key, nonce, sealed)!), plaintext);
  }
});

Deno.test("chachaPolySeal() and chachaPolyOpen() outputs stay intact across many later messages", () => {
  // Small outputs share slabs: none may be overwritten by a later message.
  const key = random(32);
  const kept: {
    nonce: Uint8Array;
    plaintext: Uint8Array;
    sealed: Uint8Array;
    opened: Uint8Array;
  }[] = [];
  for (let i = 0; i < 3000; i++) {
    const nonce = random(12);
    const plaintext = random(i % 300);
    const sealed = chachaPolySeal(key, nonce, plaintext);
    kept.push({ nonce, plaintext, sealed, opened: chachaPolyOpen(key, nonce, sealed)! });
  }
  for (const { nonce, plaintext, sealed, opened } of kept) {
    deepStrictEqual(sealed, new Uint8Array(nodeAead.seal(key, nonce, plaintext)));
    deepStrictEqual(opened, plaintext);
  }
});
