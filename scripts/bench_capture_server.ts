/**
 * The server half of the end-to-end capture rows of `deno task
 * bench:capture`, run as its own process by `bench_capture_remote.ts` (the
 * controlled machine and its controller are different processes; on a
 * 2-core machine each side gets its own core).
 *
 * `bench_capture_server.ts <display> <home>` serves a `NativeComputer` on the
 * X display `<display>` with `OpendeskServer` (approve auto, audit on, mDNS
 * off, no admin socket, pairing armed because `<home>` trusts nobody yet) and
 * prints `<port> <pairing code>`. Runs until SIGTERM, then closes the server
 * and the X connection.
 *
 * @module
 */

import { NativeComputer } from "../src/computer/drivers/x11/native_computer.ts";
import { OpendeskServer } from "../src/remote/server.ts";

const [display, home] = Deno.args;
if (!display || !home) {
  console.error("Usage: bench_capture_server.ts <display> <home>");
  Deno.exit(2);
}

const computer = await NativeComputer.open({ display });
let code = "";
const server = await OpendeskServer.start({
  home,
  computer,
  host: "127.0.0.1",
  port: 0,
  approve: "auto",
  mdns: false,
  admin: false,
  pairWhenUntrusted: true,
  onEvent: (event) => {
    if (event.type === "pairing_armed") code = event.code;
  },
});
if (code === "") {
  console.error("The benchmark server armed no pairing window");
  await server.close();
  await computer.close();
  Deno.exit(1);
}

let stopping = false;
Deno.addSignalListener("SIGTERM", async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  await computer.close();
  Deno.exit(0);
});
console.log(`${server.port} ${code}`);
