/**
 * Runs one REPL line: finds the helper, `:` command or method it names,
 * builds and validates the params, calls, and prints the result (readable
 * or raw). Unknown names get a suggestion.
 *
 * @module
 */

import type { ParsedLine } from "./repl_args.ts";
import { buildCallParams, type ReplMethod } from "./repl_call_params.ts";
import type { ReplCommand, ReplContext } from "./repl_context.ts";
import { formatRaw, formatResult } from "./format_result.ts";
import { HELPER_COMMANDS } from "./repl_helpers.ts";
import { TRANSFER_COMMANDS } from "./file_transfer.ts";
import { metaCommands } from "./repl_meta.ts";
import { saveCapture } from "./screenshot_output.ts";
import { DisplayCapture } from "../computer/methods/methods_system.ts";
import { typedResult } from "./typed_result.ts";
import { runStream, STREAM_VALUE_FLAGS } from "./stream_view.ts";

/** Every helper and `:` command, in the order `:help` lists them. */
export function replCommands(): ReplCommand[] {
  const commands: ReplCommand[] = [];
  commands.push(...HELPER_COMMANDS, ...TRANSFER_COMMANDS, ...metaCommands(() => commands));
  commands.push({
    ...commands.find((c) => c.name === ":quit")!,
    name: ":exit",
    summary: "Same as :quit",
  });
  return commands;
}

/** Flags that take a value, across all commands (for the line parser). */
export function valueFlags(commands: readonly ReplCommand[]): string[] {
  return [...new Set([...STREAM_VALUE_FLAGS, ...commands.flatMap((c) => c.valueFlags ?? [])])];
}

/** Calls a method as typed and prints its result. */
export async function runMethod(
  ctx: ReplContext,
  method: ReplMethod,
  line: ParsedLine,
): Promise<void> {
  const params = buildCallParams(method, line);
  if (method.kind === "stream") {
    await runStream(ctx, method.name, params, line.flags);
    return;
  }
  const result = await ctx.call(method.name, params);
  ctx.state.lastResult = result;
  if (ctx.state.raw) {
    ctx.out(formatRaw(result));
    return;
  }
  if (method.name === "display.capture" && result) {
    const out = line.flags.out;
    const pixmap = typedResult(DisplayCapture, result);
    await saveCapture(ctx, pixmap, typeof out === "string" ? out : undefined);
    return;
  }
  ctx.out(formatResult(method.name, result, { width: ctx.deps.stdout.columns }));
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The message for an unknown command word, with the closest known name. */
export function unknownCommandMessage(word: string, names: Iterable<string>): string {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const name of names) {
    const score = name.startsWith(word) || name.endsWith(`.${word}`) ? 0 : distance(word, name);
    if (score < bestScore) {
      best = name;
      bestScore = score;
    }
  }
  const hint = best !== undefined && bestScore <= Math.max(2, word.length / 3)
    ? `: did you mean ${best}?`
    : "";
  return `Unknown command '${word}'${hint} (type :help for the list)`;
}
