import { assertEquals, assertMatch } from "./_assert.ts";
import { WebSocketConnection } from "../../src/remote/websocket_connection.ts";
import { listenWebSocket } from "../../src/remote/websocket_listener.ts";
import { openRawSocket, UPGRADE_HEAD } from "./_raw_sockets.ts";
import { applyMask, buildFrameHeader, concat } from "../../src/remote/_ws_frame.ts";

Deno.test("WsSocket drops a peer that never answers pings, and keeps one that does", async () => {
  const accepted: WebSocketConnection[] = [];
  let arrived!: () => void;
  let wanted = 2;
  const both = new Promise<void>((r) => (arrived = r));
  const listener = listenWebSocket({
    hostname: "127.0.0.1",
    port: 0,
    // Long enough for a loaded machine to answer a ping in time, short enough for a test.
    keepaliveSeconds: 1,
    onConnection: (conn) => {
      accepted.push(conn);
      if (--wanted === 0) arrived();
    },
  });
  try {
    // The deaf peer upgrades, then reads nothing and answers nothing.
    const deaf = await openRawSocket(listener.port, "127.0.0.1");
    deaf.write(UPGRADE_HEAD);
    await deaf.answered; // upgraded, so it is the first connection accepted
    const live = await WebSocketConnection.connect(`ws://127.0.0.1:${listener.port}`);
    await both;
    const [deafServer, liveServer] = accepted as [WebSocketConnection, WebSocketConnection];
    const error = await deafServer.closed;
    assertMatch(error.message, /^Connection lost/);
    await deaf.ended;
    // Meanwhile the live client answered every ping (its socket does so by itself).
    assertEquals(liveServer.state, "open");
    await live.send(new Uint8Array([1, 2, 3]));
    assertEquals(await liveServer.receive(), new Uint8Array([1, 2, 3]));
    live.close();
    await liveServer.closed;
  } finally {
    await listener.close();
  }
});

/** A client frame (masked) with an explicit FIN bit. */
function clientFrame(opcode: number, payload: Uint8Array, fin = true): Uint8Array {
  const mask = crypto.getRandomValues(new Uint8Array(4));
  const header = buildFrameHeader(opcode, payload.length, mask);
  if (!fin) header[0] = header[0]! & 0x7f;
  const body = payload.slice();
  applyMask(body, mask);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

Deno.test("WsSocket joins fragmented messages, answers pings between fragments and refuses unmasked frames", async () => {
  const accepted: WebSocketConnection[] = [];
  let next!: () => void;
  let arrival = new Promise<void>((r) => (next = r));
  const listener = listenWebSocket({
    hostname: "127.0.0.1",
    port: 0,
    maxMessageBytes: 1024,
    onConnection: (conn) => {
      accepted.push(conn);
      next();
    },
  });
  try {
    const raw = await openRawSocket(listener.port, "127.0.0.1");
    raw.write(UPGRADE_HEAD);
    await arrival;
    const server = accepted[0]!;
    raw.write(clientFrame(0x2, new Uint8Array([1, 2]), false));
    raw.write(clientFrame(0x9, new Uint8Array([7]))); // a ping between the fragments
    raw.write(clientFrame(0x0, new Uint8Array([3]), false));
    raw.write(clientFrame(0x0, new Uint8Array([4, 5])));
    assertEquals(await server.receive(), new Uint8Array([1, 2, 3, 4, 5]));
    // Fragments count together against the cap.
    raw.write(clientFrame(0x2, new Uint8Array(600), false));
    raw.write(clientFrame(0x0, new Uint8Array(600)));
    assertMatch((await server.closed).message, /1200 bytes exceeds the limit of 1024/);
    await raw.ended;

    arrival = new Promise<void>((r) => (next = r));
    const plain = await openRawSocket(listener.port, "127.0.0.1");
    plain.write(UPGRADE_HEAD);
    await arrival;
    plain.write(buildFrameHeader(0x2, 0, null)); // a client frame must be masked
    assertMatch((await accepted[1]!.closed).message, /unmasked frame/);
    await plain.ended;
  } finally {
    await listener.close();
  }
});

Deno.test("WsSocket stops reading while its connection's queue is full and loses nothing", async () => {
  let accept!: (c: WebSocketConnection) => void;
  const accepted = new Promise<WebSocketConnection>((r) => (accept = r));
  const listener = listenWebSocket({
    hostname: "127.0.0.1",
    port: 0,
    maxMessageBytes: 1024,
    onConnection: accept,
  });
  try {
    const raw = await openRawSocket(listener.port, "127.0.0.1");
    raw.write(UPGRADE_HEAD);
    const server = await accepted;
    // 3,000 messages of 1,000 bytes, written at once; nobody receives yet.
    const count = 3000;
    const frames: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const body = new Uint8Array(1000);
      new DataView(body.buffer).setUint32(0, i);
      frames.push(clientFrame(0x2, body));
    }
    raw.write(concat(frames, frames.reduce((a, f) => a + f.length, 0)));
    const limit = 16 * 1024; // 16 messages of the 1 KiB cap
    while (server.queuedBytes < limit) await new Promise((r) => setTimeout(r, 1));
    let most = 0;
    for (let i = 0; i < count; i++) {
      most = Math.max(most, server.queuedBytes);
      const message = await server.receive();
      assertEquals(new DataView(message.buffer, message.byteOffset).getUint32(0), i);
    }
    console.log(`3,000 unread messages: at most ${most} bytes queued (limit ${limit})`);
    assertEquals(most < limit + 1024, true);
    raw.destroy();
  } finally {
    await listener.close();
  }
});

Deno.test("WsSocket answers a burst of messages of every small size in order, through gathered writes", async () => {
  let accept!: (c: WebSocketConnection) => void;
  const accepted = new Promise<WebSocketConnection>((r) => (accept = r));
  const listener = listenWebSocket({
    hostname: "127.0.0.1",
    port: 0,
    maxMessageBytes: 1024 * 1024,
    onConnection: accept,
  });
  try {
    const client = await WebSocketConnection.connect(`ws://127.0.0.1:${listener.port}`, {
      maxMessageBytes: 1024 * 1024,
    });
    const server = await accepted;
    // Sizes around every header form and the copy-and-mask limit, sent without waiting.
    const sizes = [0, 1, 2, 3, 4, 5, 125, 126, 127, 511, 512, 513, 4096, 65535, 65536, 70000];
    const messages = sizes.map((size, i) =>
      Uint8Array.from({ length: size }, (_, k) => (k * 131 + i * 7 + (k >> 8)) & 0xff)
    );
    for (let round = 0; round < 3; round++) {
      await Promise.all(messages.map((m) => client.send(m)));
      // The server echoes each message as it arrives: the echoes of a burst share writes.
      for (let i = 0; i < messages.length; i++) await server.send(await server.receive());
      for (const message of messages) assertEquals(await client.receive(), message);
    }
    client.close();
    await server.closed;
  } finally {
    await listener.close();
  }
});
