/**
 * `fs.read` of FIFOs over a real server and WebSocket with the host's file
 * methods: cancelled reads of a FIFO nobody writes really stop, and the
 * server's file I/O keeps answering.
 */

import { assert, assertEquals } from "./_assert.ts";
import { HostComputer } from "../../src/computer/host/host_computer.ts";
import { startServer } from "./_server_fixture.ts";

const FIFO_READS = 64;

/** `head` children of this process that read `path` (the server runs in-process). */
function readersOf(path: string): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const argv = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).split("\0");
      if (ppid === Deno.pid && argv.includes(path)) pids.push(Number(entry.name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

Deno.test({
  name: "OpendeskServer: 64 cancelled FIFO reads stop, and the next fs.stat still answers",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = Deno.makeTempDirSync();
    const fifo = `${dir}/pipe`;
    const made = new Deno.Command("mkfifo", { args: [fifo] }).outputSync();
    assert(made.success, "mkfifo works");
    await using fx = await startServer({ computer: new HostComputer(), approve: "auto" });
    const session = await fx.addController("alice").connect({ autoReconnect: false });
    try {
      const controllers = Array.from({ length: FIFO_READS }, () => new AbortController());
      const reads = controllers.map((c) =>
        session.computer.readFile(fifo, {}, { signal: c.signal, timeoutMs: 60_000 })
      );
      // Every read is under way on the server (a reader per FIFO read) before cancelling.
      const deadline = Date.now() + 30_000;
      while (readersOf(fifo).length < FIFO_READS && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assertEquals(readersOf(fifo).length, FIFO_READS, "every read is waiting on the FIFO");
      for (const c of controllers) c.abort();
      const outcomes = await Promise.allSettled(reads);
      assertEquals(
        outcomes.map((o) => o.status === "rejected" ? (o.reason as Error).name : "fulfilled"),
        Array(FIFO_READS).fill("AbortError"),
      );

      const started = performance.now();
      const entry = await session.computer.stat(dir, { timeoutMs: 10_000 });
      const ms = performance.now() - started;
      console.log(
        `fs.stat after ${FIFO_READS} cancelled FIFO reads answered in ${ms.toFixed(1)} ms`,
      );
      assertEquals(entry.is_dir, true);

      // A cancelled read really stops: its reader process is gone.
      const gone = Date.now() + 10_000;
      while (readersOf(fifo).length > 0 && Date.now() < gone) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assertEquals(readersOf(fifo), [], "no reader of the FIFO is left");

      // A FIFO with a writer is read to its end.
      const writer = new Deno.Command("sh", { args: ["-c", `printf 'hello' > '${fifo}'`] }).spawn();
      const data = await session.computer.readFile(fifo, {}, { timeoutMs: 10_000 });
      await writer.status;
      assertEquals(new TextDecoder().decode(data), "hello");
    } finally {
      await session.close();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
