/**
 * LAN discovery over mDNS (docs/protocol.md, "mDNS"): the server advertises
 * `_opendesk._tcp.local` with its key, fingerprint and description;
 * controllers browse for a few seconds and list what answered.
 *
 * @module
 */

import { fingerprint } from "../auth/fingerprint.ts";
import {
  closeMdnsSocket,
  cutUtf8,
  decodeTxt,
  encodeTxt,
  type MdnsPacket,
  type MdnsRecord,
  type MdnsSocket,
  openMdnsSocket,
  SERVICE_TYPE,
} from "./_mdns.ts";

/** Longest `desc` TXT value, in bytes. */
export const MDNS_DESCRIPTION_MAX_BYTES = 120;
const TTL = 120;

/** Options of {@linkcode MdnsAdvertiser.start}. */
export interface AdvertiseOptions {
  /** The server's static public key (advertised as 32 raw bytes in `pk`). */
  publicKey: Uint8Array;
  /** The WebSocket port. */
  port: number;
  /**
   * Instance name.
   * @default {`<hostname>-<first 6 hex of the key>`}
   */
  name?: string;
  /**
   * This machine's description (cut to 120 bytes in `desc`).
   * @default {""}
   */
  description?: string;
  /** IPv4 address of the interface to advertise on; every interface when absent. */
  interface?: string;
  /**
   * IPv4 addresses to put in the A record.
   * @default {the interface address, else the non-loopback IPv4 addresses, else 127.0.0.1}
   */
  addresses?: string[];
}

/**
 * A running mDNS advertisement. It answers queries for the service, the
 * instance and its host with PTR, SRV, TXT and A together.
 *
 * @example Usage
 * ```ts ignore
 * const ad = await MdnsAdvertiser.start({ publicKey, port: 8423, description: "lab box" });
 * ad.setDescription("build machine");
 * await ad.close();
 * ```
 */
export class MdnsAdvertiser {
  #socket: MdnsSocket;
  #options: AdvertiseOptions;
  #name: string;
  #addresses: string[];
  #description: string;
  #closed = false;

