/** Test seam for the CLI: captured output, scripted standard input, triggerable interrupts. */
import { PassThrough } from "node:stream";
import { type CliDeps, StringWriter } from "../../../src/cli/deps.ts";

export interface TestDeps extends CliDeps {
  readonly stdout: StringWriter;
  readonly stderr: StringWriter;
  /** Writes lines to standard input (each gets a newline). */
  feed(...lines: string[]): void;
  /** Ends standard input (Ctrl-D). */
  end(): void;
  /** Triggers the interrupt handlers (Ctrl-C). */
  interrupt(): void;
  /** Number of registered interrupt handlers. */
  readonly interruptHandlers: number;
}

export interface TestDepsOptions {
  cwd?: string;
  env?: Record<string, string>;
  tty?: boolean;
  columns?: number;
}

export function createTestDeps(options: TestDepsOptions = {}): TestDeps {
  const stdin = new PassThrough();
  const handlers = new Set<() => void>();
  const tty = options.tty ?? false;
  const env = options.env ?? {};
  return {
    stdout: new StringWriter({ isTTY: tty, columns: options.columns ?? 100 }),
    stderr: new StringWriter({ isTTY: tty, columns: options.columns ?? 100 }),
    stdin,
    stdinIsTTY: tty,
    env: (name: string) => env[name],
    cwd: options.cwd ?? Deno.cwd(),
    onInterrupt(handler: () => void): Disposable {
      handlers.add(handler);
      return { [Symbol.dispose]: () => handlers.delete(handler) };
    },
    feed(...lines: string[]): void {
      for (const line of lines) stdin.write(`${line}\n`);
    },
    end(): void {
      stdin.end();
    },
    interrupt(): void {
      for (const handler of [...handlers]) handler();
    },
    get interruptHandlers(): number {
      return handlers.size;
    },
  };
}

/** Waits until `predicate` holds (polling), or fails after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
