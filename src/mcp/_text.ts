/**
 * Text from the target (window titles, element names, descriptions) made
 * safe for one line of a tool result: control characters become spaces and
 * long text is cut with an ellipsis.
 *
 * @module
 */

/** `text` on one line, control characters replaced, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code < 0x20 || code === 0x7f ? " " : ch;
    if (out.length > max) return `${out.slice(0, max)}…`;
  }
  return out;
}
