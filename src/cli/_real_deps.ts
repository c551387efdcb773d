/**
 * The process-backed {@linkcode CliDeps}: Deno's standard streams, the real
 * environment and OS signals. Only `main.ts` uses it.
 *
 * @module
 */

import process from "node:process";
import type { CliDeps, TextWriter } from "./deps.ts";

const encoder = new TextEncoder();

function fileWriter(file: typeof Deno.stdout | typeof Deno.stderr): TextWriter {
  const isTTY = file.isTerminal();
  return {
    write(text: string): void {
      const bytes = encoder.encode(text);
      let written = 0;
      while (written < bytes.length) {
        try {
          written += file.writeSync(bytes.subarray(written));
        } catch (error) {
          // A closed pipe (e.g. `opendesk help | head`) is not worth a crash.
          if (error instanceof Deno.errors.BrokenPipe) return;
          throw error;
        }
      }
    },
    isTTY,
    get columns(): number {
      if (!isTTY) return 80;
      try {
        return Deno.consoleSize().columns || 80;
      } catch {
        return 80;
      }
    },
  };
}

/** Builds the real dependencies of the command line. */
export function realDeps(): CliDeps {
  const handlers = new Set<() => void>();
  const onSignal = (): void => {
    for (const handler of [...handlers]) handler();
  };
  let installed = false;
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  return {
    stdout: fileWriter(Deno.stdout),
    stderr: fileWriter(Deno.stderr),
    stdin: process.stdin,
    stdinIsTTY: Deno.stdin.isTerminal(),
    env: (name: string): string | undefined => Deno.env.get(name),
    cwd: Deno.cwd(),
    onInterrupt(handler: () => void): Disposable {
      handlers.add(handler);
      if (!installed) {
        for (const signal of signals) Deno.addSignalListener(signal, onSignal);
        installed = true;
      }
      return {
        [Symbol.dispose](): void {
          handlers.delete(handler);
          if (handlers.size === 0 && installed) {
            for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
            installed = false;
          }
        },
      };
    },
  };
}
