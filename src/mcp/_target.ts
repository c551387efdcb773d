/**
 * The one place where the MCP server reaches the other layers of opendesk
 * (the computer, remote, auth and protocol layers), always through their
 * `mod.ts` files. Everything else under `src/mcp/` imports from here, so a
 * restructuring of those layers is followed by editing this file alone.
 *
 * It also builds the two kinds of target: the local machine (the backend
 * `serve` would use, behind the same dispatcher, consent policy and audit
 * log, reached through an in-memory protocol session) and a paired peer
 * (the encrypted, self-reconnecting client session).
 *
 * @module
 */

import {
  type CapabilityManifest,
  type Computer,
  Dispatcher,
  encodeManifest,
  findMethod,
  RemoteComputer,
  selectComputer,
} from "../computer/mod.ts";
import { createLoopbackPair, Peer } from "../protocol/mod.ts";
import {
  type ApproveMode,
  AuditLog,
  type ClientSession,
  connect,
  ConsentPolicy,
  type Prompter,
} from "../remote/mod.ts";

export type {
  CapabilityManifest,
  CompletedCommand,
  Computer,
  Display,
  FileEntry,
  Pixmap,
  Point,
  Rect,
  UIElement,
  Window,
} from "../computer/mod.ts";
export {
  type Chord,
  click,
  drag,
  encodePng,
  KeyEventSchema,
  parseChord,
  PointerEventSchema,
  press,
  scroll,
  textClipboard,
} from "../computer/mod.ts";
export { clipboardTextOf, FOCUS_ACTION } from "../computer/mod.ts";
export {
  CancelledError,
  CapabilityUnsupportedError,
  ConnectionClosedError,
  PermissionDeniedError,
  RemoteError,
  TimeoutError,
} from "../protocol/mod.ts";
export {
  type ApproveMode,
  type ClientSession,
  discover,
  type DiscoveredPeer,
  parseConsentAnswer,
  type Prompter,
  TargetError,
} from "../remote/mod.ts";
export { SessionEvictedError } from "../computer/mod.ts";
export {
  defaultHome,
  effectiveDescription,
  fingerprint,
  type TrustedPeer,
  TrustStore,
} from "../auth/mod.ts";

/** A computer the MCP tools drive, and how to release it. */
export interface TargetHandle {
  /** The computer (every call goes through the target's policy). */
  readonly computer: Computer;
  /** The target's manifest. */
  manifest(): CapabilityManifest;
  /** True once the connection ended for good (a new handle must be opened). */
  readonly isClosed: boolean;
  /** False while a lost connection is being re-established. */
  readonly connected: boolean;
  /** Where the target is (`local`, or host:port). */
  readonly address: string;
  /** Releases the connection and the backend. */
  close(): Promise<void>;
}

/** A backend chosen for the local target. */
export interface LocalBackend {
  readonly computer: Computer;
  /** Why display and input are unavailable, or null. */
  readonly reason: string | null;
}

/** Options of {@linkcode openLocalTarget}. */
export interface LocalTargetOptions {
  /** The opendesk home (audit log). */
  readonly home: string;
  /**
   * The consent mode (`console` asks through `prompter`); asked on the first
   * gated call, because an MCP client declares whether it can ask the user
   * only once the session is initialised.
   */
  readonly consent: () => { approve: ApproveMode; prompter?: Prompter };
  /** Write the audit log. @default true */
  readonly audit?: boolean;
  /**
   * The environment the desktop driver reads its connection from.
   * @default the process environment
   */
  readonly env?: (name: string) => string | undefined;
  /** The desktop driver to use. @default the registry's first available */
  readonly driver?: string;
  /** Replaces the backend selection (tests, benchmarks). */
  readonly backend?: () => Promise<LocalBackend>;
  /** Told about audit-log write failures and internal errors. */
  readonly onWarning?: (message: string) => void;
}

/** The local target, with the backend's absence reason. */
export interface LocalTarget extends TargetHandle {
  /** Why display and input are unavailable, or null. */
  readonly reason: string | null;
}

/** The label the policy and the audit log give the MCP client of the local target. */
export const LOCAL_CLIENT_LABEL = "mcp-client";

