/**
 * One served session as the server tracks it: who, from where, since when,
 * and how to end it cooperatively (`session.evicted` PUSH, then close).
 *
 * @module
 */

import type { Peer } from "../protocol/peer.ts";
import type { EvictReason, ServerSessionInfo } from "./server_options.ts";
import { CloseCode, type WebSocketConnection } from "./websocket_connection.ts";

/** How long an eviction waits for the PUSH to be written before closing anyway. */
const EVICT_PUSH_TIMEOUT_MS = 1_000;

/** A registered session. */
export class ServerSession {
  readonly id: string;
  readonly peerKey: Uint8Array;
  readonly peerKeyHex: string;
  readonly remoteAddr: string;
  readonly startedAt: number;
  readonly mode: "serve" | "pair";
  readonly peer: Peer;
  readonly #transport: WebSocketConnection | undefined;
  /** Name in the trust store (`""` when none). */
  peerName: string;
  /** Why the server ended it, once it did. */
  evictedFor: EvictReason | null = null;

  constructor(init: {
    peerKey: Uint8Array;
    peerName: string;
    remoteAddr: string;
    startedAt: number;
    mode: "serve" | "pair";
    peer: Peer;
    /** The WebSocket under the session (for the shutdown close code). */
    transport?: WebSocketConnection;
  }) {
    this.#transport = init.transport;
    this.id = crypto.randomUUID().replaceAll("-", "").slice(0, 8);
    this.peerKey = init.peerKey;
    this.peerKeyHex = toHex(init.peerKey);
    this.peerName = init.peerName;
    this.remoteAddr = init.remoteAddr;
    this.startedAt = init.startedAt;
    this.mode = init.mode;
    this.peer = init.peer;
  }

  /** The name shown in prompts and denials: the peer name, or `peer-<6hex>`. */
  get label(): string {
    return this.peerName || `peer-${this.peerKeyHex.slice(0, 6)}`;
  }

  /** The public view of this session. */
  info(): ServerSessionInfo {
    return {
      id: this.id,
      peerName: this.peerName,
      peerKeyHex: this.peerKeyHex,
      remoteAddr: this.remoteAddr,
      startedAt: this.startedAt,
      mode: this.mode,
    };
  }

  /**
   * Ends the session because the server stops: WebSocket close code 1001 ("going away") and no
   * `session.evicted` push, as the original server does, so that clients reconnect (the
   * original's client treats every eviction as final). Resolves once it is closed.
   */
  async shutdown(): Promise<void> {
    if (this.evictedFor === null) this.evictedFor = "server_shutdown";
    if (!this.peer.isClosed) {
      if (this.#transport) this.#transport.abort(CloseCode.GOING_AWAY, "server shutting down");
      else this.peer.close("server shutting down");
    }
    await this.peer.closed;
  }

  /**
   * Tells the client why, then closes the session; resolves once it is closed.
   * @param reason the `session.evicted` reason
   */
  async evict(reason: EvictReason): Promise<void> {
    if (this.evictedFor === null) this.evictedFor = reason;
    if (!this.peer.isClosed) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.peer.push("session.evicted", { reason }).catch(() => {}),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, EVICT_PUSH_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      this.peer.close();
    }
    await this.peer.closed;
  }
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
