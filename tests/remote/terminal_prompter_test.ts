import { assertEquals } from "./_assert.ts";
import { TerminalPrompter } from "../../src/remote/terminal_prompter.ts";

function scriptedInput(): {
  stream: ReadableStream<Uint8Array>;
  type(text: string): void;
  end(): void;
} {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
  const encoder = new TextEncoder();
  return {
    stream,
    type: (t) => controller.enqueue(encoder.encode(t)),
    end: () => controller.close(),
  };
}

Deno.test("TerminalPrompter.ask() reads the next line and discards earlier typing", async () => {
  const input = scriptedInput();
  const written: string[] = [];
  const prompter = new TerminalPrompter({
    input: input.stream,
    write: (t) => written.push(t),
    interactive: true,
  });
  const signal = new AbortController().signal;
  const first = prompter.ask("Q1? ", signal);
  input.type("y\r\n");
  assertEquals(await first, "y");
  input.type("stray\n");
  await new Promise((r) => setTimeout(r, 10));
  const second = prompter.ask("Q2? ", signal);
  input.type("n\n");
  assertEquals(await second, "n");
  input.end();
  assertEquals(await prompter.ask("Q3? ", signal), null);
  assertEquals(written, ["Q1? ", "Q2? ", "Q3? "]);
  await prompter.close();
});

Deno.test("TerminalPrompter.ask() resolves null when withdrawn", async () => {
  const input = scriptedInput();
  const prompter = new TerminalPrompter({
    input: input.stream,
    write: () => {},
    interactive: true,
  });
  const controller = new AbortController();
  const pending = prompter.ask("Q? ", controller.signal);
  controller.abort();
  assertEquals(await pending, null);
  await prompter.close();
});
