/**
 * Computer-layer benchmark: method calls through the real `Dispatcher` and
 * `RemoteComputer` over a loopback `Peer` pair, against real files and
 * processes (`HostComputer`) and the in-memory desktop (`FakeComputer`).
 *
 * Run with `deno task bench:computer`. Each row prints one stable, greppable line:
 *
 * ```text
 * <name>  p50_ms=…  p99_ms=…  ops_per_s=…  [mib_per_s=…]  n=…
 * ```
 *
 * @module
 */

import { createLoopbackPair, Peer } from "../src/protocol/mod.ts";
import {
  type Computer,
  Dispatcher,
  FakeComputer,
  HostComputer,
  RemoteComputer,
} from "../src/computer/mod.ts";
import { encodeManifest } from "../src/computer/methods/wire_encode.ts";

interface Session {
  remote: RemoteComputer;
  close(): Promise<void>;
}

async function open(computer: Computer): Promise<Session> {
  const [a, b] = createLoopbackPair();
  const dispatcher = new Dispatcher(computer);
  const server = new Peer(b, { role: "server", handler: dispatcher });
  const client = new Peer(a, { role: "client", defaultCallTimeoutMs: 0 });
  await Promise.all([
    client.hello(),
    server.hello({ capabilities: encodeManifest(dispatcher.manifest()) }),
  ]);
  client.start();
  server.start();
  const remote = new RemoteComputer(client);
  return {
    remote,
    async close() {
      await remote.close();
      server.close();
      await Promise.all([client.closed, server.closed]);
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function bench(
  name: string,
  n: number,
  run: () => Promise<unknown>,
  bytesPerOp = 0,
): Promise<void> {
  for (let i = 0; i < Math.min(20, n); i++) await run();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  const seconds = (performance.now() - start) / 1000;
  times.sort((x, y) => x - y);
  const fields = [
    name.padEnd(34),
    `p50_ms=${percentile(times, 0.5).toFixed(3)}`,
    `p99_ms=${percentile(times, 0.99).toFixed(3)}`,
    `ops_per_s=${(n / seconds).toFixed(0)}`,
  ];
  if (bytesPerOp > 0) fields.push(`mib_per_s=${(n * bytesPerOp / 1048576 / seconds).toFixed(0)}`);
  fields.push(`n=${n}`);
  console.log(fields.join("  "));
}

const dir = await Deno.makeTempDir({ prefix: "opendesk-bench-" });
try {
  const big = new Uint8Array(8 * 1024 * 1024).fill(42);
  await Deno.writeFile(`${dir}/8mib.bin`, big);
  const host = await open(new HostComputer());
  try {
    await bench("host fs.stat", 3000, () => host.remote.stat(`${dir}/8mib.bin`));
    await bench(
      "host fs.read 8 MiB",
      40,
      () => host.remote.readFile(`${dir}/8mib.bin`),
      big.length,
    );
    await bench(
      "host fs.write 8 MiB (atomic)",
      20,
      () => host.remote.writeFile(`${dir}/w.bin`, big),
      big.length,
    );
    await bench("host process.exec true", 100, () => host.remote.exec(["true"]));
    await bench("host process.list", 50, () => host.remote.processes());
  } finally {
    await host.close();
  }
  const fake = await open(new FakeComputer({ width: 1920, height: 1080 }));
  try {
    await bench("fake display.cursor_position", 5000, () => fake.remote.cursorPosition());
    await bench("fake input.pointer (validated)", 5000, () =>
      fake.remote.pointer({
        action: "move",
        point: { x: 10, y: 10 },
        button: null,
        modifiers: [],
        dx: 0,
        dy: 0,
        pressure: null,
        tilt_x: null,
        tilt_y: null,
        timestamp: 0,
      }));
    await bench("fake ui.tree", 2000, () => fake.remote.uiTree({ refs: true }));
    await bench(
      "fake display.capture raw 1920x1080",
      30,
      () => fake.remote.capture({ format: "raw_rgba" }),
      1920 * 1080 * 4,
    );
  } finally {
    await fake.close();
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
