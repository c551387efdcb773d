import { deepStrictEqual } from "node:assert/strict";
import { nobleAead } from "../../src/auth/aead.ts";
import { createCryptoSuite, defaultCryptoSuite } from "../../src/auth/crypto_suite.ts";
import {
  authProofKey,
  authTranscript,
  derivePairingPsk,
  deriveSessionKeys,
  pairingKey1,
  pairingKey2,
  pairingTranscript,
} from "../../src/auth/key_schedule.ts";
import { nobleX25519 } from "../../src/auth/x25519.ts";
import { KEYS, vec, vecValue } from "./_helpers.ts";

const SUITES = [
  ["node:crypto", defaultCryptoSuite()],
  ["noble", createCryptoSuite({ x25519: nobleX25519, aead: nobleAead })],
] as const;

Deno.test("derivePairingPsk() reproduces psk (123456) and psk_code_000000", async () => {
  const suite = defaultCryptoSuite();
  deepStrictEqual(
    await derivePairingPsk(suite, vecValue("inputs.pairing_code.value")),
    vec("pairing.psk"),
  );
  deepStrictEqual(await derivePairingPsk(suite, "000000"), vec("pairing.psk_code_000000"));
});

for (const [name, suite] of SUITES) {
  Deno.test(`key schedule (${name}) reproduces every pairing value`, () => {
    const psk = vec("pairing.psk");
    const dhEe = vec("pairing.dh_ee");
    deepStrictEqual(pairingKey1(suite, psk, dhEe), vec("pairing.k1"));
    deepStrictEqual(pairingKey2(suite, psk, vec("pairing.ct1"), dhEe), vec("pairing.k2"));
    const eSPub = vec("keys.server_ephemeral_public");
    const eCPub = vec("keys.client_ephemeral_public");
    const transcript = pairingTranscript(
      suite,
      eSPub,
      eCPub,
      vec("pairing.ct1"),
      vec("pairing.ct2"),
    );
    deepStrictEqual(transcript, vec("pairing.transcript"));
    const dhSe = suite.x25519.sharedSecret(KEYS.serverStatic, eCPub);
    const dhEs = suite.x25519.sharedSecret(KEYS.serverEphemeral, vec("keys.client_static_public"));
    const keys = deriveSessionKeys(suite, transcript, [dhEe, dhSe, dhEs, psk]);
    deepStrictEqual(keys.c2s, vec("pairing.session_key_c2s"));
    deepStrictEqual(keys.s2c, vec("pairing.session_key_s2c"));
  });

  Deno.test(`key schedule (${name}) reproduces every auth value`, () => {
    const eSPub = vec("keys.server_ephemeral_public");
    const eCPub = vec("keys.client_ephemeral_public");
    const sCPub = vec("keys.client_static_public");
    const sSPub = vec("keys.server_static_public");
    const transcript = authTranscript(suite, eSPub, eCPub, sCPub);
    deepStrictEqual(transcript, vec("auth.transcript"));
    // client-side computation of the four DH values
    const d1 = suite.x25519.sharedSecret(KEYS.clientEphemeral, eSPub);
    const d2 = suite.x25519.sharedSecret(KEYS.clientEphemeral, sSPub);
    const d3 = suite.x25519.sharedSecret(KEYS.clientStatic, eSPub);
    const d4 = suite.x25519.sharedSecret(KEYS.clientStatic, sSPub);
    deepStrictEqual(authProofKey(suite, transcript, d1, d2), vec("auth.k"));
    const keys = deriveSessionKeys(suite, transcript, [d1, d2, d3, d4]);
    deepStrictEqual(keys.c2s, vec("auth.session_key_c2s"));
    deepStrictEqual(keys.s2c, vec("auth.session_key_s2c"));
  });
}
