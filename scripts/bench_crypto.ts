/**
 * Crypto benchmarks of the auth layer: AEAD seal/open throughput for both
 * back ends, X25519 agreements per second for both back ends, PBKDF2 time
 * (the pairing PSK), and whole pairing/auth handshakes over the in-memory
 * loopback pair.
 *
 * Run with `deno task bench:crypto`. Each result is one line of
 * `key=value` fields starting with `bench=`, so it can be grepped.
 *
 * @module
 */

import { pbkdf2Sync } from "node:crypto";
import { type Aead, nobleAead, nodeAead } from "../src/auth/aead.ts";
import { authClient, authServer } from "../src/auth/auth_handshake.ts";
import { PSK_ITERATIONS, PSK_LENGTH, PSK_SALT } from "../src/auth/constants.ts";
import { defaultCryptoSuite } from "../src/auth/crypto_suite.ts";
import { Identity } from "../src/auth/identity.ts";
import { pairClient, pairServer } from "../src/auth/pairing_handshake.ts";
import { nobleX25519, nodeX25519, type X25519 } from "../src/auth/x25519.ts";
import { createLoopbackPair } from "../src/protocol/loopback.ts";

const MIB = 1024 * 1024;
const BUDGET_MS = Number(Deno.env.get("BENCH_BUDGET_MS") ?? 400);

function report(fields: Record<string, string | number>): void {
  const parts = Object.entries(fields).map(([k, v]) =>
    `${k}=${typeof v === "number" ? round(v) : v}`
  );
  console.log(parts.join(" "));
}

function round(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Runs `fn` repeatedly for about `BUDGET_MS` (after a warm-up) and returns ops per second. */
function opsPerSecond(fn: () => void): number {
  const warmUntil = performance.now() + BUDGET_MS / 4;
  while (performance.now() < warmUntil) fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    ops++;
    elapsed = performance.now() - start;
  } while (elapsed < BUDGET_MS);
  return ops / (elapsed / 1000);
}

async function averageMs(runs: number, fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  return (performance.now() - start) / runs;
}

function benchAead(aead: Aead): void {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const nonce = new Uint8Array(12);
  // 64 B to 1 KiB: where small calls live (and where a pure-JS cipher would have to win).
  for (const size of [64, 256, 1024, 4096, 8 * MIB]) {
    const plaintext = new Uint8Array(size).fill(0x5a);
    const sealed = aead.seal(key, nonce, plaintext);
    const seal = opsPerSecond(() => aead.seal(key, nonce, plaintext));
    const open = opsPerSecond(() => {
      if (aead.open(key, nonce, sealed) === null) throw new Error("open failed");
    });
    for (const [op, rate] of [["seal", seal], ["open", open]] as const) {
      report({
        bench: "aead",
        op,
        backend: aead.name,
        size,
        mib_per_s: (rate * size) / MIB,
        ops_per_s: rate,
      });
    }
  }
}

function benchX25519(x: X25519): void {
  const priv = crypto.getRandomValues(new Uint8Array(32));
  const peer = x.publicKey(crypto.getRandomValues(new Uint8Array(32)));
  report({
    bench: "x25519",
    op: "shared_secret",
    backend: x.name,
    ops_per_s: opsPerSecond(() => x.sharedSecret(priv, peer)),
  });
  report({
    bench: "x25519",
    op: "public_key",
    backend: x.name,
    ops_per_s: opsPerSecond(() => x.publicKey(priv)),
  });
}

async function benchPbkdf2(): Promise<void> {
  const suite = defaultCryptoSuite();
  const code = new TextEncoder().encode("123456");
  const webcrypto = await averageMs(5, async () => {
    await suite.pbkdf2(code, PSK_SALT, PSK_ITERATIONS, PSK_LENGTH);
  });
  report({ bench: "pbkdf2", backend: "webcrypto", iterations: PSK_ITERATIONS, ms: webcrypto });
  const node = await averageMs(3, () => {
    pbkdf2Sync(code, PSK_SALT, PSK_ITERATIONS, PSK_LENGTH, "sha256");
    return Promise.resolve();
  });
  report({ bench: "pbkdf2", backend: "node:crypto", iterations: PSK_ITERATIONS, ms: node });
}

async function benchHandshakes(): Promise<void> {
  const server = Identity.generate();
  const client = Identity.generate();
  const pairing = await averageMs(10, async () => {
    const [a, b] = createLoopbackPair();
    const [c] = await Promise.all([
      pairClient(a, { code: "123456", identity: client }),
      pairServer(b, { code: "123456", identity: server }),
    ]);
    c.connection.close();
  });
  report({ bench: "handshake", kind: "pairing", transport: "loopback", ms: pairing });
  const auth = await averageMs(200, async () => {
    const [a, b] = createLoopbackPair();
    const [c] = await Promise.all([
      authClient(a, { identity: client, serverKey: server.publicKey }),
      authServer(b, { identity: server, isTrusted: () => true }),
    ]);
    c.connection.close();
  });
  report({ bench: "handshake", kind: "auth", transport: "loopback", ms: auth });
}

console.log(
  `# opendesk crypto benchmark: deno ${Deno.version.deno}, ${Deno.build.target}, budget ${BUDGET_MS} ms per case`,
);
for (const aead of [nodeAead, nobleAead]) benchAead(aead);
for (const x of [nodeX25519, nobleX25519]) benchX25519(x);
await benchPbkdf2();
await benchHandshakes();
