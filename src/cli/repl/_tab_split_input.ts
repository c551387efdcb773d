/**
 * Terminal input for the REPL in which a Tab always reaches completion.
 * `node:readline` treats several characters arriving together as a paste
 * and only offers completion for the last character of a chunk; a Tab in the
 * middle of a chunk (fast typing, a terminal multiplexer, a paste) is then
 * inserted as a literal TAB. Ending a chunk after every Tab makes each Tab a
 * completion request, so the REPL never inserts a TAB character.
 *
 * @module
 */

import { Transform } from "node:stream";
import type { Readable } from "node:stream";

/** The pieces of `text` with every Tab ending its piece. */
export function splitAfterTabs(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let i = text.indexOf("\t"); i !== -1; i = text.indexOf("\t", i + 1)) {
    pieces.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/**
 * Wraps a terminal's input so that every Tab ends the chunk it came in;
 * raw mode is passed through to the terminal.
 *
 * @param input The terminal's standard input.
 * @returns A stream to give `readline.createInterface()` instead.
 */
export function tabSplitInput(input: Readable): Readable {
  const decoder = new TextDecoder();
  const split = new Transform({
    transform(chunk: Uint8Array | string, _encoding, callback): void {
      const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
      for (const piece of splitAfterTabs(text)) this.push(piece);
      callback();
    },
  });
  const tty = input as Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  Object.assign(split, {
    isTTY: tty.isTTY === true,
    setRawMode: (mode: boolean): unknown => tty.setRawMode?.(mode),
  });
  input.pipe(split);
  return split;
}
