/**
 * `Targets`: which machine a tool call drives, and the open connections.
 *
 * A call's target is, in order: its own `peer` argument, the session's
 * default (set with `opendesk_use`, or `--target` at start-up), the
 * persistent default (`opendesk peers default`), the only paired machine,
 * and `local` when none is paired. With several paired machines and no
 * default the call fails with an error naming them. `local` always means
 * this machine. Connections open on first use and are kept; one that ended
 * for good is opened again on the next call.
 *
 * Pairing is deliberately not reachable from here: pairing codes must not
 * pass through the model's channel.
 *
 * @module
 */

import { type TargetHandle, type TrustedPeer, TrustStore } from "./_target.ts";

/** The name of the local target. */
export const LOCAL = "local";

/** Where a resolved target name came from. */
export type TargetSource = "argument" | "session" | "persistent" | "only paired" | "none paired";

/** A resolved target name. */
export interface ResolvedName {
  readonly name: string;
  readonly source: TargetSource;
}

/** A tool error that tells the model what to do; becomes an `isError` result. */
export class ToolError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ToolError";
  }
}

/** Options of {@linkcode Targets}. */
export interface TargetsOptions {
  /** The opendesk home (trust store, default peer). */
  readonly home: string;
  /** The session default at start-up (`--target`). */
  readonly initial?: string | undefined;
  /** Opens the local target. */
  readonly openLocal: () => Promise<TargetHandle>;
  /** Opens a paired peer by name. */
  readonly openPeer: (name: string) => Promise<TargetHandle>;
}

/** The machines the MCP session can drive. */
export class Targets {
  #options: TargetsOptions;
  #sessionDefault: string | null;
  #open = new Map<string, Promise<TargetHandle>>();

  constructor(options: TargetsOptions) {
    this.#options = options;
    this.#sessionDefault = options.initial ?? null;
  }

  /** The trust store (read fresh each time: pairing may happen while the server runs). */
  store(): TrustStore {
    return new TrustStore(this.#options.home);
  }

  /** The paired machines this side controls. */
  pairedPeers(): TrustedPeer[] {
    return this.store().list().filter((p) => p.role === "remote" || p.role === "");
  }

  /** The session default, or null. */
  get sessionDefault(): string | null {
    return this.#sessionDefault;
  }

  /**
   * Sets the session default (`local` included); null clears it.
   * @throws {ToolError} for a name that is neither `local` nor paired
   */
  use(name: string | null): string | null {
    if (name !== null) this.#check(name);
    this.#sessionDefault = name;
    return name;
  }

  /**
   * Resolves the target of one call.
   * @throws {ToolError} with several paired machines and no default, or an unknown name
   */
  resolve(peer?: string | undefined): ResolvedName {
    if (peer !== undefined && peer !== "") return { name: this.#check(peer), source: "argument" };
    if (this.#sessionDefault !== null) return { name: this.#sessionDefault, source: "session" };
    const store = this.store();
    const persistent = store.defaultPeer();
    if (persistent) return { name: persistent.name, source: "persistent" };
    const paired = this.pairedPeers();
    if (paired.length === 1) return { name: paired[0]!.name, source: "only paired" };
    if (paired.length === 0) return { name: LOCAL, source: "none paired" };
    throw new ToolError(
      `Several machines are paired (${
        paired.map((p) => `'${p.name}'`).join(", ")
      }) and none is the default: pass 'peer' to this tool, or call opendesk_use with one of ` +
        `them (or 'local' for this machine)`,
    );
  }

  /**
   * The open connection to `name`, opened now when needed.
   * @throws {ToolError} when it cannot be opened
   */
  async get(name: string): Promise<TargetHandle> {
    const existing = this.#open.get(name);
    if (existing) {
      const handle = await existing.catch(() => null);
      if (handle && !handle.isClosed) return handle;
      this.#open.delete(name);
    }
    const opening = name === LOCAL ? this.#options.openLocal() : this.#options.openPeer(name);
    this.#open.set(name, opening);
    try {
      return await opening;
    } catch (error) {
      this.#open.delete(name);
      throw error;
    }
  }

  /** The connections open now, with their state. */
  async connections(): Promise<Array<{ name: string; handle: TargetHandle }>> {
    const out: Array<{ name: string; handle: TargetHandle }> = [];
    for (const [name, opening] of this.#open) {
      const handle = await opening.catch(() => null);
      if (handle && !handle.isClosed) out.push({ name, handle });
    }
    return out;
  }

  /** Closes one connection, or all; returns the names closed. */
  async disconnect(name?: string): Promise<string[]> {
    const names = name === undefined ? [...this.#open.keys()] : [name];
    const closed: string[] = [];
    for (const n of names) {
      const opening = this.#open.get(n);
      if (!opening) continue;
      this.#open.delete(n);
      const handle = await opening.catch(() => null);
      if (handle) {
        await handle.close().catch(() => {});
        closed.push(n);
      }
    }
    return closed;
  }

  #check(name: string): string {
    if (name === LOCAL) return LOCAL;
    const peer = this.store().get(name);
    if (peer) return peer.name;
    const names = this.pairedPeers().map((p) => `'${p.name}'`);
    throw new ToolError(
      `No paired machine is called '${name}': use 'local' or one of ${
        names.length ? names.join(", ") : "(none paired yet)"
      }; opendesk_peers lists them. Pairing happens outside the agent: run ` +
        "`opendesk pair-with HOST CODE` in a terminal",
    );
  }
}
