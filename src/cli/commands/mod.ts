/**
 * The subcommands of `opendesk`: one file each, exporting its spec and
 * `run<Name>(args, deps)`, plus what `serve` and `pair` share (starting the
 * server, printing its events) and the wording of client failures.
 *
 * @module
 */

export { AUDIT_SPEC, runAudit } from "./audit.ts";
export { clientReplSession, CONNECT_SPEC, runConnect } from "./connect.ts";
export { DESCRIBE_SPEC, runDescribe } from "./describe.ts";
export { DISCOVER_SPEC, runDiscover } from "./discover.ts";
export { MCP_SPEC, type McpHooks, runMcpCommand } from "./mcp.ts";
export { PAIR_SPEC, runPair } from "./pair.ts";
export { PAIR_WITH_SPEC, runPairWith } from "./pair_with.ts";
export { PEERS_SPEC, runPeers } from "./peers.ts";
export { POLICY_SPEC, runPolicy } from "./policy.ts";
export { runServe, SERVE_SPEC } from "./serve.ts";
export { DISCONNECT_SPEC, runDisconnect, runSessions, SESSIONS_SPEC } from "./sessions.ts";
export { runUnpair, UNPAIR_SPEC } from "./unpair.ts";
export { runVersion, VERSION, VERSION_SPEC } from "./version.ts";
