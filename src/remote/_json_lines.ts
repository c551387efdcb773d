/**
 * Line numbers of the values in a JSON text, by path (`["methods", "fs.*"]`),
 * so validation errors can name the line to fix. Internal; assumes text that
 * `JSON.parse` accepted.
 *
 * @module
 */

/** Maps `JSON.stringify(path)` to the 1-based line where that value (or its key) starts. */
export function jsonValueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) {
      if (text[i] === "\n") line++;
      i++;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: (string | number)[], keyLine: number): void => {
    skip();
    lines.set(JSON.stringify(path), keyLine);
    const ch = text[i];
    if (ch === "{") {
      i++;
      skip();
      while (text[i] !== "}" && i < text.length) {
        skip();
        const at = line;
        const key = readString();
        skip();
        i++; // the colon
        value([...path, key], at);
        skip();
        if (text[i] === ",") i++;
        skip();
      }
      i++;
    } else if (ch === "[") {
      i++;
      skip();
      let index = 0;
      while (text[i] !== "]" && i < text.length) {
        skip();
        value([...path, index++], line);
        skip();
        if (text[i] === ",") i++;
        skip();
      }
      i++;
    } else if (ch === '"') {
      readString();
    } else {
      while (i < text.length && /[^\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value([], 1);
  return lines;
}

/** The line of the deepest known prefix of `path` (1 when none is known). */
export function lineOf(lines: Map<string, number>, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const line = lines.get(JSON.stringify(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return 1;
}
