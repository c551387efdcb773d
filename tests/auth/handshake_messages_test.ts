import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { HandshakeError } from "../../src/auth/errors.ts";
import {
  decodeHandshakeMessage,
  encodeHandshakeMessage,
  type HandshakeMessage,
  peekHandshakeKind,
} from "../../src/auth/handshake_messages.ts";
import { hex, vec } from "./_helpers.ts";

const eC = vec("keys.client_ephemeral_public");
const eS = vec("keys.server_ephemeral_public");

const ENCODINGS: { name: string; message: HandshakeMessage; vector: string }[] = [
  { name: "pair_hello", message: { kind: "pair_hello", e: eC }, vector: "pairing.msg1_pair_hello" },
  {
    name: "pair_offer",
    message: { kind: "pair_offer", e: eS, ct: vec("pairing.ct1") },
    vector: "pairing.msg2_pair_offer",
  },
  {
    name: "pair_finish",
    message: { kind: "pair_finish", ct: vec("pairing.ct2") },
    vector: "pairing.msg3_pair_finish",
  },
  {
    name: "auth_hello",
    message: { kind: "auth_hello", e: eC, s: vec("keys.client_static_public") },
    vector: "auth.msg1_auth_hello",
  },
  {
    name: "auth_offer",
    message: { kind: "auth_offer", e: eS, ct: vec("auth.ct_ok") },
    vector: "auth.msg2_auth_offer",
  },
  {
    name: "auth_offer with empty ct (reference, untrusted)",
    message: { kind: "auth_offer", e: eS, ct: new Uint8Array(0) },
    vector: "auth.msg2_auth_offer_untrusted",
  },
];

for (const { name, message, vector } of ENCODINGS) {
  Deno.test(`encodeHandshakeMessage() packs ${name} exactly like the vector`, () => {
    deepStrictEqual(encodeHandshakeMessage(message), vec(vector));
  });
  Deno.test(`decodeHandshakeMessage() reads ${name} back`, () => {
    deepStrictEqual(decodeHandshakeMessage(vec(vector), message.kind), message);
  });
}

function expectProtocol(bytes: Uint8Array, expected: string | undefined, pattern: RegExp): void {
  throws(
    () => decodeHandshakeMessage(bytes, expected as "pair_hello" | undefined),
    (error: unknown) => {
      strictEqual((error as HandshakeError).reason, "protocol");
      strictEqual(error instanceof HandshakeError, true);
      if (!pattern.test((error as Error).message)) {
        throw new Error(`message: ${(error as Error).message}`);
      }
      return true;
    },
  );
}

const BAD: { name: string; bytes: Uint8Array; expected?: string; pattern: RegExp }[] = [
  { name: "not msgpack", bytes: hex("c1"), pattern: /malformed/ },
  {
    name: "truncated",
    bytes: vec("pairing.msg1_pair_hello").subarray(0, 40),
    pattern: /malformed/,
  },
  {
    name: "trailing bytes",
    bytes: new Uint8Array([...vec("pairing.msg1_pair_hello"), 0]),
    pattern: /malformed/,
  },
  {
    name: "an array",
    bytes: encode([1, "pair_hello"]),
    pattern: /expected a map, received an array/,
  },
  { name: "a string", bytes: encode("pair_hello"), pattern: /expected a map/ },
  {
    name: "v = 2",
    bytes: encode({ v: 2, kind: "pair_hello", e: eC }),
    pattern: /unsupported handshake version 2/,
  },
  {
    name: "v missing",
    bytes: encode({ kind: "pair_hello", e: eC }),
    pattern: /unsupported handshake version null/,
  },
  {
    name: "wrong kind",
    bytes: encode({ v: 1, kind: "auth_hello", e: eC, s: eC }),
    expected: "pair_hello",
    pattern: /expected pair_hello, got auth_hello/,
  },
  {
    name: "unknown kind",
    bytes: encode({ v: 1, kind: "pair_bye" }),
    pattern: /unknown handshake message kind/,
  },
  {
    name: "e as str",
    bytes: encode({ v: 1, kind: "pair_hello", e: "x".repeat(32) }),
    pattern: /pair_hello\.e must be bin, received string/,
  },
  {
    name: "e missing",
    bytes: encode({ v: 1, kind: "pair_hello" }),
    pattern: /pair_hello\.e must be bin, received nothing/,
  },
  {
    name: "e of 31 bytes",
    bytes: encode({ v: 1, kind: "pair_hello", e: eC.subarray(1) }),
    pattern: /must be 32 bytes, received 31/,
  },
  {
    name: "s of 33 bytes",
    bytes: encode({ v: 1, kind: "auth_hello", e: eC, s: new Uint8Array(33) }),
    pattern: /auth_hello\.s must be 32 bytes, received 33/,
  },
  {
    name: "oversized",
    bytes: encode({ v: 1, kind: "pair_finish", ct: new Uint8Array(300) }),
    pattern: /exceeds the limit of 256/,
  },
];

for (const { name, bytes, expected, pattern } of BAD) {
  Deno.test(`decodeHandshakeMessage() rejects ${name} as protocol`, () => {
    expectProtocol(bytes, expected, pattern);
  });
}

Deno.test("decodeHandshakeMessage() checks the version before the kind", () => {
  expectProtocol(encode({ v: 2, kind: "auth_hello" }), "pair_hello", /version/);
});

Deno.test("decodeHandshakeMessage() ignores unknown keys and accepts any ct length", () => {
  const bytes = encode({ v: 1, kind: "pair_offer", e: eS, ct: new Uint8Array(5), extra: "x" });
  deepStrictEqual(decodeHandshakeMessage(bytes, "pair_offer"), {
    kind: "pair_offer",
    e: eS,
    ct: new Uint8Array(5),
  });
});

Deno.test("peekHandshakeKind() returns the kind without checking fields", () => {
  strictEqual(
    peekHandshakeKind(encode({ v: 1, kind: "pair_hello", e: new Uint8Array(3) })),
    "pair_hello",
  );
  strictEqual(peekHandshakeKind(vec("auth.msg1_auth_hello")), "auth_hello");
  throws(() => peekHandshakeKind(encode({ v: 1, kind: 7 })), HandshakeError);
  throws(() => peekHandshakeKind(encode({ v: 3, kind: "pair_hello" })), HandshakeError);
});

Deno.test("encodeHandshakeMessage() gives the bytes of @msgpack/msgpack, the reference codec", () => {
  const key = new Uint8Array(32).fill(7);
  const ct = new Uint8Array(48).fill(9);
  const messages = [
    { kind: "pair_hello", e: key },
    { kind: "pair_offer", e: key, ct },
    { kind: "pair_finish", ct },
    { kind: "auth_hello", e: key, s: key },
    { kind: "auth_offer", e: key, ct },
  ] as const;
  for (const message of messages) {
    const { kind, ...fields } = message;
    deepStrictEqual(
      encodeHandshakeMessage(message as never),
      encode({ v: 1, kind, ...fields }),
      kind,
    );
  }
});
