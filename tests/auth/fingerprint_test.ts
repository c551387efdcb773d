import { strictEqual, throws } from "node:assert/strict";
import { auditFingerprint, fingerprint } from "../../src/auth/fingerprint.ts";
import { vec, vecValue } from "./_helpers.ts";

Deno.test("fingerprint() gives four groups of 4 hex digits (vector)", () => {
  strictEqual(
    fingerprint(vec("keys.server_static_public")),
    vecValue("keys.server_static_fingerprint.value"),
  );
});

Deno.test("auditFingerprint() gives the first 16 hex characters", () => {
  strictEqual(auditFingerprint(vec("keys.server_static_public")), "7b4e909bbe7ffe44");
});

Deno.test("fingerprint() rejects keys shorter than 8 bytes", () => {
  throws(() => fingerprint(new Uint8Array(7)), RangeError);
});
