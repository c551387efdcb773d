/** Runs `opendesk serve` in-process on a free loopback port for command tests. */
import { FakeComputer } from "../../../src/computer/drivers/fake/fake_computer.ts";
import { runServe } from "../../../src/cli/commands/serve.ts";
import type { ServerHooks } from "../../../src/cli/commands/server_runner.ts";
import { createTestDeps, type TestDeps, waitFor } from "./test_deps.ts";

export interface ServeRun {
  deps: TestDeps;
  home: string;
  port: number;
  /** The pairing code printed in the box, if one was. */
  code(): string | undefined;
  /** Ctrl-C, then the exit code. */
  stop(): Promise<number>;
  fake: FakeComputer | undefined;
}

export function printedCode(text: string): string | undefined {
  const match = /PAIRING CODE {3}(\d{3}) (\d{3})/.exec(text);
  return match ? `${match[1]}${match[2]}` : undefined;
}

export async function startServe(
  home: string,
  extraArgs: string[] = [],
  options: { fake?: boolean; tty?: boolean } = {},
): Promise<ServeRun> {
  const deps = createTestDeps({ tty: options.tty ?? false });
  const fake = options.fake === false ? undefined : new FakeComputer();
  const hooks: ServerHooks | undefined = fake
    ? { backend: () => Promise.resolve({ computer: fake, reason: null }) }
    : undefined;
  const running = runServe(
    ["--home", home, "--port", "0", "--no-mdns", "--host", "127.0.0.1", ...extraArgs],
    deps,
    hooks,
  );
  let exited = false;
  running.finally(() => (exited = true));
  await waitFor(
    () => /listening on ws:\/\/[^:]+:\d+/.test(deps.stdout.text) || exited,
    "the server to listen",
  );
  if (exited) throw new Error(`serve exited early: ${deps.stderr.text}${deps.stdout.text}`);
  const port = Number(/listening on ws:\/\/[^:]+:(\d+)/.exec(deps.stdout.text)![1]);
  return {
    deps,
    home,
    port,
    fake,
    code: () => printedCode(deps.stdout.text),
    async stop(): Promise<number> {
      deps.interrupt();
      deps.end();
      return await running;
    },
  };
}
