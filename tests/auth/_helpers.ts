/**
 * Shared fixtures for the auth tests: the protocol test vectors, a
 * connection wrapper that records sent messages, temp homes.
 *
 * @module
 */

import type { Connection, ConnectionState } from "../../src/protocol/connection.ts";
import type { ConnectionClosedError } from "../../src/protocol/errors.ts";

const vectorsUrl = new URL("../fixtures/handshake_vectors.json", import.meta.url);
// deno-lint-ignore no-explicit-any
const V: any = JSON.parse(Deno.readTextFileSync(vectorsUrl));

/** Bytes of a hex string. */
export function hex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Bytes of the vector at `path` (e.g. `"pairing.k1"`), checking its recorded length. */
export function vec(path: string): Uint8Array {
  // deno-lint-ignore no-explicit-any
  const entry = path.split(".").reduce((node: any, key) => node[key], V);
  const bytes = hex(entry.hex);
  if (bytes.length !== entry.length) throw new Error(`vector ${path} has the wrong length`);
  return bytes;
}

/** A string value of the vectors file (e.g. `"inputs.pairing_code.value"`). */
export function vecValue(path: string): string {
  // deno-lint-ignore no-explicit-any
  return path.split(".").reduce((node: any, key) => node[key], V);
}

/** The four fixed private keys of the vectors. */
export const KEYS = {
  serverStatic: vec("inputs.server_static_private"),
  clientStatic: vec("inputs.client_static_private"),
  serverEphemeral: vec("inputs.server_ephemeral_private"),
  clientEphemeral: vec("inputs.client_ephemeral_private"),
};

/** Wraps a connection and records every message sent through it. */
export class RecordingConnection implements Connection {
  readonly sent: Uint8Array[] = [];
  constructor(readonly inner: Connection) {}
  send(message: Uint8Array): Promise<void> {
    this.sent.push(message.slice());
    return this.inner.send(message);
  }
  receive(): Promise<Uint8Array> {
    return this.inner.receive();
  }
  close(reason?: string): void {
    this.inner.close(reason);
  }
  get state(): ConnectionState {
    return this.inner.state;
  }
  get closed(): Promise<ConnectionClosedError> {
    return this.inner.closed;
  }
  get remoteAddr(): string {
    return this.inner.remoteAddr;
  }
}

/** A fresh temp directory removed when disposed. */
export function tempHome(): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ prefix: "opendesk-auth-test-" });
  return { path, [Symbol.dispose]: () => Deno.removeSync(path, { recursive: true }) };
}

/** Permission bits of a path. */
export function modeOf(path: string): number {
  return Deno.statSync(path).mode! & 0o777;
}
