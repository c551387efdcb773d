/**
 * Splits a REPL line into words: whitespace separates words; `'…'` is taken
 * literally, `"…"` understands `\n`, `\t`, `\"` and `\\`; a bare backslash
 * escapes the next character; `{…}` and `[…]` (JSON) may contain spaces.
 *
 * @module
 */

/** One word of a REPL line. */
export interface Token {
  /** The word after quote removal and escapes. */
  readonly text: string;
  /** Offset of the word's first character in the line. */
  readonly start: number;
  /** Offset just past the word's last character. */
  readonly end: number;
  /**
   * Offset within `text` where the first quoted part starts, or -1 when no
   * part of the word was quoted (a quoted value is always a string).
   */
  readonly quotedFrom: number;
}

/** A REPL line that cannot be split into words (unterminated quote or bracket). */
export class ReplSyntaxError extends SyntaxError {
  /** Column (0-based) where the problem starts. */
  readonly column: number;
  constructor(message: string, column: number) {
    super(message);
    this.name = "ReplSyntaxError";
    this.column = column;
  }
}

/** Options of {@linkcode tokenize}. */
export interface TokenizeOptions {
  /**
   * Accept an unterminated quote or bracket at the end of the line (for
   * completion, where the user is still typing).
   * @default {false}
   */
  lenient?: boolean;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0" };

/**
 * Splits `line` into {@linkcode Token}s.
 *
 * @param line The input line.
 * @param options See {@linkcode TokenizeOptions}.
 * @returns The words in order.
 * @throws {ReplSyntaxError} for an unterminated quote or bracket (unless lenient)
 *
 * @example Usage
 * ```ts
 * import { tokenize } from "./repl_tokenizer.ts";
 * tokenize(`type "hello world"`).map((t) => t.text); // ["type", "hello world"]
 * ```
 */
export function tokenize(line: string, options: TokenizeOptions = {}): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let text = "";
    let quotedFrom = -1;
    let depth = 0;
    while (i < n && (depth > 0 || !/\s/.test(line[i]!))) {
      const ch = line[i]!;
      if (depth > 0) {
        // Inside JSON brackets: copy verbatim, skipping over JSON strings.
        if (ch === '"') {
          const close = findJsonStringEnd(line, i);
          if (close < 0) {
            if (options.lenient) {
              text += line.slice(i);
              i = n;
              break;
            }
            throw new ReplSyntaxError(`Unterminated string starting at column ${i + 1}`, i);
          }
          text += line.slice(i, close + 1);
          i = close + 1;
          continue;
        }
        if (ch === "{" || ch === "[") depth++;
        if (ch === "}" || ch === "]") depth--;
        text += ch;
        i++;
        continue;
      }
      if (ch === "'" || ch === '"') {
        if (quotedFrom < 0) quotedFrom = text.length;
        const quoteStart = i;
        i++;
        let closed = false;
        while (i < n) {
          const c = line[i]!;
          if (c === ch) {
            closed = true;
            i++;
            break;
          }
          if (ch === '"' && c === "\\" && i + 1 < n) {
            const next = line[i + 1]!;
            text += ESCAPES[next] ?? next;
            i += 2;
            continue;
          }
          text += c;
          i++;
        }
        if (!closed && !options.lenient) {
          throw new ReplSyntaxError(
            `Unterminated quote starting at column ${quoteStart + 1}: close it with ${ch}`,
            quoteStart,
          );
        }
        continue;
      }
      if (ch === "\\" && i + 1 < n) {
        text += line[i + 1]!;
        i += 2;
        continue;
      }
      if ((ch === "{" || ch === "[") && bracketStartsValue(text)) depth++;
      text += ch;
      i++;
    }
    if (depth > 0 && !options.lenient) {
      throw new ReplSyntaxError(
        `Unbalanced brackets in the value starting at column ${start + 1}`,
        start,
      );
    }
    tokens.push({ text, start, end: i, quotedFrom });
  }
  return tokens;
}

/** A `{` or `[` opens JSON only at the start of a word or right after `key=`. */
function bracketStartsValue(textSoFar: string): boolean {
  return textSoFar.length === 0 || textSoFar.endsWith("=");
}

function findJsonStringEnd(line: string, open: number): number {
  for (let j = open + 1; j < line.length; j++) {
    if (line[j] === "\\") {
      j++;
      continue;
    }
    if (line[j] === '"') return j;
  }
  return -1;
}

/** Quotes `text` so that {@linkcode tokenize} gives it back as one word. */
export function quoteWord(text: string): string {
  if (text.length > 0 && !/[\s'"\\{}[\]]/.test(text)) return text;
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
