/**
 * One yes/no question on the controller's terminal, before the REPL takes
 * over standard input.
 *
 * @module
 */

import { createInterface } from "node:readline";
import type { CliDeps } from "../deps.ts";

/**
 * Asks `question` and resolves true only for an answer starting with `y`;
 * end of input or anything else is no.
 *
 * @param deps I/O seam (the question goes to standard error).
 * @param question The question, ending with something like `[y/N] `.
 */
export function askYesNo(deps: CliDeps, question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: deps.stdin, terminal: false });
    let answered = false;
    rl.once("line", (line: string) => {
      answered = true;
      rl.close();
      resolve(/^\s*y/i.test(line));
    });
    rl.once("close", () => {
      if (!answered) resolve(false);
    });
    deps.stderr.write(question);
  });
}
