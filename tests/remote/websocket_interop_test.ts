/**
 * opendesk's own WebSocket framing against an independent implementation,
 * Python's `websockets` library (Debian's python3-websockets), both ways:
 * every payload-length encoding, a message beyond the runtime WebSocket's
 * 64 MiB limit, and the 1001 close code on shutdown.
 */

import { createHash } from "node:crypto";
import { assertEquals } from "./_assert.ts";
import { WebSocketConnection } from "../../src/remote/websocket_connection.ts";
import { listenWebSocket } from "../../src/remote/websocket_listener.ts";

const PEER = new URL("./_fixtures/ws_peer.py", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";
const MiB = 1024 * 1024;
const SIZES = [0, 1, 125, 126, 65535, 65536, 5 * MiB + 3, 70 * MiB];

function hasPythonWebsockets(): boolean {
  try {
    return new Deno.Command(PYTHON, { args: ["-c", "import websockets"], stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const available = hasPythonWebsockets();
const ignore = !available && Deno.env.get("CI") !== "true";
if (ignore) console.log("skipping WebSocket interop tests: python3-websockets is not installed");

function digest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function payload(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = i % 251;
  return out;
}

Deno.test({
  name: "listenWebSocket() serves Python's websockets client up to 70 MiB and closes it with 1001",
  ignore,
  async fn() {
    const listener = listenWebSocket({
      hostname: "127.0.0.1",
      port: 0,
      maxMessageBytes: 80 * MiB,
      onConnection: async (conn) => {
        conn.markAuthenticated();
        try {
          for (;;) {
            const message = await conn.receive();
            if (new TextDecoder().decode(message) === "close-please") {
              conn.abort(1001, "server shutting down");
              return;
            }
            await conn.send(message);
          }
        } catch {
          // Closed.
        }
      },
    });
    try {
      const out = await new Deno.Command(PYTHON, {
        args: [PEER, "client", `ws://127.0.0.1:${listener.port}/`, ...SIZES.map(String)],
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assertEquals(out.success, true, stderr);
      assertEquals(JSON.parse(new TextDecoder().decode(out.stdout)), { close_code: 1001 });
    } finally {
      await listener.close();
    }
  },
});

Deno.test({
  name: "WebSocketConnection.connect() talks to Python's websockets server up to 70 MiB",
  ignore,
  async fn() {
    const server = new Deno.Command(PYTHON, {
      args: [PEER, "server"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    try {
      const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const { port } = JSON.parse((await reader.read()).value!);
      reader.releaseLock();
      const conn = await WebSocketConnection.connect(`ws://127.0.0.1:${port}/`, {
        maxMessageBytes: 80 * MiB,
      });
      for (const size of SIZES) {
        const data = payload(size);
        await conn.send(data);
        assertEquals(digest(await conn.receive()), digest(data), `${size} bytes`);
      }
      conn.close();
      await conn.closed;
    } finally {
      await server.stdin.close();
      await server.status;
      await server.stdout.cancel().catch(() => {});
    }
  },
});
