import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { ConnectionClosedError } from "../../src/protocol/errors.ts";
import { cutCloseReason, WebSocketConnection } from "../../src/remote/websocket_connection.ts";
import { listenWebSocket, type WebSocketListener } from "../../src/remote/websocket_listener.ts";

interface Harness {
  listener: WebSocketListener;
  accepted: Promise<WebSocketConnection>;
  url: string;
  [Symbol.asyncDispose](): Promise<void>;
}

function harness(maxMessageBytes = 1024): Harness {
  let resolve!: (c: WebSocketConnection) => void;
  const accepted = new Promise<WebSocketConnection>((r) => (resolve = r));
  const listener = listenWebSocket({
    hostname: "127.0.0.1",
    port: 0,
    maxMessageBytes,
    onConnection: resolve,
  });
  return {
    listener,
    accepted,
    url: `ws://127.0.0.1:${listener.port}`,
    [Symbol.asyncDispose]: () => listener.close(),
  };
}

Deno.test("WebSocketConnection carries binary messages both ways in order", async () => {
  await using h = harness();
  const client = await WebSocketConnection.connect(h.url);
  const server = await h.accepted;
  for (let i = 0; i < 20; i++) await client.send(new Uint8Array([i, i + 1]));
  for (let i = 0; i < 20; i++) assertEquals(await server.receive(), new Uint8Array([i, i + 1]));
  await server.send(new Uint8Array([9, 8, 7]));
  assertEquals(await client.receive(), new Uint8Array([9, 8, 7]));
  assertMatch(server.remoteAddr, /^127\.0\.0\.1:\d+$/);
  assert(h.listener.port > 0);
  client.close();
  await server.closed;
});

Deno.test("WebSocketConnection closes with 1003 on a text frame", async () => {
  await using h = harness();
  const raw = new WebSocket(h.url);
  await new Promise((r) => raw.addEventListener("open", r, { once: true }));
  const closeEvent = new Promise<CloseEvent>((r) =>
    raw.addEventListener("close", r, { once: true })
  );
  const server = await h.accepted;
  raw.send("hello");
  const error = await assertRejects(() => server.receive(), ConnectionClosedError);
  assertMatch(error.message, /text frames are not allowed/);
  const ev = await closeEvent;
  assertEquals(ev.code, 1003);
});

Deno.test("WebSocketConnection closes with 1009 on an oversized message", async () => {
  await using h = harness(64);
  const client = await WebSocketConnection.connect(h.url);
  const server = await h.accepted;
  await client.send(new Uint8Array(65));
  const error = await assertRejects(() => server.receive(), ConnectionClosedError);
  assertMatch(error.message, /65 bytes exceeds the limit of 64 bytes/);
  const clientError = await client.closed;
  assertMatch(clientError.message, /code 1009/);
  await assertRejects(() => client.receive(), ConnectionClosedError);
});

Deno.test("WebSocketConnection.maxMessageBytes can be raised after the handshake", async () => {
  await using h = harness(64);
  const client = await WebSocketConnection.connect(h.url);
  const server = await h.accepted;
  server.maxMessageBytes = 4096;
  await client.send(new Uint8Array(4096));
  assertEquals((await server.receive()).byteLength, 4096);
  client.close();
  await server.closed;
});

Deno.test("WebSocketConnection.close() sends the reason cut to 123 bytes", async () => {
  await using h = harness();
  const client = await WebSocketConnection.connect(h.url);
  const server = await h.accepted;
  server.close("é".repeat(100));
  const error = await client.closed;
  assertEquals(error.message, `Connection closed by the peer: ${"é".repeat(61)}`);
  await assertRejects(() => server.send(new Uint8Array(1)), ConnectionClosedError);
});

Deno.test("cutCloseReason() keeps whole characters within 123 bytes", () => {
  const cases = [
    { input: "short", expected: "short" },
    { input: "a".repeat(200), expected: "a".repeat(123) },
    { input: "€".repeat(50), expected: "€".repeat(41) },
  ];
  for (const { input, expected } of cases) assertEquals(cutCloseReason(input), expected);
});

Deno.test("WebSocketConnection.send() paces on bufferedAmount", async () => {
  await using h = harness(16 * 1024 * 1024);
  const client = await WebSocketConnection.connect(h.url, { sendHighWaterBytes: 1024 * 1024 });
  const server = await h.accepted;
  const chunk = new Uint8Array(8 * 1024 * 1024);
  let maxBuffered = 0;
  const sending = (async () => {
    for (let i = 0; i < 8; i++) {
      await client.send(chunk);
      maxBuffered = Math.max(maxBuffered, client.bufferedAmount);
    }
  })();
  for (let i = 0; i < 8; i++) assertEquals((await server.receive()).byteLength, chunk.byteLength);
  await sending;
  assert(maxBuffered <= 1024 * 1024 + chunk.byteLength, `buffered ${maxBuffered}`);
  client.close();
  await server.closed;
});

Deno.test("WebSocketConnection reports an abruptly killed peer as ConnectionClosedError", async () => {
  const script = `
    Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(port) }, (req) => {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onmessage = () => console.log("got");
      return response;
    });`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const port = Number((await reader.read()).value?.trim());
  const client = await WebSocketConnection.connect(`ws://127.0.0.1:${port}`);
  await client.send(new Uint8Array([1]));
  await reader.read();
  const pending = client.receive();
  child.kill("SIGKILL");
  const error = await assertRejects(() => pending, ConnectionClosedError);
  assertMatch(error.message, /Connection lost/);
  await child.status;
  await reader.cancel();
});

Deno.test("WebSocketConnection.connect() rejects when nothing listens", async () => {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = probe.addr.port;
  probe.close();
  await assertRejects(
    () => WebSocketConnection.connect(`ws://127.0.0.1:${port}`),
    ConnectionClosedError,
    "Cannot connect to",
  );
});

Deno.test("listenWebSocket() answers plain HTTP with 426", async () => {
  await using h = harness();
  const res = await fetch(`http://127.0.0.1:${h.listener.port}/`);
  assertEquals(res.status, 426);
  await res.body?.cancel();
});

Deno.test("WebSocketConnection.close() before the server-side upgrade completes still closes", async () => {
  // Deno ignores close() on a server-side socket that is still CONNECTING, which left
  // connections past their handshake deadline open forever on a loaded machine.
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    new WebSocketConnection(socket, { remoteAddr: "test" }).close("deadline");
    return response;
  });
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = await Promise.race([
      new Promise<CloseEvent>((r) => ws.addEventListener("close", r, { once: true })),
      new Promise<null>((r) => (timer = setTimeout(() => r(null), 10_000))),
    ]);
    clearTimeout(timer);
    if (closed === null) ws.close();
    assertEquals(closed?.code, 1000, "the client saw the close");
  } finally {
    await server.shutdown();
  }
});
