/**
 * The server half of the remote benchmark rows, run as its own process by
 * `bench_remote.ts` (a controlled machine and its controller are different
 * processes; on a 2-core machine each side gets its own core).
 *
 * - `echo`: a bare `Deno.serve` WebSocket echo; prints its port.
 * - `full <home> <controller key hex>`: `OpendeskServer` with a FakeComputer
 *   (approve auto, audit on, mDNS off, no admin socket), trusting the key;
 *   prints `<port> <server key hex>`.
 *
 * Runs until killed.
 *
 * @module
 */

import { TrustStore } from "../src/auth/trust_store.ts";
import { FakeComputer } from "../src/computer/drivers/fake/fake_computer.ts";
import { OpendeskServer } from "../src/remote/server.ts";

const [mode, home, controller] = Deno.args;
// Exit normally on SIGTERM so a requested CPU profile gets written.
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
if (mode === "echo") {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.binaryType = "arraybuffer";
    socket.onmessage = (ev) => socket.send(ev.data);
    return response;
  });
  console.log(server.addr.port);
} else if (mode === "full" && home && controller) {
  new TrustStore(home).add(controller, "bench", "controller");
  const server = await OpendeskServer.start({
    home,
    computer: new FakeComputer(),
    host: "127.0.0.1",
    port: 0,
    approve: "auto",
    mdns: false,
    admin: false,
    pairWhenUntrusted: false,
  });
  console.log(`${server.port} ${server.identity.publicKeyHex}`);
} else {
  console.error("Usage: bench_remote_server.ts echo | full <home> <controller key hex>");
  Deno.exit(2);
}
