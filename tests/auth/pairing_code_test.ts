import { ok, strictEqual, throws } from "node:assert/strict";
import { generatePairingCode, validatePairingCode } from "../../src/auth/pairing_code.ts";

Deno.test("generatePairingCode() returns 6 ASCII digits and uses the whole range", () => {
  const firstDigits = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const code = generatePairingCode();
    ok(/^[0-9]{6}$/.test(code), code);
    firstDigits.add(code[0]!);
  }
  strictEqual(firstDigits.size, 10); // zero-padded codes (leading 0) occur too
});

const CASES: { input: string; valid: boolean }[] = [
  { input: "123456", valid: true },
  { input: "000000", valid: true },
  { input: "12345", valid: false },
  { input: "1234567", valid: false },
  { input: "12 456", valid: false },
  { input: "12a456", valid: false },
  { input: "１２３４５６", valid: false },
  { input: "٣٣٣٣٣٣", valid: false },
  { input: "123456\n", valid: false },
  { input: "", valid: false },
];

for (const { input, valid } of CASES) {
  Deno.test(`validatePairingCode() ${valid ? "accepts" : "rejects"} ${JSON.stringify(input)}`, () => {
    if (valid) strictEqual(validatePairingCode(input), input);
    else {
      throws(() => validatePairingCode(input), (e: unknown) => {
        ok(e instanceof RangeError);
        ok(e.message.startsWith("Invalid pairing code: expected exactly 6 digits 0-9"));
        return true;
      });
    }
  });
}
