/**
 * The server end of the admin socket (`<home>/admin.sock`, docs/protocol.md,
 * "Admin socket"):
 * a private Unix socket through which `opendesk sessions`, `disconnect`,
 * `unpair` and `pair` reach the running server. Framing and ops are
 * documented in `_admin_framing.ts`.
 *
 * @module
 */

import { join } from "node:path";
import { ensureHomeDir } from "../auth/home.ts";
import { type AdminMessage, readAdminMessage, writeAdminMessage } from "./_admin_framing.ts";

/** File name of the admin socket inside the home directory. */
export const ADMIN_SOCKET_NAME = "admin.sock";

/** One session as `list` reports it (keys as on the wire). */
export interface AdminSessionInfo {
  id: string;
  peer_name: string;
  peer_pubkey_hex: string;
  remote_addr: string;
  /** Epoch seconds. */
  started_at: number;
  age_seconds: number;
  mode: "serve" | "pair";
}

/** Why an admin op ends a session (sent as the `session.evicted` reason). */
export type AdminKillReason = "admin_disconnect" | "unpaired";

/** What the admin socket can do on the running server. */
export interface AdminHandlers {
  /** The active sessions. */
  list(): AdminSessionInfo[];
  /** Ends one session; false when no session has that id. */
  kill(id: string, reason: AdminKillReason): Promise<boolean> | boolean;
  /** Ends every session; returns how many. */
  killAll(reason: AdminKillReason): Promise<number> | number;
  /** Arms a pairing window; returns its code and expiry (epoch seconds). */
  pair(
    code?: string,
  ): Promise<{ code: string; expiresAt: number }> | { code: string; expiresAt: number };
  /** Server status for `opendesk status`. */
  status(): AdminMessage;
}

/** The socket is answered by another running server. */
export class AdminSocketInUseError extends Error {
  /** The socket path. */
  readonly path: string;
  constructor(path: string) {
    super(
      `Cannot start the admin socket: another opendesk server is already running (${path} answers); stop it first or use a different --home`,
    );
    this.name = "AdminSocketInUseError";
    this.path = path;
  }
}

/**
 * A running admin socket server.
 *
 * @example Usage
 * ```ts ignore
 * const admin = await AdminServer.start("/home/me/.opendesk", handlers);
 * // …
 * await admin.close();
 * ```
 */
export class AdminServer {
  #listener: Deno.Listener;
  #handlers: AdminHandlers;
  #path: string;
  #loop: Promise<void>;
  #open = new Set<Deno.Conn>();
  #tasks = new Set<Promise<void>>();
  #closed = false;

  private constructor(listener: Deno.Listener, handlers: AdminHandlers, path: string) {
    this.#listener = listener;
    this.#handlers = handlers;
    this.#path = path;
    this.#loop = this.#acceptLoop();
  }

  /**
   * Binds `<home>/admin.sock` and starts answering requests. A stale socket
   * (nobody answers) is removed first; a live one means another server runs.
   *
   * @param home the opendesk home directory (created 0700, its mode repaired)
   * @param handlers what each op does
   * @returns the running server
   * @throws {AdminSocketInUseError} when another server answers on the socket
   */
  static async start(home: string, handlers: AdminHandlers): Promise<AdminServer> {
    ensureHomeDir(home);
    const path = join(home, ADMIN_SOCKET_NAME);
    if (await socketAnswers(path)) throw new AdminSocketInUseError(path);
    try {
      await Deno.remove(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const listener = withPrivateUmask(() => Deno.listen({ transport: "unix", path }));
    await Deno.chmod(path, 0o600);
    return new AdminServer(listener, handlers, path);
  }

  /** The socket path. */
  get path(): string {
    return this.#path;
  }

  /** Stops listening, ends open admin connections and removes the socket file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listener.close();
    for (const conn of this.#open) closeQuietly(conn);
    await this.#loop;
    await Promise.allSettled([...this.#tasks]);
    await Deno.remove(this.#path).catch(() => {});
  }

  async #acceptLoop(): Promise<void> {
    while (!this.#closed) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      this.#open.add(conn);
      const task = this.#serve(conn).finally(() => {
        this.#open.delete(conn);
        this.#tasks.delete(task);
        closeQuietly(conn);
      });
      this.#tasks.add(task);
    }
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    let response: AdminMessage;
    try {
      const request = await readAdminMessage(conn);
      response = await this.#answer(request);
    } catch (error) {
      response = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    await writeAdminMessage(conn, response).catch(() => {});
  }

  async #answer(request: AdminMessage): Promise<AdminMessage> {
    const op = request.op;
    const reason = request.reason === "unpaired" ? "unpaired" : "admin_disconnect";
    switch (op) {
      case "list":
        return { ok: true, sessions: this.#handlers.list() };
      case "kill": {
        if (typeof request.id !== "string" || request.id === "") {
          return { ok: false, error: "missing 'id'" };
        }
        const killed = await this.#handlers.kill(request.id, reason);
        return { ok: killed, killed: killed ? 1 : 0 };
      }
      case "kill_all":
        return { ok: true, killed: await this.#handlers.killAll(reason) };
      case "pair": {
        const code = typeof request.code === "string" ? request.code : undefined;
        const window = await this.#handlers.pair(code);
        return { ok: true, code: window.code, expires_at: window.expiresAt };
      }
      case "status":
        return { ok: true, ...this.#handlers.status() };
      default:
        return { ok: false, error: `unknown op '${String(op)}'` };
    }
  }
}

async function socketAnswers(path: string): Promise<boolean> {
  try {
    const conn = await Deno.connect({ transport: "unix", path });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

function withPrivateUmask<T>(fn: () => T): T {
  let previous: number | undefined;
  try {
    previous = Deno.umask(0o077);
  } catch {
    // umask is unavailable (Windows, or no --allow-sys=umask): the 0700 directory still protects the socket.
  }
  try {
    return fn();
  } finally {
    if (previous !== undefined) Deno.umask(previous);
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}