/** The registry's choice for the local target; `reason` only when there is no desktop driver. */
async function selectLocal(options: LocalTargetOptions): Promise<LocalBackend> {
  const selection = await selectComputer({
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.driver === undefined ? {} : { name: options.driver }),
  });
  return { computer: selection.computer, reason: selection.driver ? null : selection.reason };
}

/**
 * Opens the local target: the machine's own backend served by the same
 * dispatcher `serve` uses, with the consent policy and the audit log, over
 * an in-memory protocol session.
 */
export async function openLocalTarget(options: LocalTargetOptions): Promise<LocalTarget> {
  const chosen: LocalBackend = options.backend
    ? await options.backend()
    : await selectLocal(options);
  const backend = chosen.computer;
  let policy: ConsentPolicy | undefined;
  const decide = (): ConsentPolicy => {
    if (policy) return policy;
    const { approve, prompter } = options.consent();
    policy = new ConsentPolicy(approve, prompter ? { prompter } : {});
    return policy;
  };
  const audit = new AuditLog(options.home, {
    enabled: options.audit ?? true,
    onError: (error) => options.onWarning?.(`cannot write the audit log: ${String(error)}`),
  });
  const sessionId = crypto.randomUUID().replaceAll("-", "").slice(0, 8);
  const auditPeer = { key: null, name: LOCAL_CLIENT_LABEL };
  const dispatcher = new Dispatcher(backend, {
    policy: (request) =>
      decide().check({
        sessionId,
        peerKeyHex: "",
        label: LOCAL_CLIENT_LABEL,
        method: findMethod(request.method)?.name ?? request.method,
        summary: request.summary,
        observation: request.observation,
      }, request.signal),
    onCall: (record) => {
      const error = record.outcome === "error"
        ? { code: record.error_code ?? "internal", message: record.error_message ?? "" }
        : undefined;
      if (record.stream) {
        audit.stream(auditPeer, {
          sessionId,
          method: record.method,
          summary: record.summary,
          event: record.event ?? "start",
          ...(record.frames !== undefined ? { frames: record.frames } : {}),
          error,
        });
      } else {
        audit.call(auditPeer, { sessionId, method: record.method, summary: record.summary, error });
      }
    },
    onInternalError: (error, method) =>
      options.onWarning?.(`internal error in '${method}': ${String(error)}`),
  });
  const [a, b] = createLoopbackPair();
  const server = new Peer(b, { role: "server", handler: dispatcher });
  const client = new Peer(a, { role: "client" });
  await Promise.all([
    client.hello(),
    server.hello({ capabilities: encodeManifest(dispatcher.manifest()) }),
  ]);
  client.start();
  server.start();
  audit.sessionOpened(auditPeer, { sessionId, remoteAddr: "mcp", mode: "serve" });
  const started = Date.now();
  const computer = new RemoteComputer(client);
  let closed = false;
  return {
    computer,
    manifest: () => dispatcher.manifest(),
    reason: chosen.reason,
    get isClosed() {
      return closed;
    },
    get connected() {
      return !closed;
    },
    address: "local",
    async close() {
      if (closed) return;
      closed = true;
      client.close();
      server.close();
      await Promise.all([client.closed, server.closed]);
      audit.sessionClosed(auditPeer, {
        sessionId,
        durationSeconds: (Date.now() - started) / 1000,
        reason: "",
      });
      await audit.close();
      await backend.close().catch(() => {});
    },
  };
}

/** Options of {@linkcode openPeerTarget}. */
export interface PeerTargetOptions {
  readonly home: string;
  /** Deadline of the connect. @default 5000 */
  readonly timeoutMs?: number;
  readonly onWarning?: (message: string) => void;
}

/** Opens an encrypted, self-reconnecting session with a paired peer. */
export async function openPeerTarget(
  target: string,
  options: PeerTargetOptions,
): Promise<TargetHandle & { readonly session: ClientSession }> {
  const session = await connect(target, {
    home: options.home,
    timeoutMs: options.timeoutMs ?? 5000,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  return {
    session,
    computer: session.computer,
    manifest: () => session.manifest,
    get isClosed() {
      return session.isClosed;
    },
    get connected() {
      return !session.isClosed && !session.link.peer.isClosed;
    },
    get address() {
      return `${session.link.host}:${session.link.port}`;
    },
    close: () => session.close(),
  };
}
