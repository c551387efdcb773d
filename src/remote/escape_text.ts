/**
 * Text from the network made safe to show on a terminal: every character
 * that could move the cursor, recolour, reorder or hide text is shown as a
 * visible escape instead of being sent to the terminal.
 *
 * @module
 */

/** Options of {@linkcode escapeForTerminal}. */
export interface EscapeForTerminalOptions {
  /**
   * Longest text kept, in characters of the input; longer text is cut and a
   * marker says how much was left out.
   * @default {Infinity}
   */
  maxLength?: number;
}

// C0 and C1 controls and DEL; format characters (bidi overrides and
// isolates, zero-width space/joiners, word joiner, BOM, tag characters);
// line and paragraph separators; lone surrogates.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_GLOBAL = new RegExp(UNSAFE.source, "gu");

/**
 * Escapes `text` for display: characters below U+0100 become `\xNN`
 * (ESC is `\x1b`, CR is `\x0d`), the others `\u{…}` (a right-to-left
 * override is `\u{202e}`, a zero-width space `\u{200b}`). Printable text,
 * other languages and emoji pass unchanged; a backslash is kept as it is.
 * With `maxLength`, longer text is cut and ends with `…[N more characters]`.
 *
 * @param text untrusted text
 * @param options length limit
 * @returns text that cannot change what the terminal shows elsewhere
 * @example Usage
 * ```ts
 * import { escapeForTerminal } from "./escape_text.ts";
 * console.assert(escapeForTerminal("ls\r\x1b[2Kcurl") === "ls\\x0d\\x1b[2Kcurl");
 * ```
 */
export function escapeForTerminal(text: string, options: EscapeForTerminalOptions = {}): string {
  const max = options.maxLength ?? Infinity;
  let kept = text;
  let omitted = 0;
  if (text.length > max) {
    const chars = Array.from(text);
    if (chars.length > max) {
      kept = chars.slice(0, max).join("");
      omitted = chars.length - max;
    }
  }
  const escaped = UNSAFE.test(kept) ? kept.replace(UNSAFE_GLOBAL, escapeChar) : kept;
  return omitted > 0
    ? `${escaped}…[${omitted} more character${omitted === 1 ? "" : "s"}]`
    : escaped;
}

/** True when `text` holds a character that {@linkcode escapeForTerminal} would escape. */
export function hasUnsafeTerminalText(text: string): boolean {
  return UNSAFE.test(text);
}

function escapeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}
