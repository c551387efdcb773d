import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { nobleAead, nodeAead, nodeAeadAvailable, selectAead } from "../../src/auth/aead.ts";
import { vec } from "./_helpers.ts";

const SIZES = [0, 1, 15, 16, 17, 64, 4096, 65_537, 1 << 20];

Deno.test("nodeAead and nobleAead produce identical bytes and open each other's output", () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  for (const size of SIZES) {
    const nonce = crypto.getRandomValues(new Uint8Array(12));
    const plaintext = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) {
      crypto.getRandomValues(plaintext.subarray(i, Math.min(size, i + 65536)));
    }
    const a = nodeAead.seal(key, nonce, plaintext);
    const b = nobleAead.seal(key, nonce, plaintext);
    strictEqual(a.length, size + 16);
    deepStrictEqual(a, b, `size ${size}`);
    deepStrictEqual(nodeAead.open(key, nonce, b), plaintext);
    deepStrictEqual(nobleAead.open(key, nonce, a), plaintext);
  }
});

for (const aead of [nodeAead, nobleAead]) {
  Deno.test(`${aead.name} Aead.seal() reproduces ct1, ct2 and ct_ok`, () => {
    const zero = new Uint8Array(12);
    deepStrictEqual(
      aead.seal(vec("pairing.k1"), zero, vec("keys.server_static_public")),
      vec("pairing.ct1"),
    );
    deepStrictEqual(
      aead.seal(vec("pairing.k2"), zero, vec("keys.client_static_public")),
      vec("pairing.ct2"),
    );
    deepStrictEqual(
      aead.seal(vec("auth.k"), zero, new TextEncoder().encode("ok")),
      vec("auth.ct_ok"),
    );
  });

  Deno.test(`${aead.name} Aead.open() returns null for a flipped bit, a wrong key or short input`, () => {
    const key = vec("pairing.k1");
    const zero = new Uint8Array(12);
    const sealed = vec("pairing.ct1");
    for (let bit = 0; bit < sealed.length * 8; bit += 7) {
      const bad = sealed.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      strictEqual(aead.open(key, zero, bad), null, `bit ${bit}`);
    }
    strictEqual(aead.open(vec("pairing.k2"), zero, sealed), null);
    strictEqual(aead.open(key, zero, sealed.subarray(0, 15)), null);
    strictEqual(aead.open(key, zero, new Uint8Array(0)), null);
  });
}

Deno.test("selectAead() picks node:crypto here and keeps its choice", () => {
  ok(nodeAeadAvailable());
  strictEqual(selectAead(), nodeAead);
  strictEqual(selectAead(), selectAead());
});

Deno.test("nodeAead.openInPlace() decrypts into the sealed buffer and zeroes it on a bad tag", () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  for (const size of [0, 1, 65_535, 65_536, 65_537, 3 * 65_536 + 5]) {
    const nonce = crypto.getRandomValues(new Uint8Array(12));
    const plaintext = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) {
      crypto.getRandomValues(plaintext.subarray(i, Math.min(size, i + 65536)));
    }
    const sealed = nodeAead.seal(key, nonce, plaintext);
    const opened = nodeAead.openInPlace!(key, nonce, sealed);
    deepStrictEqual(opened, plaintext, `size ${size}`);
    strictEqual(opened!.buffer, sealed.buffer, `size ${size}: a view of the sealed buffer`);
    strictEqual(opened!.byteOffset, sealed.byteOffset);

    const tampered = nodeAead.seal(key, nonce, plaintext);
    tampered[tampered.length - 1]! ^= 1;
    strictEqual(nodeAead.openInPlace!(key, nonce, tampered), null, `size ${size}`);
    ok(
      tampered.subarray(0, size).every((b) => b === 0),
      `size ${size}: unauthenticated bytes left`,
    );
  }
});
