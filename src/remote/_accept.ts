/**
 * The server's accept flow for one connection (protocol-v1 §11.2 with H1,
 * H3, H4): route on the first handshake message, handshake with a deadline
 * per step, read the client's HELLO (its proof of key), then under the
 * accept lock evict a same-key session or answer `busy`, send the manifest
 * HELLO and serve until the session ends.
 *
 * @module
 */

import { keepsExistingSession, SAME_CONTROLLER_DETAILS } from "./session_takeover.ts";
import type { WireMap } from "../protocol/handler.ts";
import { authServer } from "../auth/auth_handshake.ts";
import { HandshakeError, PairingUnavailableError } from "../auth/errors.ts";
import { readHandshakeMessage } from "../auth/handshake_io.ts";
import type { HandshakeResult } from "../auth/handshake_result.ts";
import type { Identity } from "../auth/identity.ts";
import { pairServer } from "../auth/pairing_handshake.ts";
import type { PairingWindows } from "../auth/pairing_window.ts";
import type { TrustStore } from "../auth/trust_store.ts";
import { Dispatcher } from "../computer/methods/dispatcher.ts";
import type { Computer } from "../computer/computer.ts";
import { findMethod } from "../computer/methods/methods.ts";
import { encodeManifest } from "../computer/methods/wire_encode.ts";
import { Peer } from "../protocol/peer.ts";
import { escapeForTerminal } from "../protocol/escape_for_terminal.ts";
import type { AsyncLock } from "./_async_lock.ts";
import type { RefusalDigest } from "./_refusal_digest.ts";
import { ServerSession } from "./_server_session.ts";
import type { AuditLog, AuditPeer } from "./audit_log.ts";
import { consentNotifier } from "./consent_notice.ts";
import type { ConsentPolicy } from "./policy.ts";
import type { ServerEvent } from "./server_options.ts";
import type { WebSocketConnection } from "./websocket_connection.ts";

/** What the accept flow needs from the server. */
export interface AcceptContext {
  identity: Identity;
  store: TrustStore;
  windows: PairingWindows;
  audit: AuditLog;
  policy: ConsentPolicy;
  computer: Computer;
  lock: AsyncLock;
  sessions: Map<string, ServerSession>;
  handshakeTimeoutMs: number;
  helloTimeoutMs: number;
  maxFrameBytes: number;
  busyLingerMs: number;
  /** Aggregates what unauthenticated connections make the server log. */
  refusals: RefusalDigest;
  now(): number;
  description(): string;
  emit(event: ServerEvent): void;
  /** True once the server is shutting down: new sessions are refused. */
  closing(): boolean;
}

const NOBODY: AuditPeer = { key: null, name: "" };
/** Cap on the client's encrypted HELLO (a few hundred bytes in practice). */
const HELLO_MAX_MESSAGE_BYTES = 16 * 1024;

/** Longest array and largest map a controller's frames may hold (far above any real params). */
export const INBOUND_REQUEST_MAX_ITEMS = 65_536;

/**
 * Runs one connection from its first byte to its end. Never throws: every
 * failure is audited, reported and ends in a closed connection.
 */
