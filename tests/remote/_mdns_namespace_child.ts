/**
 * Runs inside a private network namespace (see discovery_test.ts). Modes:
 * - `advertise`: advertises a fixed key on 127.0.0.1, prints "ready", then
 *   reads stdin lines `desc <text>` (re-announces, prints "updated") until stdin ends.
 * - `browse`: starts an `advertise` child process, browses, changes the
 *   description through the child, browses again, and prints one JSON line
 *   per browse.
 * - `connect`: starts an `OpendeskServer` advertising on 127.0.0.1, then
 *   connects by peer name with no cached address (so the client browses for
 *   the key) and prints `connected <host>:<port> <displays>`.
 *
 * @module
 */

import { Identity } from "../../src/auth/identity.ts";
import { TrustStore } from "../../src/auth/trust_store.ts";
import { FakeComputer } from "../../src/computer/drivers/fake/fake_computer.ts";
import { connect } from "../../src/remote/client.ts";
import { discover, MdnsAdvertiser } from "../../src/remote/discovery.ts";
import { OpendeskServer } from "../../src/remote/server.ts";

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const mode = Deno.args[0];

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
    }
  }
}

if (mode === "advertise") {
  const ad = await MdnsAdvertiser.start({
    publicKey: KEY,
    port: 18423,
    name: "testbox-a0a1a2",
    description: "first description",
    interface: "127.0.0.1",
  });
  console.log("ready");
  for await (const line of lines(Deno.stdin.readable)) {
    if (line.startsWith("desc ")) {
      ad.setDescription(line.slice(5));
      console.log("updated");
    }
  }
  await ad.close();
} else if (mode === "browse") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", import.meta.filename!, "advertise"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const out = lines(child.stdout);
  const writer = child.stdin.getWriter();
  await out.next(); // ready
  const show = (peers: Awaited<ReturnType<typeof discover>>): string =>
    JSON.stringify(peers.map((p) => ({ ...p, publicKey: Array.from(p.publicKey) })));
  console.log(show(await discover({ timeoutMs: 700, interface: "127.0.0.1" })));
  await writer.write(new TextEncoder().encode(`desc ${"é".repeat(70)}\n`));
  await out.next(); // updated
  console.log(show(await discover({ timeoutMs: 700, interface: "127.0.0.1" })));
  await writer.close();
  await child.status;
}

if (mode === "connect") {
  const root = await Deno.makeTempDir();
  try {
    const controller = Identity.loadOrCreate(`${root}/client`);
    const server = await OpendeskServer.start({
      home: `${root}/server`,
      computer: new FakeComputer(),
      host: "127.0.0.1",
      port: 0,
      approve: "auto",
      admin: false,
      mdnsInterface: "127.0.0.1",
      pairWhenUntrusted: false,
    });
    new TrustStore(`${root}/server`).add(controller.publicKey, "ctl", "controller");
    new TrustStore(`${root}/client`).add(server.identity.publicKey, "box", "remote");
    const session = await connect("box", {
      home: `${root}/client`,
      mdnsInterface: "127.0.0.1",
      timeoutMs: 1500,
    });
    const displays = await session.computer.displays();
    console.log(
      `connected ${session.link.host}:${
        session.link.port === server.port ? "port-ok" : "port-wrong"
      } ${displays.length}`,
    );
    const cached = new TrustStore(`${root}/client`).get("box")!;
    console.log(
      `cached ${cached.lastHost}:${cached.lastPort === server.port ? "port-ok" : "port-wrong"}`,
    );
    await session.close();
    await server.close();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
