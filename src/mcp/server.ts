/**
 * `createOpendeskMcp()`: the MCP server of opendesk, built with the SDK's
 * `McpServer`. Every tool but the admin tools takes an optional `peer`;
 * each call resolves its target (see `targets.ts`), runs with the client's
 * cancellation and progress, and turns failures into `isError` results
 * that say what to do next. Tools the default target cannot honour are
 * left out of `tools/list`; the list follows the target when it changes.
 *
 * @module
 */

import { McpServer, type RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import {
  ConnectionClosedError,
  type LocalBackend,
  openLocalTarget,
  openPeerTarget,
  type TargetHandle,
} from "./_target.ts";
import { adminTools } from "./admin_tools.ts";
import { COMPUTER_TOOL } from "./computer_tool.ts";
import { effectiveApprove, type McpApproveMode, policyFor, ToolCallScope } from "./consent.ts";
import { APPS_TOOL, CLIPBOARD_TOOL, NOTIFICATIONS_TOOL, WINDOWS_TOOL } from "./desktop_tools.ts";
import { FILES_TOOL } from "./files_tool.ts";
import type { ImageSpace } from "./image_space.ts";
import { SCREENSHOT_TOOL } from "./screenshot_tool.ts";
import { SHELL_TOOL } from "./shell_tool.ts";
import { errorResult } from "./tool_errors.ts";
import type { OpendeskTool, ToolCall } from "./tool_def.ts";
import { LOCAL, Targets } from "./targets.ts";
import { UI_TOOL } from "./ui_tool.ts";
import { WAIT_FOR_TOOL } from "./wait_for_tool.ts";

/** The version reported in `serverInfo`. */
export const MCP_SERVER_NAME = "opendesk";

/** The target-driving tools, in the order `tools/list` shows them. */
export const TARGET_TOOLS: readonly OpendeskTool[] = [
  SCREENSHOT_TOOL,
  COMPUTER_TOOL,
  UI_TOOL,
  WINDOWS_TOOL,
  APPS_TOOL,
  CLIPBOARD_TOOL,
  FILES_TOOL,
  SHELL_TOOL,
  NOTIFICATIONS_TOOL,
  WAIT_FOR_TOOL,
];

const PEER_PARAM = z.string().optional().describe(
  "Machine to drive: 'local' or a name from opendesk_peers; default the session's (opendesk_use)",
);

/** `name {args}` on one line for a consent question, long values cut. */
function describeCall(name: string, args: Record<string, unknown>): string {
  const text = JSON.stringify(
    args,
    (_k, v) => typeof v === "string" && v.length > 80 ? `${v.slice(0, 80)}…` : v,
  );
  return `${name} ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}

/** Options of {@linkcode createOpendeskMcp}. */
export interface OpendeskMcpOptions {
  /** The opendesk home. */
  readonly home: string;
  /** Version for `serverInfo`. */
  readonly version: string;
  /** The session's first target (`--target`). */
  readonly target?: string | undefined;
  /** `--approve` for the local target. */
  readonly approve?: McpApproveMode | undefined;
  /** Write the audit log for the local target. @default true */
  readonly audit?: boolean;
  /** Replaces the local backend selection (tests, benchmarks). */
  readonly backend?: () => Promise<LocalBackend>;
  /** Where log lines go (never stdout). */
  readonly log: (line: string) => void;
}

/** A ready MCP server and what to release at the end. */
export interface OpendeskMcp {
  readonly server: McpServer;
  readonly targets: Targets;
  /** Chooses the tool list for the default target (opens it when it is local). */
  prepare(): Promise<void>;
  /** Closes every connection and the local backend. */
  close(): Promise<void>;
}

/** Builds the server; call `prepare()` before connecting a transport. */
export function createOpendeskMcp(options: OpendeskMcpOptions): OpendeskMcp {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: options.version },
    {
      capabilities: { tools: { listChanged: true } },
      instructions: "opendesk operates a computer: 'local' (this machine) or paired machines. " +
        "Take a screenshot first; coordinates for the computer tool are pixels of the last " +
        "screenshot. Prefer the ui tool (accessibility refs) over pixel clicks when it works, and " +
        "wait_for over sleeping.",
    },
  );
  // The mode depends on the client's capabilities, known once the session is initialised.
  const approveMode = (): McpApproveMode =>
    effectiveApprove(
      options.approve,
      server.server.getClientCapabilities()?.elicitation !== undefined,
    );
  const scope = new ToolCallScope();
  const consent = () => {
    const approveUsed = approveMode();
    options.log(
      `local approval: ${approveUsed}${
        options.approve ? "" : " (chosen from the client's capabilities)"
      }`,
    );
    return policyFor(approveUsed, server.server, scope);
  };
  const targets = new Targets({
    home: options.home,
    initial: options.target,
    openLocal: async () => {
      const local = await openLocalTarget({
        home: options.home,
        consent,
        audit: options.audit ?? true,
        ...(options.backend ? { backend: options.backend } : {}),
        onWarning: (m) => options.log(`warning: ${m}`),
      });
      if (local.reason) options.log(`warning: ${local.reason}`);
      return local;
    },
    openPeer: (name) =>
      openPeerTarget(name, { home: options.home, onWarning: (m) => options.log(`warning: ${m}`) }),
  });
  const images = new Map<string, ImageSpace>();
  const registered = new Map<OpendeskTool, RegisteredTool>();

  let filteredFor: TargetHandle | null = null;
  const isDefault = (name: string): boolean => {
    try {
      return targets.resolve().name === name;
    } catch {
      return false;
    }
  };
  const filterFor = (handle: TargetHandle | null): void => {
    filteredFor = handle;
    const caps = handle ? new Set<string>(handle.manifest().capabilities) : null;
    for (const [tool, reg] of registered) {
      const usable = caps === null || tool.capabilities.length === 0 ||
        tool.capabilities.some((c) => caps.has(c));
      if (usable !== reg.enabled) usable ? reg.enable() : reg.disable();
    }
  };
  const refresh = async (): Promise<void> => {
    let name: string;
    try {
      name = targets.resolve().name;
    } catch {
      return filterFor(null);
    }
    // Remote connections open lazily: until one is open its tools stay listed.
    const open = (await targets.connections()).find((c) => c.name === name);
    if (open) return filterFor(open.handle);
    if (name === LOCAL) return filterFor(await targets.get(LOCAL));
    filterFor(null);
  };

  for (const tool of TARGET_TOOLS) {
    const reg = server.registerTool(tool.name, {
      title: tool.title,
      description:
        `${tool.description} Routes to the session's default machine unless 'peer' is given.`,
      inputSchema: { ...tool.input, peer: PEER_PARAM },
      ...(tool.output ? { outputSchema: tool.output } : {}),
      annotations: { title: tool.title, ...tool.annotations },
    }, async (
      args: Record<string, unknown>,
      extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
    ): Promise<CallToolResult> => {
      const { peer, ...rest } = args;
      let target = typeof peer === "string" && peer !== "" ? peer : "the default machine";
      try {
        target = targets.resolve(peer as string | undefined).name;
        const handle = await targets.get(target);
        // A remote default target opens lazily: once it is open, the list follows its manifest.
        if (handle !== filteredFor && isDefault(target)) filterFor(handle);
        if (!handle.connected) {
          return errorResult(
            new ConnectionClosedError("it is being re-established in the background"),
            { target },
          );
        }
        const token = extra._meta?.progressToken;
        const call: ToolCall = {
          computer: handle.computer,
          manifest: handle.manifest(),
          target,
          signal: extra.signal,
          progress: async (progress, total, message) => {
            if (token === undefined) return;
            await extra.sendNotification({
              method: "notifications/progress",
              params: {
                progressToken: token,
                progress,
                ...(total !== undefined ? { total } : {}),
                ...(message !== undefined ? { message } : {}),
              },
            });
          },
          lastImage: () => images.get(target) ?? null,
          setLastImage: (space) => void images.set(target, space),
        };
        if (target === LOCAL && approveMode() === "elicit") {
          return await scope.run(describeCall(tool.name, rest), () => tool.run(rest, call));
        }
        return await tool.run(rest, call);
      } catch (error) {
        return errorResult(error, {
          target,
          localApprove: target === LOCAL ? approveMode() : undefined,
        });
      }
    });
    registered.set(tool, reg);
  }

  for (const tool of adminTools({ targets, targetChanged: refresh })) {
    server.registerTool(tool.name, {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.input,
      ...(tool.output ? { outputSchema: tool.output } : {}),
      annotations: { title: tool.title, ...tool.annotations },
    }, async (args: Record<string, unknown>): Promise<CallToolResult> => {
      try {
        return await tool.run(args);
      } catch (error) {
        return errorResult(error, {
          target: (args.peer as string | undefined) ?? "the default machine",
        });
      }
    });
  }

  return {
    server,
    targets,
    async prepare() {
      if (
        options.target !== undefined && options.target !== LOCAL &&
        !targets.store().get(options.target)
      ) {
        options.log(
          `warning: --target '${options.target}' is not a paired machine; tools will say so until ` +
            "it is paired (`opendesk pair-with`) or the target is changed (opendesk_use)",
        );
      }
      await refresh();
    },
    async close() {
      await targets.disconnect();
      await server.close().catch(() => {});
    },
  };
}
