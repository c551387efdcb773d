/**
 * Frames as large as the original's clients send, over the real encrypted
 * link (loopback WebSocket, real pairing keys, opendesk's own client), with
 * real files: a 40 MiB `fs.write`, an 80 MiB `fs.read` (beyond the runtime
 * WebSocket's fixed 64 MiB inbound limit) and a 32 MiB `fs.read` chunk.
 */

import { createHash } from "node:crypto";
import { assertEquals } from "./_assert.ts";
import { HostComputer } from "../../src/computer/host/host_computer.ts";
import { startServer } from "./_server_fixture.ts";

const MiB = 1024 * 1024;

function digest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  // Cheap, position-dependent content: a shifted or truncated transfer does not match.
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < words.length; i++) words[i] = (i * 2654435761 + seed) >>> 0;
  return out;
}

Deno.test("fs.write of 40 MiB and fs.read of 80 MiB and of a 32 MiB range cross the encrypted link", async () => {
  await using fx = await startServer({ computer: new HostComputer() });
  const dir = await Deno.makeTempDir({ prefix: "opendesk-large-" });
  try {
    const alice = fx.addController("alice");
    const session = await alice.connect({ autoReconnect: false });
    const written = pattern(40 * MiB, 1);
    let started = performance.now();
    await session.computer.writeFile(`${dir}/w.bin`, written);
    const writeMs = performance.now() - started;
    assertEquals(digest(await Deno.readFile(`${dir}/w.bin`)), digest(written));

    const big = pattern(80 * MiB, 2);
    await Deno.writeFile(`${dir}/r.bin`, big);
    started = performance.now();
    const read = await session.computer.readFile(`${dir}/r.bin`);
    const readMs = performance.now() - started;
    assertEquals(read.length, big.length);
    assertEquals(digest(read), digest(big));
    console.log(
      `40 MiB fs.write ${writeMs.toFixed(0)} ms, 80 MiB fs.read ${readMs.toFixed(0)} ms ` +
        "(one process, loopback, encrypted)",
    );

    const range = await session.computer.readFile(`${dir}/r.bin`, {
      offset: 8 * MiB,
      length: 32 * MiB,
    });
    assertEquals(digest(range), digest(big.subarray(8 * MiB, 40 * MiB)));
    // The session is still healthy.
    assertEquals((await session.computer.readFile(`${dir}/w.bin`, { length: 4 })).length, 4);
    await session.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
