import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { MAX_NONCE_COUNTER, Nonce } from "../../src/auth/nonce.ts";
import { hex } from "./_helpers.ts";

Deno.test("Nonce.next() hands out 96-bit big-endian counters from 0", () => {
  const nonce = new Nonce();
  deepStrictEqual(nonce.next(), hex("000000000000000000000000"));
  deepStrictEqual(nonce.next(), hex("000000000000000000000001"));
  strictEqual(nonce.value, 2n);
});

Deno.test("Nonce.next() carries across bytes", () => {
  const nonce = new Nonce(0xffn);
  deepStrictEqual(nonce.next(), hex("0000000000000000000000ff"));
  deepStrictEqual(nonce.next(), hex("000000000000000000000100"));
  const wide = new Nonce((1n << 64n) - 1n);
  wide.next();
  deepStrictEqual(wide.next(), hex("000000010000000000000000"));
});

Deno.test("Nonce.next() throws after the last value 2^96 - 1", () => {
  const nonce = new Nonce(MAX_NONCE_COUNTER);
  deepStrictEqual(nonce.next(), hex("ffffffffffffffffffffffff"));
  throws(() => nonce.next(), RangeError);
  throws(() => nonce.next(), RangeError);
});

Deno.test("Nonce constructor rejects values outside 0 to 2^96 - 1", () => {
  throws(() => new Nonce(-1n), RangeError);
  throws(() => new Nonce(MAX_NONCE_COUNTER + 1n), RangeError);
});

Deno.test("Nonce.next() returns a copy the caller may keep", () => {
  const nonce = new Nonce();
  const first = nonce.next();
  nonce.next();
  deepStrictEqual(first, new Uint8Array(12));
});

Deno.test("Nonce.nextInto() writes the same counters as next() into the given buffer", () => {
  const a = new Nonce(0xfen);
  const b = new Nonce(0xfen);
  const out = new Uint8Array(12);
  for (let i = 0; i < 3; i++) {
    const expected = a.next();
    strictEqual(b.nextInto(out), out);
    deepStrictEqual(out, expected);
  }
  deepStrictEqual(out, hex("000000000000000000000100"));
});

Deno.test("Nonce.nextInto() throws after the last value like next()", () => {
  const nonce = new Nonce(MAX_NONCE_COUNTER);
  nonce.nextInto(new Uint8Array(12));
  throws(() => nonce.nextInto(new Uint8Array(12)), RangeError);
});
