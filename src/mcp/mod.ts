/**
 * The MCP layer: `opendesk mcp`, the Model Context Protocol server that lets
 * AI agents (Claude Desktop, Claude Code, Cursor, …) see and operate this
 * machine or paired ones, built on the official MCP SDK. Also the config
 * entries of `opendesk mcp install` and the image-space contract between
 * screenshots and screen coordinates.
 *
 * @example Usage
 * ```ts ignore
 * import { runMcp } from "./mod.ts";
 * await runMcp({ home, version: "0.1.0", log: console.error, interrupted: new Promise(() => {}) });
 * ```
 *
 * @module
 */

export {
  createOpendeskMcp,
  type OpendeskMcp,
  type OpendeskMcpOptions,
  TARGET_TOOLS,
} from "./server.ts";
export { randomToken, runMcp, type RunMcpOptions } from "./run_mcp.ts";
export { type McpApproveMode } from "./consent.ts";
export { parseLoopbackAddress, serveMcpHttp } from "./http_server.ts";
export {
  configEntry,
  defaultConfigPath,
  installEntry,
  type InstallResult,
  launcherFor,
  MCP_CLIENTS,
  type McpClient,
  mergeConfig,
} from "./install.ts";
export {
  ImageSpace,
  MODEL_MAX_LONG_EDGE,
  MODEL_MAX_PIXELS,
  modelImageSize,
} from "./image_space.ts";
export { LOCAL, Targets, ToolError } from "./targets.ts";
export type { LocalBackend } from "./_target.ts";
