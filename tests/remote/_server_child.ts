/**
 * A server in its own process, so tests can kill it abruptly (SIGKILL) and
 * restart it. Args: `<home> <port> <controller key hex>`. Prints the bound
 * port, then serves a FakeComputer (approve auto, mDNS off, no admin socket)
 * until killed.
 *
 * @module
 */

import { TrustStore } from "../../src/auth/trust_store.ts";
import { FakeComputer } from "../../src/computer/drivers/fake/fake_computer.ts";
import { OpendeskServer } from "../../src/remote/server.ts";

const [home, port, controller] = Deno.args as [string, string, string];
new TrustStore(home).add(controller, "controller", "controller");
const server = await OpendeskServer.start({
  home,
  computer: new FakeComputer(),
  host: "127.0.0.1",
  port: Number(port),
  approve: "auto",
  mdns: false,
  admin: false,
});
console.log(server.port);
