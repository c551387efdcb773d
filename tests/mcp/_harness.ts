/**
 * Starts `opendesk mcp` as a child process and connects the MCP SDK's own
 * `Client` to it, over stdio or over Streamable HTTP.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DENO_DIR } from "../cli/_util/deno_dir.ts";

export const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
export const FAKE_MAIN = new URL("./_fake_mcp_main.ts", import.meta.url).pathname;

/** Lines a child printed on stderr, with a wait for a matching one. */
export class Lines {
  readonly lines: string[] = [];
  #waiters = new Set<() => void>();
  #partial = "";
  push(chunk: string): void {
    this.#partial += chunk;
    let nl;
    while ((nl = this.#partial.indexOf("\n")) >= 0) {
      this.lines.push(this.#partial.slice(0, nl));
      this.#partial = this.#partial.slice(nl + 1);
    }
    for (const w of this.#waiters) w();
  }
  /** Resolves with the first line matching, waiting up to `timeoutMs`. */
  async waitFor(match: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No matching line; got:\n${this.lines.join("\n")}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }
}

/** The environment children run with: a private home, the cache, and `extra`. */
export function childEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    OPENDESK_HOME: `${home}/.opendesk`,
    DENO_DIR,
    NO_COLOR: "1",
    ...extra,
  };
}

/** A connected client and its child. */
export interface McpChild {
  readonly client: Client;
  readonly stderr: Lines;
  /** Calls a tool; returns the result. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Options of {@linkcode startStdio}. */
export interface StartOptions {
  /** Run the fake-backed entry (default) or the real CLI. */
  readonly fake?: boolean;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /** A home directory (a new temp one by default). */
  readonly home?: string;
  /** Client capabilities to declare. */
  readonly capabilities?: Record<string, unknown>;
}

/** Starts the child over stdio and connects the SDK client. */
export async function startStdio(options: StartOptions = {}): Promise<McpChild> {
  const home = options.home ?? await Deno.makeTempDir({ prefix: "od-mcp-home-" });
  const entry = options.fake === false ? MAIN : FAKE_MAIN;
  const args = [
    "run",
    "-A",
    "--unstable-net",
    entry,
    ...(options.fake === false ? ["mcp"] : []),
    ...(options.args ?? []),
  ];
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args,
    env: childEnv(home, options.env),
    stderr: "pipe",
  });
  const stderr = new Lines();
  transport.stderr?.on(
    "data",
    (chunk: Uint8Array | string) =>
      stderr.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk)),
  );
  const client = new Client({ name: "opendesk-test", version: "0" }, {
    capabilities: options.capabilities ?? {},
  });
  await client.connect(transport);
  return {
    client,
    stderr,
    call: async (name, args = {}) =>
      await client.callTool({ name, arguments: args }) as CallToolResult,
    async close() {
      await client.close();
    },
  };
}

/** Connects the SDK's Streamable HTTP client to `url` with `token`. */
export async function connectHttp(url: string, token: string): Promise<Client> {
  const client = new Client({ name: "opendesk-test", version: "0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

/** The text of a result's text blocks. */
export function textOf(result: CallToolResult): string {
  const blocks = result.content as Array<{ type: string; text?: string }>;
  return blocks.filter((c) => c.type === "text").map((c) => c.text ?? "").join("\n");
}

/** The first image block of a result, or undefined. */
export function imageOf(result: CallToolResult): { data: string; mimeType: string } | undefined {
  const blocks = result.content as Array<{ type: string; data?: string; mimeType?: string }>;
  const found = blocks.find((c) => c.type === "image");
  return found ? { data: found.data ?? "", mimeType: found.mimeType ?? "" } : undefined;
}

/** One listed tool, as the tests read it. */
export interface ListedTool {
  name: string;
  inputSchema: Record<string, unknown> & { properties?: Record<string, unknown> };
  outputSchema?: Record<string, unknown>;
  annotations?: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

/** `tools/list`. */
export async function listTools(client: Client): Promise<ListedTool[]> {
  return (await client.listTools()).tools as unknown as ListedTool[];
}

/** Fails unless `text` contains `part`. */
export function assertStringIncludes(text: string, part: string, message?: string): void {
  if (!text.includes(part)) {
    throw new Error(message ?? `Expected text to contain ${JSON.stringify(part)}:\n${text}`);
  }
}
