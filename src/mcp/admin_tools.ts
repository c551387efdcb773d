/**
 * The admin tools: which machines there are (`opendesk_peers`,
 * `opendesk_discover`), which one the session drives (`opendesk_use`,
 * `opendesk_status`), what it can do (`opendesk_capabilities`) and closing
 * connections (`opendesk_disconnect`). Pairing is not among them: pairing
 * codes must not pass through the model's channel.
 *
 * @module
 */

import { z } from "zod";
import { discover, effectiveDescription, fingerprint } from "./_target.ts";
import { oneLine } from "./_text.ts";
import { dataResult, type OpendeskTool, textResult } from "./tool_def.ts";
import { LOCAL, type Targets } from "./targets.ts";

/** What the admin tools act on. */
export interface AdminContext {
  readonly targets: Targets;
  /** Called after the session's target changed (the tool list follows it). */
  targetChanged(): Promise<void>;
}

/** An admin tool: runs without a target. */
export interface AdminTool extends Omit<OpendeskTool, "run" | "capabilities"> {
  run(
    args: Record<string, unknown>,
  ): Promise<import("@modelcontextprotocol/sdk/types.js").CallToolResult>;
}

function keyBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function firstLine(text: string, max = 160): string {
  return oneLine(text.split("\n")[0] ?? "", max);
}

function resolvedDefault(ctx: AdminContext): { name: string | null; source: string; note: string } {
  try {
    const r = ctx.targets.resolve();
    return { name: r.name, source: r.source, note: "" };
  } catch (error) {
    return { name: null, source: "ambiguous", note: (error as Error).message };
  }
}

/** The admin tools over `ctx`. */
export function adminTools(ctx: AdminContext): AdminTool[] {
  return [
    {
      name: "opendesk_peers",
      title: "List machines",
      description: "The machines this session can drive: 'local' (this machine) and every paired " +
        "machine, with the default and the open connections.",
      input: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run() {
        const def = resolvedDefault(ctx);
        const open = new Set((await ctx.targets.connections()).map((c) => c.name));
        const lines = ["Available peers:"];
        const flags = (name: string) => {
          const f: string[] = [];
          if (def.name === name) f.push(`default (${def.source})`);
          if (open.has(name)) f.push("connected");
          return f.length ? `  [${f.join(", ")}]` : "";
        };
        lines.push(`  local${flags(LOCAL)}  (this machine)`);
        for (const p of ctx.targets.pairedPeers()) {
          const desc = firstLine(effectiveDescription(p));
          lines.push(
            `  ${p.name}${flags(p.name)}  (${fingerprint(keyBytes(p.publicKey))})${
              desc ? `  ${desc}` : ""
            }`,
          );
        }
        if (def.note) lines.push(`Note: ${def.note}`);
        return textResult(lines.join("\n"));
      },
    },
    {
      name: "opendesk_use",
      title: "Choose the machine",
      description:
        "Make a machine the default target of this session ('local' for this machine). " +
        "Tools called without 'peer' drive it from now on.",
      input: { peer: z.string().min(1).describe("'local' or a name from opendesk_peers") },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
      async run(args) {
        const name = ctx.targets.use(args.peer as string);
        await ctx.targetChanged();
        return textResult(`Default peer is now: ${name}`);
      },
    },
    {
      name: "opendesk_status",
      title: "Session status",
      description: "The default machine of this session (and where that choice comes from) and " +
        "the open connections with their state.",
      input: {},
      output: {
        default: z.string().nullable(),
        source: z.string(),
        connections: z.array(
          z.object({ name: z.string(), address: z.string(), state: z.string() }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run() {
        const def = resolvedDefault(ctx);
        const connections = (await ctx.targets.connections()).map(({ name, handle }) => ({
          name,
          address: handle.address,
          state: handle.connected ? "connected" : "reconnecting",
        }));
        const lines = [
          `Default peer: ${def.name ?? "(none: several are paired)"} (${def.source})`,
          `Open connections: ${
            connections.length
              ? connections.map((c) => `${c.name} ${c.address} ${c.state}`).join("; ")
              : "none"
          }`,
        ];
        return dataResult(lines.join("\n"), { default: def.name, source: def.source, connections });
      },
    },
    {
      name: "opendesk_capabilities",
      title: "What a machine can do",
      description: "The capability manifest of a machine (default: the session's): backend, " +
        "capabilities, limits and description.",
      input: {
        peer: z.string().optional().describe("'local' or a paired name; default the session's"),
      },
      output: {
        peer: z.string(),
        backend: z.string(),
        capabilities: z.array(z.string()),
        description: z.string(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run(args) {
        const name = ctx.targets.resolve(args.peer as string | undefined).name;
        const handle = await ctx.targets.get(name);
        const m = handle.manifest();
        const data = {
          peer: name,
          backend: m.backend,
          capabilities: [...m.capabilities],
          description: m.description ?? "",
        };
        return dataResult(
          `Peer: ${name}\nBackend: ${m.backend}\nCapabilities: ${data.capabilities.join(", ")}`,
          data,
        );
      },
    },
    {
      name: "opendesk_discover",
      title: "Find machines on the network",
      description: "Look for opendesk servers on the local network (mDNS) and say which are " +
        "paired. Pairing itself happens in a terminal (`opendesk pair-with`), never through the agent.",
      input: {
        timeout: z.number().min(0.2).max(10).optional().describe("Seconds to listen (default 2)"),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
      async run(args) {
        const found = await discover({
          timeoutMs: ((args.timeout as number | undefined) ?? 2) * 1000,
        });
        const store = ctx.targets.store();
        const lines = found.map((d) => {
          const paired = store.get(d.publicKey);
          return `${d.name} ${d.host}:${d.port} ${d.fingerprint} ${
            paired ? `[paired as ${paired.name}]` : "[NOT paired]"
          }${d.description ? `  ${firstLine(d.description)}` : ""}`;
        });
        return textResult(
          lines.length ? lines.join("\n") : "No opendesk server answered on the local network",
        );
      },
    },
    {
      name: "opendesk_disconnect",
      title: "Close connections",
      description: "Close the connection to one machine, or all of them; the next call reconnects.",
      input: { peer: z.string().optional().describe("A name; omit to close all") },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
      async run(args) {
        const closed = await ctx.targets.disconnect(args.peer as string | undefined);
        return textResult(closed.length ? `Closed ${closed.join(", ")}` : "No connection was open");
      },
    },
  ];
}
