/**
 * Runs inside a private network namespace (see discovery_test.ts). Modes:
 * - `advertise`: advertises a fixed key on 127.0.0.1, prints "ready", then
 *   reads stdin lines `desc <text>` (re-announces, prints "updated") until stdin ends.
 * - `browse`: starts an `advertise` child process, browses, changes the
 *   description through the child, browses again, and prints one JSON line
 *   per browse.
 *
 * @module
 */

import { discover, MdnsAdvertiser } from "../../src/remote/discovery.ts";

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
