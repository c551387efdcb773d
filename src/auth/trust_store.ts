/**
 * `<home>/trusted-peers.json` and `<home>/default-peer`: the
 * reference's file format with a direction of trust per entry, written atomically with mode 0600,
 * a `.bak` of the last good file, and a corrupt file reported, never
 * overwritten.
 *
 * @module
 */

import { join } from "node:path";
import { toHex } from "./_bytes.ts";
import {
  clearDefaultPeerName,
  readDefaultPeerName,
  writeDefaultPeerName,
} from "./_default_peer_file.ts";
import { readTrustFile, type TrustFileSnapshot, writeTrustFile } from "./_trust_file.ts";
import { withTrustLock } from "./_trust_lock.ts";
import { HomeFile } from "./constants.ts";
import { TrustStoreError } from "./errors.ts";
import { type Clock, systemClock } from "./clock.ts";
import {
  checkPeerName,
  effectiveDescription,
  isHexKey,
  normalisePeerKey,
  type PeerRole,
  type TrustedPeer,
  type TrustStoreIssue,
} from "./trusted_peer.ts";

/** A peer named by its public key (raw or hex, either case) or by its name. */
export type PeerRef = Uint8Array | string;

/** Options of {@linkcode TrustStore}. */
export interface TrustStoreOptions {
  /**
   * Time source for `paired_at`.
   * @default {systemClock}
   */
  clock?: Clock;
}

/**
 * The trusted peers of this machine. Every query re-reads the file, so a
 * pairing made by another process takes effect at once. Every mutation is
 * read-modify-write of the whole file, keeping unknown keys and odd entries.
 *
 * @example Usage
 * ```ts
 * import { TrustStore } from "./trust_store.ts";
 * const home = Deno.makeTempDirSync();
 * const store = new TrustStore(home);
 * store.add("11".repeat(32), "laptop", "controller");
 * console.assert(store.isTrustedController("11".repeat(32)));
 * Deno.removeSync(home, { recursive: true });
 * ```
 */
export class TrustStore {
  #home: string;
  #clock: Clock;
  /** Path of `trusted-peers.json`. */
  readonly path: string;

  /** @param home the home directory (see `defaultHome()`); created on the first write */
  constructor(home: string, options: TrustStoreOptions = {}) {
    this.#home = home;
    this.#clock = options.clock ?? systemClock;
    this.path = join(home, HomeFile.TRUSTED_PEERS);
  }

  /**
   * All usable entries, in file order.
   * @throws {TrustStoreCorruptError} when the file is not a JSON array
   */
  list(): TrustedPeer[] {
    return readTrustFile(this.path).peers.map((p) => p.peer);
  }

  /** Problems in the file (entries kept but ignored or defaulted); empty when all is well. */
  issues(): TrustStoreIssue[] {
    return readTrustFile(this.path).issues;
  }

  /** Entries with an empty role (legacy, trusted both ways), for the server's start-up warning. */
  legacyPeers(): TrustedPeer[] {
    return this.list().filter((p) => p.role === "");
  }

  /**
   * Finds a peer by key (raw bytes or hex in either case) or by name.
   * @returns the peer, or `null` when none matches
   * @throws {TrustStoreError} when a name matches several entries
   */
  get(ref: PeerRef): TrustedPeer | null {
    const found = this.#find(readTrustFile(this.path), ref);
    return found ? found.peer : null;
  }

  /** True when `key` may control this machine: role `controller`, or a legacy `""` entry. */
  isTrustedController(key: Uint8Array | string): boolean {
    const peer = this.#byKey(readTrustFile(this.path), key);
    return peer !== null && (peer.peer.role === "controller" || peer.peer.role === "");
  }

  /** True when this machine may control `key`: role `remote`, or a legacy `""` entry. */
  isTrustedRemote(key: Uint8Array | string): boolean {
    const peer = this.#byKey(readTrustFile(this.path), key);
    return peer !== null && (peer.peer.role === "remote" || peer.peer.role === "");
  }

  /** The effective description of a peer (override if set, else the cached one); `""` if unknown. */
  describe(ref: PeerRef): string {
    const peer = this.get(ref);
    return peer ? effectiveDescription(peer) : "";
  }

