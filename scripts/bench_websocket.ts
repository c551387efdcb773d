/**
 * Micro-benchmark (one process, loopback): large messages through opendesk's
 * own WebSocket transport (`listenWebSocket` + `WebSocketConnection.connect`)
 * beside the runtime's (`Deno.serve` + `Deno.upgradeWebSocket` + the
 * `WebSocket` global, both wrapped in `WebSocketConnection`), each way.
 * 32 MiB messages: the runtime refuses 64 MiB and more.
 *
 * Run with `deno task bench:websocket`. One line per transport and direction:
 *
 * ```text
 * micro websocket-own server->client  mib_per_s=…  messages=…  size=…
 * ```
 *
 * @module
 */

import { WebSocketConnection } from "../src/remote/websocket_connection.ts";
import { listenWebSocket } from "../src/remote/websocket_listener.ts";

const SIZE = 32 * 1024 * 1024;
const MESSAGES = 8;
const CAP = 64 * 1024 * 1024;

async function measure(label: string, server: WebSocketConnection, client: WebSocketConnection) {
  const payload = new Uint8Array(SIZE);
  const directions = [["server->client", server, client], ["client->server", client, server]];
  for (
    const [direction, from, to] of directions as [
      string,
      WebSocketConnection,
      WebSocketConnection,
    ][]
  ) {
    await from.send(payload);
    await to.receive();
    const started = performance.now();
    for (let i = 0; i < MESSAGES; i++) {
      await from.send(payload);
      await to.receive();
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `micro ${label} ${direction}  mib_per_s=${
        (SIZE * MESSAGES / 1024 / 1024 / seconds).toFixed(0)
      }` +
        `  messages=${MESSAGES}  size=${SIZE}`,
    );
  }
}

async function own(): Promise<void> {
  let accept!: (c: WebSocketConnection) => void;
  const accepted = new Promise<WebSocketConnection>((r) => (accept = r));
  const listener = listenWebSocket({
    hostname: "127.0.0.1",
    port: 0,
    maxMessageBytes: CAP,
    onConnection: accept,
  });
  const client = await WebSocketConnection.connect(`ws://127.0.0.1:${listener.port}`, {
    maxMessageBytes: CAP,
  });
  await measure("websocket-own", await accepted, client);
  client.close();
  await listener.close();
}

async function runtime(): Promise<void> {
  let accept!: (c: WebSocketConnection) => void;
  const accepted = new Promise<WebSocketConnection>((r) => (accept = r));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    accept(new WebSocketConnection(socket, { maxMessageBytes: CAP }));
    return response;
  });
  const socket = new WebSocket(`ws://127.0.0.1:${server.addr.port}`);
  await new Promise((resolve) => (socket.onopen = resolve));
  const client = new WebSocketConnection(socket, { maxMessageBytes: CAP, client: true });
  await measure("websocket-deno", await accepted, client);
  client.close();
  await server.shutdown();
}

if (import.meta.main) {
  await own();
  await runtime();
}