export async function acceptConnection(ctx: AcceptContext, ws: WebSocketConnection): Promise<void> {
  const remoteAddr = ws.remoteAddr;
  const result = await handshake(ctx, ws);
  if (result === null) return;
  // Until the client's HELLO proves its key, frames stay small.
  ws.maxMessageBytes = HELLO_MAX_MESSAGE_BYTES;
  const peerKey = result.peerKey;
  const holder: { session: ServerSession | null } = { session: null };
  const dispatcher = createDispatcher(ctx, holder);
  const peer = new Peer(result.connection, {
    role: "server",
    handler: dispatcher,
    helloTimeoutMs: ctx.helloTimeoutMs,
    // Requests never need long arrays or big maps (params are bounded far below this before
    // validation): a claim above it is refused at its header, before any element is read.
    limits: {
      maxFrameBytes: ctx.maxFrameBytes,
      maxBinaryBytes: ctx.maxFrameBytes,
      maxArrayLength: INBOUND_REQUEST_MAX_ITEMS,
      maxMapLength: INBOUND_REQUEST_MAX_ITEMS,
    },
  });

  // H3: the client's HELLO is its first encrypted frame; it proves the client holds its key.
  try {
    await peer.receiveHello();
  } catch (error) {
    peer.close();
    reject(
      ctx,
      { key: peerKey, name: "" },
      remoteAddr,
      `handshake_error: no valid HELLO: ${message(error)}`,
    );
    return;
  }
  ws.maxMessageBytes = ctx.maxFrameBytes;
  ws.markAuthenticated();

  let peerName = ctx.store.get(peerKey)?.name ?? "";
  if (result.paired) {
    try {
      peerName = ctx.store.freeName(`peer-${hex(peerKey).slice(0, 6)}`, peerKey);
      ctx.store.add(peerKey, peerName, "controller");
      ctx.emit({ type: "paired", name: peerName, publicKeyHex: hex(peerKey), remoteAddr });
    } catch (error) {
      peer.close();
      reject(
        ctx,
        { key: peerKey, name: "" },
        remoteAddr,
        `handshake_error: cannot store the new peer: ${message(error)}`,
      );
      return;
    }
  }

  const session = await ctx.lock.run(async () => {
    if (ctx.closing()) {
      peer.close("server shutting down");
      return null;
    }
    for (const existing of ctx.sessions.values()) {
      if (existing.peerKeyHex !== hex(peerKey)) continue;
      if (keepsExistingSession(peer, existing.peer)) {
        reject(
          ctx,
          { key: peerKey, name: peerName },
          remoteAddr,
          "busy: the same controller's interactive session is open",
          undefined,
          true,
        );
        await rejectBusy(peer, existing.label, ctx.busyLingerMs, {
          message: `another session of this controller (${existing.label}) is open and ` +
            "interactive; connect with --takeover to end it and take over",
          details: SAME_CONTROLLER_DETAILS,
        });
        return null;
      }
      await existing.evict("replaced");
    }
    const active = [...ctx.sessions.values()];
    if (active.length > 0) {
      const names = active.map((s) => s.label).join(", ");
      reject(ctx, { key: peerKey, name: peerName }, remoteAddr, `busy: ${names}`, undefined, true);
      await rejectBusy(peer, names, ctx.busyLingerMs);
      return null;
    }
    const created = new ServerSession({
      peerKey,
      peerName,
      remoteAddr,
      startedAt: ctx.now(),
      mode: result.paired ? "pair" : "serve",
      peer,
      transport: ws,
    });
    ctx.sessions.set(created.id, created);
    return created;
  });
  if (session === null) return;
  holder.session = session;
  await serve(ctx, session, dispatcher);
}

async function handshake(
  ctx: AcceptContext,
  ws: WebSocketConnection,
): Promise<HandshakeResult | null> {
  const remoteAddr = ws.remoteAddr;
  const timeoutMs = ctx.handshakeTimeoutMs;
  try {
    const first = await readHandshakeMessage(ws, { timeoutMs });
    if (first.kind === "pair_hello") {
      if (ctx.windows.current === null) {
        ws.close("pairing is not armed on this machine");
        reject(
          ctx,
          NOBODY,
          remoteAddr,
          "pairing_not_armed",
          "pairing attempt refused: no pairing code is active (run `opendesk pair` for one)",
        );
        return null;
      }
      return await pairServer(ws, {
        identity: ctx.identity,
        windows: ctx.windows,
        firstMessage: first,
        timeoutMs,
      });
    }
    return await authServer(ws, {
      identity: ctx.identity,
      isTrusted: (key) => ctx.store.isTrustedController(key),
      firstMessage: first,
      timeoutMs,
    });
  } catch (error) {
    ws.close("handshake failed");
    if (error instanceof HandshakeError) {
      reject(ctx, NOBODY, remoteAddr, `auth_failed: ${error.reason}`, error.message);
    } else if (error instanceof PairingUnavailableError) {
      reject(ctx, NOBODY, remoteAddr, `auth_failed: pairing_${error.reason}`, error.message);
    } else {
      reject(ctx, NOBODY, remoteAddr, `handshake_error: ${message(error)}`);
    }
    return null;
  }
}

