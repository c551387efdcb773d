/**
 * Pairing codes: 6 decimal digits, zero-padded, uniform from a CSPRNG
 * (a code given by the operator must be exactly 6 ASCII digits).
 *
 * @module
 */

import { PAIRING_CODE_DIGITS } from "./constants.ts";

const CODE_SPACE = 10 ** PAIRING_CODE_DIGITS;
// Largest multiple of CODE_SPACE below 2^32: values at or above it are redrawn (no modulo bias).
const REJECT_FROM = Math.floor(0x1_0000_0000 / CODE_SPACE) * CODE_SPACE;
const CODE_PATTERN = new RegExp(`^[0-9]{${PAIRING_CODE_DIGITS}}$`);

/**
 * Draws a fresh pairing code.
 *
 * @returns 6 ASCII digits, e.g. `"042917"`
 * @example Usage
 * ```ts
 * import { generatePairingCode } from "./pairing_code.ts";
 * console.assert(/^\d{6}$/.test(generatePairingCode()));
 * ```
 */
export function generatePairingCode(): string {
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word); while (word[0]! >= REJECT_FROM);
  return String(word[0]! % CODE_SPACE).padStart(PAIRING_CODE_DIGITS, "0");
}

/**
 * Checks that `code` is exactly 6 ASCII digits.
 *
 * @param code a code typed or passed by the user
 * @returns the code
 * @throws {RangeError} with a user-facing message otherwise
 */
export function validatePairingCode(code: string): string {
  if (typeof code !== "string" || !CODE_PATTERN.test(code)) {
    const length = typeof code === "string" ? `${code.length} characters` : typeof code;
    throw new RangeError(
      `Invalid pairing code: expected exactly ${PAIRING_CODE_DIGITS} digits 0-9, received ${length}; ` +
        "type the code shown by `opendesk pair` on the other machine",
    );
  }
  return code;
}
