/**
 * Typed access to `npm:multicast-dns` (the package ships no types) and the
 * helpers shared by advertising and browsing.
 *
 * @module
 */

import multicastDnsFactory from "multicast-dns";
import { Buffer } from "node:buffer";

/** The DNS-SD service type opendesk advertises. */
export const SERVICE_TYPE = "_opendesk._tcp.local";

/** A DNS resource record as `multicast-dns` reads and writes it. */
export interface MdnsRecord {
  name: string;
  type: string;
  ttl?: number;
  class?: string;
  flush?: boolean;
  data?: unknown;
}

/** A DNS packet as `multicast-dns` reads and writes it. */
export interface MdnsPacket {
  type?: string;
  questions?: { name: string; type: string }[];
  answers?: MdnsRecord[];
  additionals?: MdnsRecord[];
  authorities?: MdnsRecord[];
}

/** The subset of the `multicast-dns` instance opendesk uses. */
export interface MdnsSocket {
  on(event: "query" | "response", listener: (packet: MdnsPacket) => void): void;
  on(event: "ready", listener: () => void): void;
  on(event: "error" | "warning", listener: (error: Error) => void): void;
  once(event: "ready", listener: () => void): void;
  once(event: "error", listener: (error: Error) => void): void;
  respond(packet: MdnsPacket, callback?: (error: Error | null) => void): void;
  query(packet: MdnsPacket, callback?: (error: Error | null) => void): void;
  destroy(callback?: () => void): void;
}

/** Options for opening the socket. */
export interface MdnsSocketOptions {
  /** IPv4 address of the interface to use; all interfaces when absent. */
  interface?: string | undefined;
}

/**
 * Opens an mDNS socket and waits until it is bound. With `interface` given,
 * the socket binds 0.0.0.0 (bound to the interface address it would receive nothing).
 * @throws {Error} when port 5353 cannot be bound
 */
export function openMdnsSocket(options: MdnsSocketOptions = {}): Promise<MdnsSocket> {
  const factory = multicastDnsFactory as unknown as (opts: Record<string, unknown>) => MdnsSocket;
  const socket = factory(
    options.interface ? { interface: options.interface, bind: "0.0.0.0" } : {},
  );
  return new Promise((resolve, reject) => {
    socket.once("ready", () => resolve(socket));
    socket.once("error", (error) => {
      socket.destroy();
      reject(error);
    });
    socket.on("warning", () => {});
  });
}

/** Closes the socket. */
export function closeMdnsSocket(socket: MdnsSocket): Promise<void> {
  return new Promise((resolve) => socket.destroy(() => resolve()));
}

/** Encodes TXT entries (`key=value`, value as raw bytes). */
export function encodeTxt(entries: [string, Uint8Array | string][]): Buffer[] {
  return entries.map(([key, value]) =>
    Buffer.concat([
      Buffer.from(`${key}=`, "utf8"),
      typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value),
    ])
  );
}

/** Decodes TXT entries into raw values by key (first occurrence wins). */
export function decodeTxt(data: unknown): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const items = Array.isArray(data) ? data : [data];
  for (const item of items) {
    if (!(item instanceof Uint8Array)) continue;
    const eq = item.indexOf(0x3d);
    if (eq <= 0) continue;
    const key = new TextDecoder().decode(item.subarray(0, eq)).toLowerCase();
    if (!out.has(key)) out.set(key, new Uint8Array(item.subarray(eq + 1)));
  }
  return out;
}

/** Cuts UTF-8 text to at most `maxBytes` bytes at a character boundary. */
export function cutUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).byteLength <= maxBytes) return text;
  let out = "";
  let bytes = 0;
  for (const ch of text) {
    const size = encoder.encode(ch).byteLength;
    if (bytes + size > maxBytes) break;
    out += ch;
    bytes += size;
  }
  return out;
}