  /**
   * Trusts `key` under `name` with `role`, or updates the name and role of an
   * existing entry (other fields are kept).
   * @throws {TrustStoreError} when `name` is empty or used by another key
   * @throws {SyntaxError} when `key` is not a 32-byte key
   */
  add(key: Uint8Array | string, name: string, role: PeerRole): TrustedPeer {
    const hex = normalisePeerKey(key);
    checkPeerName(name);
    return this.#mutate((snap) => {
      const existing = this.#byKey(snap, hex);
      this.#checkNameFree(snap, name, hex);
      if (existing) {
        const record = snap.raw[existing.index] as Record<string, unknown>;
        record.name = name;
        record.role = role;
        return hex;
      }
      snap.raw.push({
        description: "",
        description_override: "",
        last_host: "",
        last_port: 0,
        name,
        paired_at: this.#clock.now() / 1000,
        public_key: hex,
        rendezvous_url: "",
        role,
      });
      return hex;
    })!;
  }

  /**
   * A name based on `base` that no other key uses: `base`, else `base-2`, `base-3`, …
   */
  freeName(base: string, key?: Uint8Array | string): string {
    const snap = readTrustFile(this.path);
    const hex = key === undefined ? undefined : normalisePeerKey(key);
    const taken = (name: string) =>
      snap.peers.some((p) => p.peer.name === name && p.peer.publicKey !== hex);
    if (!taken(base)) return base;
    let n = 2;
    while (taken(`${base}-${n}`)) n++;
    return `${base}-${n}`;
  }

  /**
   * Renames a peer, keeping every other field, unknown ones included (the reference drops
   * some, losing the cached endpoint); the default peer follows.
   * @throws {TrustStoreError} when the peer is unknown or `newName` is empty or taken
   */
  rename(ref: PeerRef, newName: string): TrustedPeer {
    checkPeerName(newName);
    return withTrustLock(this.#home, () => this.#rename(ref, newName));
  }

  #rename(ref: PeerRef, newName: string): TrustedPeer {
    let oldName = "";
    const peer = this.#mutate((snap) => {
      const found = this.#require(snap, ref);
      this.#checkNameFree(snap, newName, found.peer.publicKey);
      oldName = found.peer.name;
      (snap.raw[found.index] as Record<string, unknown>).name = newName;
      return found.peer.publicKey;
    })!;
    if (oldName !== "" && readDefaultPeerName(this.#home) === oldName) {
      writeDefaultPeerName(this.#home, newName);
    }
    return peer;
  }

  /**
   * Stops trusting a peer; clears `default-peer` when it named that peer.
   * @returns the removed peer
   * @throws {TrustStoreError} when the peer is unknown
   */
  remove(ref: PeerRef): TrustedPeer {
    return withTrustLock(this.#home, () => this.#remove(ref));
  }

  #remove(ref: PeerRef): TrustedPeer {
    let removed: TrustedPeer | undefined;
    this.#mutate((snap) => {
      const found = this.#require(snap, ref);
      removed = found.peer;
      snap.raw.splice(found.index, 1);
      return null;
    });
    if (removed!.name !== "" && readDefaultPeerName(this.#home) === removed!.name) {
      this.clearDefaultPeer();
    }
    return removed!;
  }

  /**
   * Sets the direction of trust (`opendesk peers role NAME controller|remote`).
   * @throws {TrustStoreError} when the peer is unknown
   */
  setRole(ref: PeerRef, role: PeerRole): TrustedPeer {
    return this.#setField(ref, "role", role);
  }

  /**
   * Sets the local label of a peer (`""` clears it).
   * @throws {TrustStoreError} when the peer is unknown
   */
  setDescriptionOverride(ref: PeerRef, text: string): TrustedPeer {
    return this.#setField(ref, "description_override", text);
  }

  /**
   * Caches the description a peer announced; ignored when empty; writes only on change.
   * @returns true when the file changed
   */
  cacheDescription(key: Uint8Array | string, description: string): boolean {
    if (description === "") return false;
    return this.#cache(key, { description });
  }

  /**
   * Caches the endpoint a peer was reached at; writes only on change.
   * @returns true when the file changed
   */
  cacheEndpoint(key: Uint8Array | string, host: string, port: number): boolean {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`Cannot cache endpoint: port ${port} is not an integer from 0 to 65535`);
    }
    return this.#cache(key, { last_host: host, last_port: port });
  }

  /**
   * Caches the rendezvous URL a peer was reached through; writes only on change.
   * @returns true when the file changed
   */
  cacheRendezvous(key: Uint8Array | string, url: string): boolean {
    return this.#cache(key, { rendezvous_url: url });
  }

  /** The default peer (`default-peer`), or `null` when unset or no longer trusted. */
  defaultPeer(): TrustedPeer | null {
    const name = readDefaultPeerName(this.#home);
    if (name === null || name === "") return null;
    const matches = this.list().filter((p) => p.name === name);
    return matches.length === 1 ? matches[0]! : null;
  }

  /**
   * Makes a trusted peer the default target of `connect`.
   * @throws {TrustStoreError} when the peer is unknown or has no name
   */
  setDefaultPeer(ref: PeerRef): TrustedPeer {
    return withTrustLock(this.#home, () => this.#setDefaultPeer(ref));
  }

  #setDefaultPeer(ref: PeerRef): TrustedPeer {
    const found = this.#require(readTrustFile(this.path), ref);
    if (found.peer.name === "") {
      throw new TrustStoreError(
        `Cannot make ${found.peer.publicKey.slice(0, 16)}… the default peer: it has no name; ` +
          "name it with `opendesk peers rename` first",
      );
    }
    writeDefaultPeerName(this.#home, found.peer.name);
    return found.peer;
  }

  /** Removes `default-peer` (no error when absent). */
  clearDefaultPeer(): void {
    withTrustLock(this.#home, () => clearDefaultPeerName(this.#home));
  }

  #setField(ref: PeerRef, field: string, value: string): TrustedPeer {
    return this.#mutate((snap) => {
      const found = this.#require(snap, ref);
      (snap.raw[found.index] as Record<string, unknown>)[field] = value;
      return found.peer.publicKey;
    })!;
  }

  #cache(key: Uint8Array | string, fields: Record<string, string | number>): boolean {
    const hex = normalisePeerKey(key);
    let changed = false;
    this.#mutate((snap) => {
      const found = this.#byKey(snap, hex);
      if (!found) return null;
      const record = snap.raw[found.index] as Record<string, unknown>;
      for (const [field, value] of Object.entries(fields)) {
        if (record[field] !== value) {
          record[field] = value;
          changed = true;
        }
      }
      return changed ? hex : null;
    }, () => changed);
    return changed;
  }

  /**
   * Under the trust lock: read, apply `change` (returns the hex key of the
   * peer to return, or null), write when needed.
   */
  #mutate(
    change: (snap: TrustFileSnapshot) => string | null,
    shouldWrite: () => boolean = () => true,
  ): TrustedPeer | null {
    return withTrustLock(this.#home, () => {
      const snap = readTrustFile(this.path);
      const key = change(snap);
      if (shouldWrite()) writeTrustFile(this.#home, this.path, snap);
      return key === null ? null : this.#byKey(readTrustFile(this.path), key)?.peer ?? null;
    });
  }

  #find(snap: TrustFileSnapshot, ref: PeerRef): { index: number; peer: TrustedPeer } | null {
    if (ref instanceof Uint8Array || isHexKey(ref)) {
      const byKey = this.#byKey(snap, ref);
      if (byKey || ref instanceof Uint8Array) return byKey;
    }
    const matches = snap.peers.filter((p) => p.peer.name === ref);
    if (matches.length > 1) {
      throw new TrustStoreError(
        `Peer name "${ref}" is ambiguous: ${matches.length} entries in "${this.path}" use it; ` +
          "rename one with `opendesk peers rename KEY NEW-NAME`",
      );
    }
    return matches[0] ?? null;
  }

  #byKey(
    snap: TrustFileSnapshot,
    key: Uint8Array | string,
  ): { index: number; peer: TrustedPeer } | null {
    const hex = key instanceof Uint8Array ? toHex(key) : key.toLowerCase();
    return snap.peers.find((p) => p.peer.publicKey === hex) ?? null;
  }

  #require(snap: TrustFileSnapshot, ref: PeerRef): { index: number; peer: TrustedPeer } {
    const found = this.#find(snap, ref);
    if (found) return found;
    const label = ref instanceof Uint8Array ? toHex(ref).slice(0, 16) + "…" : `"${ref}"`;
    throw new TrustStoreError(
      `Unknown peer ${label}: no trusted peer has that name or key; list them with \`opendesk peers\``,
    );
  }

  #checkNameFree(snap: TrustFileSnapshot, name: string, ownKey: string): void {
    const other = snap.peers.find((p) => p.peer.name === name && p.peer.publicKey !== ownKey);
    if (other) {
      throw new TrustStoreError(
        `Cannot use the name "${name}": it already belongs to peer ${
          other.peer.publicKey.slice(0, 16)
        }…; ` +
          "choose another name",
      );
    }
  }
}
