/**
 * The MCP SDK's client under Node (what Claude Desktop, Claude Code and
 * Cursor run), for `bench_mcp.ts`: a temporary directory gets the SDK's
 * node_modules from Deno's cache (`deno install`), and a small Node script
 * times tool calls against `opendesk mcp` over stdio.
 *
 * @module
 */

const CLIENT_SCRIPT = `
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
const cfg = JSON.parse(process.argv[2]);
const client = new Client({ name: "bench-node", version: "0" });
await client.connect(new StdioClientTransport({ command: cfg.command, args: cfg.args, env: cfg.env, stderr: "ignore" }));
const out = {};
for (const [label, name, args] of cfg.calls) {
  for (let i = 0; i < 5; i++) await client.callTool({ name, arguments: args });
  const times = [];
  for (let i = 0; i < cfg.runs; i++) {
    const t = performance.now();
    await client.callTool({ name, arguments: args });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  out[label] = times[Math.floor(times.length / 2)];
}
await client.close();
console.log(JSON.stringify(out));
`;

/** One timed call: label, tool name, arguments. */
export type TimedCall = [string, string, Record<string, unknown>];

/** Times `calls` with the Node SDK client; null when Node is not installed. */
export async function nodeClientP50(
  server: { command: string; args: string[]; env: Record<string, string> },
  calls: TimedCall[],
  runs: number,
): Promise<Record<string, number> | null> {
  try {
    const v = await new Deno.Command("node", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!v.success) return null;
  } catch {
    return null;
  }
  const dir = await Deno.makeTempDir({ prefix: "od-bench-node-" });
  try {
    await Deno.writeTextFile(
      `${dir}/package.json`,
      JSON.stringify({
        type: "module",
        dependencies: { "@modelcontextprotocol/sdk": "1.32.0", zod: "3.25.76" },
      }),
    );
    const install = await new Deno.Command(Deno.execPath(), {
      args: ["install", "--node-modules-dir=auto"],
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!install.success) throw new Error(new TextDecoder().decode(install.stderr));
    await Deno.writeTextFile(`${dir}/client.mjs`, CLIENT_SCRIPT);
    const run = await new Deno.Command("node", {
      args: [`${dir}/client.mjs`, JSON.stringify({ ...server, calls, runs })],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!run.success) throw new Error("the Node client failed");
    return JSON.parse(new TextDecoder().decode(run.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