  private constructor(socket: MdnsSocket, options: AdvertiseOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#name = options.name ?? defaultInstanceName(options.publicKey);
    this.#addresses = options.addresses ?? defaultAddresses(options.interface);
    this.#description = options.description ?? "";
    socket.on("query", (packet) => this.#onQuery(packet));
  }

  /**
   * Starts advertising and sends one unsolicited announcement.
   * @param options key, port, name, description, interface
   * @returns the running advertiser
   * @throws {Error} when the mDNS socket cannot be opened (the caller logs a warning and continues)
   */
  static async start(options: AdvertiseOptions): Promise<MdnsAdvertiser> {
    const socket = await openMdnsSocket({ interface: options.interface });
    const advertiser = new MdnsAdvertiser(socket, options);
    advertiser.#announce();
    return advertiser;
  }

  /** The instance name (without the service suffix). */
  get name(): string {
    return this.#name;
  }

  /** Updates the `desc` TXT value and re-announces when it changed. */
  setDescription(description: string): void {
    if (description === this.#description) return;
    this.#description = description;
    this.#announce();
  }

  /** Stops answering and closes the socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeMdnsSocket(this.#socket);
  }

  #records(): MdnsRecord[] {
    const instance = `${this.#name}.${SERVICE_TYPE}`;
    const host = `${this.#name}.local`;
    const txt: [string, Uint8Array | string][] = [
      ["v", "1"],
      ["pk", this.#options.publicKey],
      ["fp", fingerprint(this.#options.publicKey)],
    ];
    const desc = cutUtf8(this.#description.trim(), MDNS_DESCRIPTION_MAX_BYTES);
    if (desc) txt.push(["desc", desc]);
    return [
      { name: SERVICE_TYPE, type: "PTR", ttl: TTL, data: instance },
      {
        name: instance,
        type: "SRV",
        ttl: TTL,
        data: { port: this.#options.port, target: host, priority: 0, weight: 0 },
      },
      { name: instance, type: "TXT", ttl: TTL, data: encodeTxt(txt) },
      ...this.#addresses.map((address) => ({ name: host, type: "A", ttl: TTL, data: address })),
    ];
  }

  #onQuery(packet: MdnsPacket): void {
    if (this.#closed) return;
    const instance = `${this.#name}.${SERVICE_TYPE}`.toLowerCase();
    const host = `${this.#name}.local`.toLowerCase();
    const wanted = (packet.questions ?? []).some((q) => {
      const name = q.name.toLowerCase();
      return name === SERVICE_TYPE || name === instance || name === host ||
        name === "_services._dns-sd._udp.local";
    });
    if (wanted) this.#announce();
  }

  #announce(): void {
    if (this.#closed) return;
    this.#socket.respond({ answers: this.#records() }, () => {});
  }
}

/** One server found on the LAN. */
export interface DiscoveredPeer {
  /** Instance name without `._opendesk._tcp.local`. */
  name: string;
  /** First IPv4 address of the host. */
  host: string;
  port: number;
  /** The server's static public key (32 bytes). */
  publicKey: Uint8Array;
  /** Four groups of four hex digits joined by colons, from the key's SHA-256. */
  fingerprint: string;
  description: string;
  /** `ws://host:port`. */
  url: string;
}

/** Options of {@linkcode discover}. */
export interface DiscoverOptions {
  /**
   * How long to listen.
   * @default {2000}
   */
  timeoutMs?: number;
  /** IPv4 address of the interface to browse on; every interface when absent. */
  interface?: string;
  /** Stops browsing early (the results so far are returned). */
  signal?: AbortSignal;
  /** Stops browsing as soon as a complete answer satisfies this (a lookup of one server). */
  until?: (peer: DiscoveredPeer) => boolean;
}

/**
 * Browses for opendesk servers for `timeoutMs`.
 * @param options duration, interface, abort signal
 * @returns every complete answer (PTR + SRV + TXT with a valid `pk` + A), sorted by name
 * @throws {Error} when the mDNS socket cannot be opened
 */
export async function discover(options: DiscoverOptions = {}): Promise<DiscoveredPeer[]> {
  const socket = await openMdnsSocket({ interface: options.interface });
  const records = new Map<string, MdnsRecord[]>();
  const instances = new Set<string>();
  const asked = new Set<string>();
  const stop = new AbortController();
  const signals = options.signal ? [options.signal, stop.signal] : [stop.signal];
  const until = options.until;
  socket.on("response", (packet) => {
    for (const record of [...(packet.answers ?? []), ...(packet.additionals ?? [])]) {
      const key = `${record.type} ${record.name.toLowerCase()}`;
      const list = records.get(key) ?? [];
      list.push(record);
      records.set(key, list);
      if (
        record.type === "PTR" && record.name.toLowerCase() === SERVICE_TYPE &&
        typeof record.data === "string"
      ) {
        instances.add(record.data);
        const target = record.data.toLowerCase();
        if (!asked.has(target) && !records.has(`SRV ${target}`)) {
          asked.add(target);
          socket.query({
            questions: [{ name: record.data, type: "SRV" }, { name: record.data, type: "TXT" }],
          });
        }
      }
    }
    if (until && !stop.signal.aborted) {
      for (const instance of instances) {
        const peer = resolveInstance(instance, records);
        if (peer && until(peer)) stop.abort();
      }
    }
  });
  try {
    socket.query({ questions: [{ name: SERVICE_TYPE, type: "PTR" }] });
    await wait(options.timeoutMs ?? 2000, AbortSignal.any(signals));
  } finally {
    await closeMdnsSocket(socket);
  }
  const found: DiscoveredPeer[] = [];
  for (const instance of [...instances].sort()) {
    const peer = resolveInstance(instance, records);
    if (peer) found.push(peer);
  }
  return found;
}

function resolveInstance(
  instance: string,
  records: Map<string, MdnsRecord[]>,
): DiscoveredPeer | null {
  const key = instance.toLowerCase();
  const srv = records.get(`SRV ${key}`)?.at(-1)?.data as
    | { port?: number; target?: string }
    | undefined;
  const txtRecord = records.get(`TXT ${key}`)?.at(-1);
  if (!srv?.target || !srv.port || !txtRecord) return null;
  const txt = decodeTxt(txtRecord.data);
  const publicKey = parsePublicKey(txt.get("pk"));
  if (!publicKey) return null;
  const a = records.get(`A ${srv.target.toLowerCase()}`)?.find((r) => typeof r.data === "string");
  if (!a) return null;
  const host = a.data as string;
  const name = instance.toLowerCase().endsWith(`.${SERVICE_TYPE}`)
    ? instance.slice(0, -(SERVICE_TYPE.length + 1))
    : instance;
  const desc = txt.get("desc");
  return {
    name,
    host,
    port: srv.port,
    publicKey,
    fingerprint: fingerprint(publicKey),
    description: desc ? new TextDecoder().decode(desc) : "",
    url: `ws://${host}:${srv.port}`,
  };
}

/** Accepts `pk` as 32 raw bytes (reference) or 64 hex characters (JavaScript SDK, Rust port). */
export function parsePublicKey(value: Uint8Array | undefined): Uint8Array | null {
  if (!value) return null;
  if (value.byteLength === 32) return value;
  if (value.byteLength === 64) {
    const text = new TextDecoder().decode(value);
    if (!/^[0-9a-fA-F]{64}$/.test(text)) return null;
    return Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16));
  }
  return null;
}

/** `<hostname>-<first 6 hex of the key>`, the default instance name. */
export function defaultInstanceName(publicKey: Uint8Array): string {
  let hostname = "opendesk";
  try {
    hostname = Deno.hostname().split(".")[0] || hostname;
  } catch {
    // No permission to read the hostname: keep the generic name.
  }
  const hex = Array.from(publicKey.subarray(0, 3), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hostname}-${hex}`;
}

function defaultAddresses(iface: string | undefined): string[] {
  const out: string[] = [];
  if (iface && iface !== "0.0.0.0") out.push(iface);
  try {
    for (const ni of Deno.networkInterfaces()) {
      if (ni.family === "IPv4" && !ni.address.startsWith("127.") && !out.includes(ni.address)) {
        out.push(ni.address);
      }
    }
  } catch {
    // No permission to list interfaces.
  }
  return out.length ? out : ["127.0.0.1"];
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
