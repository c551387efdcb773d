/**
 * Runs one REPL line: finds the helper, `:` command or method it names,
 * builds and validates the params, calls, and prints the result (readable
 * or raw). Unknown names get a suggestion.
 *
 * @module
 */

import { closestName } from "../../remote/closest_name.ts";
import { RemoteError } from "../../protocol/errors.ts";
import type { ParsedLine } from "./repl_args.ts";
import { buildCallParams, type ReplMethod } from "./repl_call_params.ts";
import {
  printCommandResult,
  type ReplCommand,
  type ReplContext,
  ReplUsageError,
} from "./repl_context.ts";
import { formatRaw, formatResult, isCommandResult } from "../render/format_result.ts";
import { HELPER_COMMANDS } from "./repl_helpers.ts";
import { CLIPBOARD_COMMANDS } from "./repl_clipboard.ts";
import { numberRefs, UI_REF_COMMANDS } from "./repl_ui_refs.ts";
import { TRANSFER_COMMANDS } from "./file_transfer.ts";
import { metaCommands } from "./repl_meta.ts";
import { saveCapture } from "./screenshot_output.ts";
import { DisplayCapture } from "../../computer/methods/methods_system.ts";
import { typedResult } from "./typed_result.ts";
import { runStream, STREAM_VALUE_FLAGS } from "./stream_view.ts";

/** Every helper and `:` command, in the order `:help` lists them. */
export function replCommands(): ReplCommand[] {
  const commands: ReplCommand[] = [];
  commands.push(
    ...HELPER_COMMANDS,
    ...CLIPBOARD_COMMANDS,
    ...UI_REF_COMMANDS,
    ...TRANSFER_COMMANDS,
    ...metaCommands(() => commands),
  );
  commands.push({
    ...commands.find((c) => c.name === ":quit")!,
    name: ":exit",
    summary: "Same as :quit",
  }, {
    ...commands.find((c) => c.name === ":clear")!,
    name: "clear",
    summary: "Same as :clear",
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
    if (ctx.state.json) {
      throw new ReplUsageError(
        `${method.name} is a stream: --json prints single results; save frames with --out DIR ` +
          "in the REPL instead",
      );
    }
    await runStream(ctx, method.name, params, line.flags);
    return;
  }
  const result = method.name === "ui.tree"
    ? await callUiTree(ctx, params)
    : await ctx.call(method.name, params);
  ctx.state.lastResult = result;
  if (method.name === "ui.tree" && result) ctx.state.uiRefs = numberRefs(result);
  if (isCommandResult(result) && typeof result.returncode === "number") {
    ctx.state.exitStatus = result.returncode;
  }
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
  if (isCommandResult(result)) {
    printCommandResult(ctx, result);
    return;
  }
  ctx.out(
    formatResult(method.name, result, {
      width: ctx.deps.stdout.columns,
      ...(method.name === "ui.tree" && ctx.state.uiRefs ? { uiRefs: ctx.state.uiRefs } : {}),
    }),
  );
}

/**
 * `ui.tree` asking for element refs (an extension) unless the line set
 * `refs`; a server that refuses the parameter gets the call again without it.
 */
async function callUiTree(
  ctx: ReplContext,
  params: Record<string, unknown>,
): Promise<Record<string, unknown> | null> {
  if ("refs" in params) return await ctx.call("ui.tree", params);
  try {
    return await ctx.call("ui.tree", { ...params, refs: true });
  } catch (error) {
    const cause = (error as Error).cause;
    if (!(cause instanceof RemoteError) || cause.code !== "invalid_argument") throw error;
    return await ctx.call("ui.tree", params);
  }
}

/** The message for an unknown command word, with the closest known name. */
export function unknownCommandMessage(word: string, names: Iterable<string>): string {
  const best = closestName(word, names);
  const hint = best !== undefined ? `: did you mean ${best}?` : "";
  return `Unknown command '${word}'${hint} (type :help for the list)`;
}
