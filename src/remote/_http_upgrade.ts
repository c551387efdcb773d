/**
 * The HTTP/1.1 upgrade that opens a WebSocket (RFC 6455 §4), both sides:
 * reading a request or response head within a byte budget, checking it,
 * and the `Sec-WebSocket-Accept` digest.
 *
 * @module
 */

import { createHash } from "node:crypto";

const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** A parsed HTTP head: the start line and the header fields (names lowercased). */
export interface HttpHead {
  startLine: string;
  headers: Map<string, string>;
}

/** The head and whatever arrived after it. */
export interface HeadRead {
  head: HttpHead;
  rest: Uint8Array;
}

/**
 * Reads an HTTP head (up to the blank line) from `conn`.
 * @param maxBytes the most bytes the head may take
 * @returns the head and the bytes read past it, or null when the peer closed or sent more
 *   than `maxBytes` without finishing the head
 */
export async function readHttpHead(conn: Deno.Conn, maxBytes: number): Promise<HeadRead | null> {
  const buffer = new Uint8Array(maxBytes);
  let end = 0;
  let searchFrom = 0;
  while (end < maxBytes) {
    const n = await conn.read(buffer.subarray(end));
    if (n === null) return null;
    end += n;
    for (let i = Math.max(3, searchFrom); i < end; i++) {
      if (
        buffer[i] === 0x0a && buffer[i - 1] === 0x0d && buffer[i - 2] === 0x0a &&
        buffer[i - 3] === 0x0d
      ) {
        const head = parseHead(latin1.decode(buffer.subarray(0, i - 3)));
        return { head, rest: buffer.slice(i + 1, end) };
      }
    }
    searchFrom = end;
  }
  return null;
}

function parseHead(text: string): HttpHead {
  const lines = text.split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return { startLine: lines[0] ?? "", headers };
}

/** The `Sec-WebSocket-Accept` value for a `Sec-WebSocket-Key`. */
export function acceptDigest(key: string): string {
  return createHash("sha1").update(key + WEBSOCKET_GUID).digest("base64");
}

/**
 * Checks a request head for a WebSocket upgrade.
 * @returns the client's key, or a reason why this is not an upgrade
 */
export function checkUpgradeRequest(head: HttpHead): { key: string } | { refusal: string } {
  const [method, , version] = head.startLine.split(" ");
  if (method !== "GET" || !version?.startsWith("HTTP/1.1")) {
    return { refusal: "not an HTTP/1.1 GET request" };
  }
  const upgrade = head.headers.get("upgrade")?.toLowerCase() ?? "";
  const connection = head.headers.get("connection")?.toLowerCase() ?? "";
  if (!upgrade.split(",").some((t) => t.trim() === "websocket")) {
    return { refusal: "not a WebSocket upgrade" };
  }
  if (!connection.split(",").some((t) => t.trim() === "upgrade")) {
    return { refusal: "not a WebSocket upgrade" };
  }
  if (head.headers.get("sec-websocket-version") !== "13") {
    return { refusal: "unsupported WebSocket version" };
  }
  const key = head.headers.get("sec-websocket-key") ?? "";
  if (!/^[A-Za-z0-9+/]{22}==$/.test(key)) return { refusal: "bad Sec-WebSocket-Key" };
  return { key };
}

/** The 101 answer that completes a server-side upgrade. */
export function switchingProtocols(key: string): Uint8Array {
  return encoder.encode(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Accept: ${acceptDigest(key)}\r\n\r\n`,
  );
}

/** A complete plain HTTP answer that ends the connection. */
export function plainResponse(status: number, statusText: string, body: string): Uint8Array {
  const bytes = encoder.encode(body);
  const upgrade = status === 426 ? "Upgrade: websocket\r\n" : "";
  return encoder.encode(
    `HTTP/1.1 ${status} ${statusText}\r\n${upgrade}Content-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${bytes.length}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The client's upgrade request and the key it must see accepted. */
export function upgradeRequest(host: string, path: string): { bytes: Uint8Array; key: string } {
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const bytes = encoder.encode(
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  return { bytes, key };
}

/**
 * Checks the server's answer to an upgrade request.
 * @returns null when the upgrade succeeded, otherwise what went wrong
 */
export function checkUpgradeResponse(head: HttpHead, key: string): string | null {
  const [, status, ...text] = head.startLine.split(" ");
  if (status !== "101") return `the server answered ${status ?? "?"} ${text.join(" ")}`.trim();
  if (head.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return "the server did not switch to WebSocket";
  }
  if (head.headers.get("sec-websocket-accept") !== acceptDigest(key)) {
    return "the server's Sec-WebSocket-Accept does not match";
  }
  if (head.headers.has("sec-websocket-extensions")) {
    return "the server chose a WebSocket extension that was not offered";
  }
  return null;
}
