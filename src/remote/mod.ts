/**
 * The remote layer: the WebSocket transport, the server of the controlled
 * machine (`OpendeskServer`, with consent policy, audit log, admin socket
 * and mDNS advertisement), and the controller's `connect()` / `pairWith()`
 * with a self-reconnecting `ClientSession`.
 *
 * @example Usage
 * ```ts ignore
 * import { connect, OpendeskServer } from "./mod.ts";
 * import { FakeComputer } from "../computer/mod.ts";
 * const server = await OpendeskServer.start({ home: "/tmp/od-server", computer: new FakeComputer(), port: 0, mdns: false });
 * const session = await connect(`127.0.0.1:${server.port}`, { home: "/tmp/od-client", mdns: false });
 * console.log(await session.computer.displays());
 * await session.close();
 * await server.close();
 * ```
 *
 * @module
 */

export {
  AdminClient,
  type AdminClientOptions,
  AdminRequestError,
  type AdminStatus,
  AdminUnavailableError,
} from "./admin_client.ts";
export {
  ADMIN_SOCKET_NAME,
  type AdminHandlers,
  type AdminKillReason,
  AdminServer,
  type AdminSessionInfo,
  AdminSocketInUseError,
} from "./admin_server.ts";
export {
  AUDIT_ERROR_MESSAGE_MAX,
  auditFingerprint,
  AuditLog,
  type AuditLogOptions,
  type AuditPeer,
  type AuditStreamEvent,
  localDate,
} from "./audit_log.ts";
export {
  type AuditRecord,
  followAudit,
  type FollowAuditOptions,
  formatAuditRecord,
  readAudit,
  type ReadAuditOptions,
} from "./audit_reader.ts";
export { connect, type ConnectOptions, pairWith, type PairWithOptions } from "./client.ts";
export { ConnectionRefusedError } from "./connection_refused_error.ts";
export { PairedButBusyError } from "./paired_but_busy_error.ts";
export { NotTrustedByServerError, ServerKeyChangedError } from "./server_identity_error.ts";
export {
  type ClientPushHandler,
  ClientSession,
  type ClientSessionOptions,
  DEFAULT_RECONNECT_BUDGET_MS,
  DEFAULT_RECONNECT_DELAYS_MS,
} from "./client_session.ts";
export {
  type AdvertiseOptions,
  defaultInstanceName,
  discover,
  type DiscoveredPeer,
  type DiscoverOptions,
  MDNS_DESCRIPTION_MAX_BYTES,
  MdnsAdvertiser,
  parsePublicKey,
} from "./discovery.ts";
export {
  type ApproveMode,
  type ConsentAnswer,
  ConsentPolicy,
  type ConsentPolicyOptions,
  parseConsentAnswer,
  type PolicyRequest as ConsentRequest,
  type Prompter,
  resolveApproveMode,
} from "./policy.ts";
export { type ComputerSession, ReconnectingComputer } from "./reconnecting_computer.ts";
export { OpendeskServer } from "./server.ts";
export {
  type EvictReason,
  type OpendeskServerOptions,
  type ServerEvent,
  type ServerSessionInfo,
} from "./server_options.ts";
export { parseHostPort, type ResolvedTarget, resolveTarget, TargetError, wsUrl } from "./target.ts";
export { TerminalPrompter, type TerminalPrompterOptions } from "./terminal_prompter.ts";
export {
  CloseCode,
  cutCloseReason,
  DEFAULT_DIAL_TIMEOUT_MS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_PORT,
  DEFAULT_SEND_HIGH_WATER_BYTES,
  HANDSHAKE_MAX_MESSAGE_BYTES,
  WebSocketConnection,
  type WebSocketConnectionOptions,
  type WebSocketConnectOptions,
} from "./websocket_connection.ts";
export {
  DEFAULT_KEEPALIVE_SECONDS,
  DEFAULT_MAX_PREAUTH_CONNECTIONS,
  DEFAULT_MAX_PREAUTH_PER_SOURCE,
  DEFAULT_PREAUTH_TIMEOUT_MS,
  type ListenerRefusal,
  listenWebSocket,
  type ListenWebSocketOptions,
  type WebSocketListener,
} from "./websocket_listener.ts";
