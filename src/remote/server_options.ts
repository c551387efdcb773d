/**
 * Options and events of {@linkcode OpendeskServer}.
 *
 * @module
 */

import type { Clock } from "../auth/clock.ts";
import type { Identity } from "../auth/identity.ts";
import type { TrustStore } from "../auth/trust_store.ts";
import type { Computer } from "../computer/computer.ts";
import type { ApproveMode, Prompter } from "./policy.ts";

/** Why the server ended a session (sent as the `session.evicted` reason). */
export type EvictReason = "admin_disconnect" | "unpaired" | "replaced" | "server_shutdown";

/** Options of `OpendeskServer.start()`. */
export interface OpendeskServerOptions {
  /** The opendesk home directory (identity, trust, description, audit, admin socket). */
  home: string;
  /** The machine to serve (`selectComputer()` in production, `FakeComputer` in tests). */
  computer: Computer;
  /**
   * Address to listen on.
   * @default {"0.0.0.0"}
   */
  host?: string;
  /**
   * Port to listen on; 0 picks a free one (read it back from `server.port`).
   * @default {8423}
   */
  port?: number;
  /**
   * This machine's identity.
   * @default {Identity.loadOrCreate(home)}
   */
  identity?: Identity;
  /**
   * The trusted peers.
   * @default {new TrustStore(home)}
   */
  trustStore?: TrustStore;
  /**
   * `--approve`: how gated methods are decided.
   * @default {"console" with an interactive prompter, "observe" without}
   */
  approve?: ApproveMode | undefined;
  /** Asks the local user (console approval). Without one, nobody can be asked. */
  prompter?: Prompter | undefined;
  /**
   * False disables the audit log (`--no-audit`).
   * @default {true}
   */
  audit?: boolean;
  /**
   * False disables the mDNS advertisement (`--no-mdns`).
   * @default {true}
   */
  mdns?: boolean;
  /** IPv4 address of the interface to advertise on; every interface when absent. */
  mdnsInterface?: string;
  /**
   * False disables the admin socket.
   * @default {true}
   */
  admin?: boolean;
  /**
   * Arm a pairing window at start when no controller is trusted yet.
   * @default {true}
   */
  pairWhenUntrusted?: boolean;
  /**
   * Deadline of each handshake step (and of the first message).
   * @default {10000}
   */
  handshakeTimeoutMs?: number;
  /**
   * Deadline for the client's HELLO.
   * @default {10000}
   */
  helloTimeoutMs?: number;
  /**
   * Largest frame accepted once the client has authenticated;
   * before that the cap is 1 KiB.
   * @default {DEFAULT_MAX_FRAME_BYTES} (256 MiB + 64 KiB)
   */
  maxFrameBytes?: number;
  /**
   * Deadline from accepting a TCP connection to the client's proven HELLO, whatever stage
   * the connection stalls in.
   * @default {10000}
   */
  preAuthTimeoutMs?: number;
  /**
   * Most unauthenticated connections at once (more are closed at accept).
   * @default {256}
   */
  maxPreAuthConnections?: number;
  /**
   * Most unauthenticated connections at once from one source address.
   * @default {16}
   */
  maxPreAuthPerSource?: number;
  /**
   * Window over which refusals of unauthenticated connections are aggregated: a few per
   * source are reported one by one, the rest as one summary line per source.
   * @default {60000}
   */
  refusalWindowMs?: number;
  /**
   * WebSocket ping keepalive in seconds; 0 turns it off.
   * @default {20}
   */
  keepaliveSeconds?: number;
  /**
   * How long a busy rejection waits for the client to close first.
   * @default {2000}
   */
  busyLingerMs?: number;
  /**
   * Time source (audit timestamps, session ages, pairing windows, timed approvals).
   * @default {systemClock}
   */
  clock?: Clock;
  /** Receives everything the CLI should show (pairing codes, warnings, sessions). */
  onEvent?: (event: ServerEvent) => void;
}

/** Something the person running the server should know about. */
export type ServerEvent =
  | { type: "listening"; host: string; port: number; fingerprint: string }
  | { type: "notice"; message: string }
  | { type: "warning"; message: string }
  | { type: "pairing_armed"; code: string; expiresAt: number; fingerprint: string }
  | { type: "pairing_burned"; remoteAddr: string; message: string }
  | { type: "pairing_expired"; message: string }
  | { type: "pairing_locked"; until: number; message: string }
  | { type: "paired"; name: string; publicKeyHex: string; remoteAddr: string }
  | { type: "rejected"; remoteAddr: string; reason: string; message: string }
  | { type: "refusals_summary"; lines: string[] }
  | { type: "session_opened"; session: ServerSessionInfo }
  | { type: "session_closed"; session: ServerSessionInfo; reason: string };

/** A served session, as events and `sessions()` report it. */
export interface ServerSessionInfo {
  /** 8 hex characters. */
  id: string;
  /** The controller's name in the trust store (`""` if none). */
  peerName: string;
  /** The controller's static public key, lowercase hex. */
  peerKeyHex: string;
  remoteAddr: string;
  /** Epoch milliseconds. */
  startedAt: number;
  mode: "serve" | "pair";
}