function createDispatcher(
  ctx: AcceptContext,
  holder: { session: ServerSession | null },
): Dispatcher {
  const auditPeer = (): AuditPeer => ({
    key: holder.session?.peerKey ?? null,
    name: holder.session?.peerName ?? "",
  });
  return new Dispatcher(ctx.computer, {
    description: () => ctx.description(),
    policyObservations: true,
    policy: async (request) => {
      const session = holder.session;
      if (session === null) throw new Error("No session is registered for this call");
      const method = findMethod(request.method)?.name ?? request.method;
      const onPrompt = consentNotifier(session.peer, method, request.summary);
      await ctx.policy.check({
        sessionId: session.id,
        peerKeyHex: session.peerKeyHex,
        label: session.label,
        method,
        summary: request.summary,
        observation: request.observation,
        params: request.params,
        ...(onPrompt ? { onPrompt } : {}),
      }, request.signal);
    },
    onCall: (record) => {
      const sessionId = holder.session?.id ?? "";
      const error = record.outcome === "error"
        ? { code: record.error_code ?? "internal", message: record.error_message ?? "" }
        : undefined;
      if (record.stream) {
        ctx.audit.stream(auditPeer(), {
          sessionId,
          method: record.method,
          summary: record.summary,
          event: record.event ?? "start",
          ...(record.frames !== undefined ? { frames: record.frames } : {}),
          error,
        });
      } else {
        ctx.audit.call(auditPeer(), {
          sessionId,
          method: record.method,
          summary: record.summary,
          error,
        });
      }
    },
  });
}

async function serve(
  ctx: AcceptContext,
  session: ServerSession,
  dispatcher: Dispatcher,
): Promise<void> {
  const auditPeer: AuditPeer = { key: session.peerKey, name: session.peerName };
  ctx.audit.sessionOpened(auditPeer, {
    sessionId: session.id,
    remoteAddr: session.remoteAddr,
    mode: session.mode,
  });
  ctx.emit({ type: "session_opened", session: session.info() });
  let reason = "";
  try {
    await session.peer.sendHello({ capabilities: encodeManifest(dispatcher.manifest()) });
    session.peer.start();
    const end = await session.peer.closed;
    // A client that closes normally leaves reason ""; anything else is recorded.
    if (!/closed by the peer/i.test(end.message)) reason = `error: ${end.message}`;
  } catch (error) {
    reason = `error: ${message(error)}`;
    session.peer.close();
  } finally {
    ctx.sessions.delete(session.id);
    ctx.policy.endSession(session.id);
    if (session.evictedFor !== null) reason = `evicted: ${session.evictedFor}`;
    ctx.audit.sessionClosed(auditPeer, {
      sessionId: session.id,
      durationSeconds: (ctx.now() - session.startedAt) / 1000,
      reason,
    });
    ctx.emit({ type: "session_closed", session: session.info(), reason });
  }
}

async function rejectBusy(
  peer: Peer,
  names: string,
  lingerMs: number,
  answer: { message: string; details: WireMap } = {
    message: `server is busy: ${names} is the active controller. Disconnect them to take over.`,
    details: {},
  },
): Promise<void> {
  try {
    await peer.sendHello({
      capabilities: {},
      error: { code: "busy", message: answer.message, details: answer.details },
    });
    // Give the client a moment to read the rejection and close first (§11.3).
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([peer.closed, new Promise((r) => (timer = setTimeout(r, lingerMs)))]);
    clearTimeout(timer);
  } catch {
    // The client went away first.
  } finally {
    peer.close();
  }
}

/**
 * Audits and reports a refused connection. Refusals before the client proved its key are
 * counted per source address and, beyond the first few, only summarised (see RefusalDigest).
 * Reasons and messages may carry network input: they are escaped.
 */
function reject(
  ctx: AcceptContext,
  peer: AuditPeer,
  remoteAddr: string,
  reason: string,
  detail?: string,
  authenticated = false,
): void {
  const safeReason = escapeForTerminal(reason);
  if (!authenticated && !ctx.refusals.record(hostOf(remoteAddr), category(reason))) return;
  ctx.audit.sessionRejected(peer, { remoteAddr, reason: safeReason });
  ctx.emit({
    type: "rejected",
    remoteAddr,
    reason: safeReason,
    message: escapeForTerminal(detail ?? reason),
  });
}

/** The part of a rejection reason that names its kind (without free text from errors). */
function category(reason: string): string {
  const [kind, rest] = reason.split(": ", 2);
  return kind === "auth_failed" && rest !== undefined ? `${kind}: ${rest}` : kind ?? reason;
}

/** The host part of `"ip:port"` or `"[ipv6]:port"`. */
export function hostOf(remoteAddr: string): string {
  const bracket = /^\[(.*)\]:\d+$/.exec(remoteAddr);
  if (bracket) return bracket[1]!;
  const colon = remoteAddr.lastIndexOf(":");
  return colon > 0 ? remoteAddr.slice(0, colon) : remoteAddr;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
