/**
 * What every driver checks before typing `input.text`: the characters that
 * can be typed (tab, line breaks and printable characters; CR LF and CR become
 * LF) and the pause between characters.
 *
 * @module
 */

import { RemoteError } from "../../protocol/errors.ts";
import type { TextInput } from "../types/input.ts";

/** The code points to type and the pause after each, in milliseconds. */
export interface TypeableText {
  readonly codepoints: number[];
  readonly intervalMs: number;
}

/**
 * Checks a `TextInput` and returns what to type.
 *
 * @throws {RemoteError} `invalid_argument` for a control character or an interval outside 0–10000 ms
 */
export function typeableText(input: TextInput): TypeableText {
  const text = input.text.replace(/\r\n?/g, "\n");
  const codepoints: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if ((cp < 0x20 && cp !== 0x0a && cp !== 0x09) || (cp >= 0x7f && cp < 0xa0)) {
      throw new RemoteError(
        "invalid_argument",
        `Cannot type character U+${cp.toString(16).toUpperCase().padStart(4, "0")}: only tab, ` +
          `line breaks and printable characters can be typed`,
      );
    }
    codepoints.push(cp);
  }
  const intervalMs = input.interval_ms ?? 20;
  if (!Number.isFinite(intervalMs) || intervalMs < 0 || intervalMs > 10_000) {
    throw new RemoteError(
      "invalid_argument",
      `Cannot type with interval_ms ${intervalMs}: use 0 to 10000`,
    );
  }
  return { codepoints, intervalMs };
}
