/**
 * An `OpendeskServer` in its own process for flood tests (run it under
 * `prlimit` to lower its descriptor limit). Arg: a JSON object with `home`,
 * `controller` (public key hex) and server options (`preAuthTimeoutMs`,
 * `maxPreAuthConnections`, `maxPreAuthPerSource`, `refusalWindowMs`). Prints
 * `{"port": N}`, then every server event as one JSON line; on SIGTERM closes
 * the server and prints `{"type": "stopped"}`.
 *
 * @module
 */

import { TrustStore } from "../../src/auth/trust_store.ts";
import { FakeComputer } from "../../src/computer/drivers/fake/fake_computer.ts";
import { OpendeskServer } from "../../src/remote/server.ts";

const { home, controller, ...options } = JSON.parse(Deno.args[0]!);
new TrustStore(home).add(controller, "controller", "controller");
const server = await OpendeskServer.start({
  home,
  computer: new FakeComputer(),
  host: "0.0.0.0",
  port: 0,
  approve: "auto",
  mdns: false,
  admin: false,
  ...options,
  onEvent: (event) => console.log(JSON.stringify(event)),
});
console.log(JSON.stringify({ port: server.port }));
Deno.addSignalListener("SIGTERM", async () => {
  await server.close();
  console.log(JSON.stringify({ type: "stopped" }));
  Deno.exit(0);
});
