import assert from "node:assert/strict";
import { ConnectionClosedError, Peer, type RequestContext } from "../../src/protocol/mod.ts";
import { websocketPair } from "../../scripts/bench_rpc.ts";
import { makeHandler, waitFor } from "./_util.ts";

Deno.test("Peer works over a real WebSocket: big results, streams, cancel and close", async () => {
  const { pair: [clientConn, serverConn], stop } = await websocketPair();
  const seen: RequestContext[] = [];
  const big = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
  const server = new Peer(serverConn, {
    role: "server",
    handler: makeHandler({
      call: () => Promise.resolve({ data: big }),
      stream: async function* (_m, _p, ctx) {
        seen.push(ctx);
        for (let i = 0; !ctx.signal.aborted; i++) {
          yield { i };
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      },
    }),
  });
  const client = new Peer(clientConn, { role: "client" });
  try {
    await Promise.all([client.hello(), server.hello({ capabilities: { backend: "test" } })]);
    client.start();
    server.start();
    const result = await client.call("fs.read", { path: "/big" });
    const data = result?.data as Uint8Array;
    assert.equal(data.length, big.length);
    assert.equal(data[1_000_003], big[1_000_003]);
    let count = 0;
    for await (const _ of client.stream("input.subscribe")) if (++count === 5) break;
    await waitFor(() => seen[0]?.signal.aborted === true);
    server.close("server shutdown");
    const closedWith = await client.closed;
    assert.ok(closedWith instanceof ConnectionClosedError);
    await assert.rejects(client.call("x"), ConnectionClosedError);
  } finally {
    client.close();
    server.close();
    await Promise.all([client.closed, server.closed]);
    await stop();
  }
});
