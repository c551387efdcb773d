import { assertEquals, assertMatch } from "./_assert.ts";
import { WebSocketConnection } from "../../src/remote/websocket_connection.ts";
import { listenWebSocket } from "../../src/remote/websocket_listener.ts";
import { openRawSocket, UPGRADE_HEAD } from "./_raw_sockets.ts";

Deno.test("WsSocket drops a peer that never answers pings, and keeps one that does", async () => {
  const accepted: WebSocketConnection[] = [];
  let arrived!: () => void;
  let wanted = 2;
  const both = new Promise<void>((r) => (arrived = r));
  const listener = listenWebSocket({
    hostname: "127.0.0.1",
    port: 0,
    keepaliveSeconds: 0.2,
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
