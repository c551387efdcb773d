/**
 * The `shell` tool: a command through the target's shell, or a program
 * with its arguments, with a deadline; long output is cut with a note that
 * states its full size. While it runs, progress notifications report the
 * elapsed time; cancelling the tool call stops the command.
 *
 * @module
 */

import { z } from "zod";
import type { CompletedCommand } from "./_target.ts";
import { type OpendeskTool, requireCapability, type ToolCall } from "./tool_def.ts";
import { ToolError } from "./targets.ts";

const OUTPUT_MAX_BYTES = 30_000;
const DEFAULT_TIMEOUT_S = 60;
const MAX_TIMEOUT_S = 3600;
const PROGRESS_EVERY_MS = 1000;

function cut(name: string, bytes: Uint8Array): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(
    bytes.byteLength > OUTPUT_MAX_BYTES ? bytes.subarray(0, OUTPUT_MAX_BYTES) : bytes,
  );
  if (bytes.byteLength <= OUTPUT_MAX_BYTES) return text;
  return `${text}\n[${name} cut at ${OUTPUT_MAX_BYTES} of ${bytes.byteLength} bytes; redirect it ` +
    "to a file and read that with the files tool to see the rest]";
}

/** The text of a finished command. */
export function commandText(result: CompletedCommand): string {
  const parts = [`exit code ${result.returncode} after ${result.duration.toFixed(2)} s`];
  if (result.stdout.byteLength) parts.push(`stdout:\n${cut("stdout", result.stdout)}`);
  if (result.stderr.byteLength) parts.push(`stderr:\n${cut("stderr", result.stderr)}`);
  return parts.join("\n");
}

async function withProgress<T>(call: ToolCall, timeoutS: number, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => {
    const elapsed = (Date.now() - started) / 1000;
    call.progress(elapsed, timeoutS, `running for ${elapsed.toFixed(0)} s`).catch(() => {});
  }, PROGRESS_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** The `shell` tool. */
export const SHELL_TOOL: OpendeskTool = {
  name: "shell",
  title: "Run a command",
  description: "Run a command on the target through its shell (command), or a program with its " +
    `arguments without a shell (argv). Killed after 'timeout' seconds (default ${DEFAULT_TIMEOUT_S}). ` +
    `stdout and stderr are each cut at ${OUTPUT_MAX_BYTES} bytes (the full size is stated).`,
  input: {
    command: z.string().min(1).optional().describe("A shell command line"),
    argv: z.array(z.string()).min(1).optional().describe("A program and its arguments (no shell)"),
    cwd: z.string().optional().describe("Working directory"),
    timeout: z.number().positive().max(MAX_TIMEOUT_S).optional().describe("Seconds"),
    stdin: z.string().optional().describe("argv: text written to the program's standard input"),
  },
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: true,
  },
  capabilities: ["process.shell", "process.spawn"],
  async run(args, call) {
    const timeout = (args.timeout as number | undefined) ?? DEFAULT_TIMEOUT_S;
    const cwd = (args.cwd as string | undefined) ?? null;
    const opts = { signal: call.signal, timeoutMs: (timeout + 10) * 1000 };
    const command = args.command as string | undefined;
    const argv = args.argv as string[] | undefined;
    if ((command === undefined) === (argv === undefined)) {
      throw new ToolError(
        "Give exactly one of 'command' (through the shell) or 'argv' (a program)",
      );
    }
    let result: CompletedCommand;
    if (command !== undefined) {
      requireCapability(call, "process.shell", "run shell commands");
      result = await withProgress(
        call,
        timeout,
        call.computer.shell(command, { timeout, cwd }, opts),
      );
    } else {
      requireCapability(call, "process.spawn", "run programs");
      const stdin = args.stdin as string | undefined;
      result = await withProgress(
        call,
        timeout,
        call.computer.exec(argv!, {
          timeout,
          cwd,
          stdin: stdin === undefined ? null : new TextEncoder().encode(stdin),
        }, opts),
      );
    }
    return { content: [{ type: "text", text: commandText(result) }] };
  },
};
