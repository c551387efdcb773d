import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { nobleX25519, nodeX25519 } from "../../src/auth/x25519.ts";
import { hex, KEYS, vec } from "./_helpers.ts";

const BACKENDS = [nodeX25519, nobleX25519];

for (const x of BACKENDS) {
  Deno.test(`${x.name} X25519.publicKey() reproduces the four vector public keys`, () => {
    deepStrictEqual(x.publicKey(KEYS.serverStatic), vec("keys.server_static_public"));
    deepStrictEqual(x.publicKey(KEYS.clientStatic), vec("keys.client_static_public"));
    deepStrictEqual(x.publicKey(KEYS.serverEphemeral), vec("keys.server_ephemeral_public"));
    deepStrictEqual(x.publicKey(KEYS.clientEphemeral), vec("keys.client_ephemeral_public"));
  });

  Deno.test(`${x.name} X25519.sharedSecret() gives dh_ee from both sides`, () => {
    const eSPub = vec("keys.server_ephemeral_public");
    const eCPub = vec("keys.client_ephemeral_public");
    deepStrictEqual(x.sharedSecret(KEYS.serverEphemeral, eCPub), vec("pairing.dh_ee"));
    deepStrictEqual(x.sharedSecret(KEYS.clientEphemeral, eSPub), vec("pairing.dh_ee"));
  });

  Deno.test(`${x.name} X25519.sharedSecret() returns 32 zero bytes for low-order public keys`, () => {
    const lowOrder = [
      "00".repeat(32),
      "01" + "00".repeat(31),
      "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    ];
    for (const point of lowOrder) {
      deepStrictEqual(x.sharedSecret(KEYS.serverStatic, hex(point)), new Uint8Array(32), point);
    }
  });

  Deno.test(`${x.name} X25519 rejects keys that are not 32 bytes`, () => {
    throws(() => x.publicKey(new Uint8Array(31)), TypeError);
    throws(() => x.sharedSecret(KEYS.serverStatic, new Uint8Array(33)), TypeError);
  });
}

Deno.test("X25519 back ends agree on unclamped private keys", () => {
  const raw = new Uint8Array(32).fill(0xff);
  const peer = vec("keys.client_static_public");
  deepStrictEqual(nodeX25519.publicKey(raw), nobleX25519.publicKey(raw));
  deepStrictEqual(nodeX25519.sharedSecret(raw, peer), nobleX25519.sharedSecret(raw, peer));
  strictEqual(nodeX25519.publicKey(raw).length, 32);
});
