/**
 * The client end of the admin socket: what `opendesk sessions`,
 * `disconnect`, `unpair`, `pair` and `status` use to reach a running server.
 *
 * @module
 */

import { join } from "node:path";
import { type AdminMessage, readAdminMessage, writeAdminMessage } from "./_admin_framing.ts";
import { ADMIN_SOCKET_NAME, type AdminKillReason, type AdminSessionInfo } from "./admin_server.ts";

/** No server answers on the admin socket. */
export class AdminUnavailableError extends Error {
  /** The socket path tried. */
  readonly path: string;
  constructor(path: string, options?: ErrorOptions) {
    super(
      `Cannot reach the opendesk server: nothing answers on ${path}; is \`opendesk serve\` running with this --home?`,
      options,
    );
    this.name = "AdminUnavailableError";
    this.path = path;
  }
}

/** The server answered `ok: false`. */
export class AdminRequestError extends Error {
  constructor(op: string, message: string) {
    super(`Admin request '${op}' failed: ${message}`);
    this.name = "AdminRequestError";
  }
}

/** Options of {@linkcode AdminClient}. */
export interface AdminClientOptions {
  /**
   * Deadline for one request/response.
   * @default {5000}
   */
  timeoutMs?: number;
}

/** Result of `status`. */
export interface AdminStatus {
  pid: number;
  port: number;
  host: string;
  sessions: number;
  pairing: { armed: boolean; expires_at: number | null };
  [key: string]: unknown;
}

/**
 * Talks to the running server through `<home>/admin.sock`, one connection per request.
 *
 * @example Usage
 * ```ts ignore
 * const admin = new AdminClient("/home/me/.opendesk");
 * for (const s of await admin.list()) console.log(s.id, s.peer_name);
 * ```
 */
export class AdminClient {
  #path: string;
  #timeoutMs: number;

  /**
   * @param home the opendesk home directory
   * @param options request deadline
   */
  constructor(home: string, options: AdminClientOptions = {}) {
    this.#path = join(home, ADMIN_SOCKET_NAME);
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** The socket path. */
  get path(): string {
    return this.#path;
  }

  /**
   * Sends one raw request and returns the raw response (whatever its `ok`).
   * @throws {AdminUnavailableError} when no server answers
   */
  async request(message: AdminMessage): Promise<AdminMessage> {
    let conn: Deno.Conn;
    try {
      conn = await Deno.connect({ transport: "unix", path: this.#path });
    } catch (cause) {
      throw new AdminUnavailableError(this.#path, { cause });
    }
    try {
      await writeAdminMessage(conn, message);
      return await readAdminMessage(conn, this.#timeoutMs);
    } finally {
      try {
        conn.close();
      } catch {
        // Closed by the deadline.
      }
    }
  }

  /** The active sessions. */
  async list(): Promise<AdminSessionInfo[]> {
    const res = await this.#ok({ op: "list" });
    return Array.isArray(res.sessions) ? res.sessions as AdminSessionInfo[] : [];
  }

  /** Ends the session `id`; false when no such session exists. */
  async kill(id: string, reason: AdminKillReason = "admin_disconnect"): Promise<boolean> {
    const res = await this.request({ op: "kill", id, reason });
    if (res.ok !== true && typeof res.error === "string") {
      throw new AdminRequestError("kill", res.error);
    }
    return res.killed === 1;
  }

  /** Ends every session; returns how many were ended. */
  async killAll(reason: AdminKillReason = "admin_disconnect"): Promise<number> {
    const res = await this.#ok({ op: "kill_all", reason });
    return typeof res.killed === "number" ? res.killed : 0;
  }

  /** Ends every session of the peer named `name` (used after unpairing it). */
  async killPeer(name: string, reason: AdminKillReason = "unpaired"): Promise<number> {
    let killed = 0;
    for (const session of await this.list()) {
      if (session.peer_name === name && await this.kill(session.id, reason)) killed++;
    }
    return killed;
  }

  /**
   * Arms a pairing window on the running server.
   * @param code an operator-chosen 6-digit code; random otherwise
   * @returns the code and its expiry (epoch seconds)
   */
  async pair(code?: string): Promise<{ code: string; expiresAt: number }> {
    const res = await this.#ok(code === undefined ? { op: "pair" } : { op: "pair", code });
    return { code: String(res.code), expiresAt: Number(res.expires_at) };
  }

  /** The server's pid, port, host, session count and pairing state. */
  async status(): Promise<AdminStatus> {
    return await this.#ok({ op: "status" }) as unknown as AdminStatus;
  }

  async #ok(message: AdminMessage): Promise<AdminMessage> {
    const res = await this.request(message);
    if (res.ok !== true) {
      throw new AdminRequestError(
        String(message.op),
        typeof res.error === "string" ? res.error : "no reason given",
      );
    }
    return res;
  }
}
