/**
 * Remote-layer rows of `deno task bench:rpc` (imported by `bench_rpc.ts`).
 * The server half of each row runs in its own process
 * (`bench_remote_server.ts`), as a controlled machine would; the client
 * half runs here.
 *
 * - `raw-echo`: a bare `Deno.serve` WebSocket echo on 127.0.0.1 with the
 *   `WebSocket` global as client, 32-byte messages: the floor every other
 *   WebSocket row is compared with, measured in the same run.
 * - `full-stack`: `OpendeskServer` (FakeComputer, approve auto, audit on,
 *   mDNS off) and `connect()` over a real WebSocket with the auth handshake
 *   and encryption; small calls are `display.cursor_position` through
 *   `ClientSession.call` (the server's Dispatcher validates, asks the policy,
 *   audits and encodes).
 * - `full-stack-fs-read`: the same session reading an 8 MiB (or 64 MiB) file with
 *   `computer.readFile` end to end (server reads the file, encodes, encrypts;
 *   the client decrypts, decodes, validates).
 *
 * @module
 */

import { Identity } from "../src/auth/identity.ts";
import { connect } from "../src/remote/client.ts";
import type { ClientSession } from "../src/remote/client_session.ts";

/** Figures of one round-trip row. */
export interface RemoteRttResult {
  label: string;
  rttP50Us: number;
  rttP99Us: number;
  pipelinedPerS: number;
  calls: number;
  inFlight: number;
}

/** Figures of the throughput row. */
export interface RemoteThroughputResult {
  label: string;
  mibPerS: number;
  reads: number;
  bytes: number;
}

/** Options of the rows. */
export interface RemoteBenchOptions {
  /** Sequential round trips timed. @default {20000} */
  calls?: number;
  /** Untimed calls first. @default {2000} */
  warmup?: number;
  /** Outstanding calls in the pipelined run (the server runs at most 64 at once). @default {48} */
  inFlight?: number;
  /** Total pipelined calls. @default {100000} */
  pipelinedCalls?: number;
}

function percentile(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

async function measure(
  label: string,
  call: () => Promise<unknown>,
  options: RemoteBenchOptions,
): Promise<RemoteRttResult> {
  const calls = options.calls ?? 20_000;
  const warmup = options.warmup ?? 2_000;
  const inFlight = options.inFlight ?? 48;
  const pipelined = options.pipelinedCalls ?? 100_000;
  for (let i = 0; i < warmup; i++) await call();
  const rtts = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await call();
    rtts[i] = (performance.now() - start) * 1000;
  }
  rtts.sort();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pipelined) {
      next++;
      await call();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - start) / 1000;
  return {
    label,
    rttP50Us: percentile(rtts, 50),
    rttP99Us: percentile(rtts, 99),
    pipelinedPerS: next / seconds,
    calls,
    inFlight,
  };
}

/** `OPENDESK_BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of the server process there. */
function profileFlags(): string[] {
  const dir = Deno.env.get("OPENDESK_BENCH_CPU_PROF");
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

interface Child {
  fields: string[];
  stop(): Promise<void>;
}

async function spawnServer(args: string[]): Promise<Child> {
  const script = new URL("./bench_remote_server.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", ...profileFlags(), script, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const line = (await reader.read()).value ?? "";
  reader.releaseLock();
  return {
    fields: line.trim().split(" "),
    async stop(): Promise<void> {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

/** A client of the bare WebSocket echo server (in a child process), torn down by `stop()`. */
export interface EchoClient {
  /** One round trip of a 32-byte message. */
  call(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the echo server in a child process and connects a `WebSocket` to it. */
export async function openEcho(): Promise<EchoClient> {
  const child = await spawnServer(["echo"]);
  const ws = new WebSocket(`ws://127.0.0.1:${child.fields[0]}`);
  ws.binaryType = "arraybuffer";
  await new Promise((resolve) => (ws.onopen = resolve));
  const waiters: (() => void)[] = [];
  let head = 0;
  ws.onmessage = () => waiters[head++]!();
  const message = new Uint8Array(32);
  return {
    call: (): Promise<void> =>
      new Promise((resolve) => {
        waiters.push(resolve);
        ws.send(message);
      }),
    async stop(): Promise<void> {
      const closed = new Promise((resolve) => (ws.onclose = resolve));
      ws.close();
      await closed;
      await child.stop();
    },
  };
}

/** `raw-echo`: the bare WebSocket floor (echo server in a child process). */
export async function rawEchoRow(options: RemoteBenchOptions = {}): Promise<RemoteRttResult> {
  const echo = await openEcho();
  try {
    return await measure("raw-echo", echo.call, options);
  } finally {
    await echo.stop();
  }
}

/** A server in a child process and a connected session, torn down by `stop()`. */
export interface FullStack {
  session: ClientSession;
  root: string;
  stop(): Promise<void>;
}

/** Starts `OpendeskServer` in a child process and `connect()`s to it on 127.0.0.1. */
export async function startFullStack(): Promise<FullStack> {
  const root = await Deno.makeTempDir({ prefix: "opendesk-bench-" });
  const controller = Identity.loadOrCreate(`${root}/client`);
  const child = await spawnServer(["full", `${root}/server`, controller.publicKeyHex]);
  const [port, serverKey] = child.fields;
  const session = await connect(`ws://127.0.0.1:${port}#${serverKey}`, {
    home: `${root}/client`,
    mdns: false,
    autoReconnect: false,
  });
  return {
    session,
    root,
    async stop(): Promise<void> {
      await session.close();
      await child.stop();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** `full-stack`: small calls through every layer. */
export async function fullStackRow(options: RemoteBenchOptions = {}): Promise<RemoteRttResult> {
  const stack = await startFullStack();
  try {
    return await measure(
      "full-stack",
      () => stack.session.call("display.cursor_position", {}),
      options,
    );
  } finally {
    await stack.stop();
  }
}

/**
 * `full-stack-fs-read`: `fs.read` of one file of `size` bytes (8 MiB unless told) end to end,
 * repeated `reads` times.
 */
export async function fullStackFsReadRow(
  reads = 40,
  size = 8 * 1024 * 1024,
): Promise<RemoteThroughputResult> {
  const stack = await startFullStack();
  const path = `${stack.root}/payload.bin`;
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(payload.subarray(i, i + 65536));
  await Deno.writeFile(path, payload);
  try {
    for (let i = 0; i < 3; i++) await stack.session.computer.readFile(path);
    const start = performance.now();
    let bytes = 0;
    for (let i = 0; i < reads; i++) {
      bytes += (await stack.session.computer.readFile(path)).byteLength;
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      label: `full-stack-fs-read-${size / 1024 / 1024}MiB`,
      mibPerS: bytes / 1024 / 1024 / seconds,
      reads,
      bytes,
    };
  } finally {
    await stack.stop();
  }
}

/** One greppable line for a round-trip row. */
export function formatRttRow(r: RemoteRttResult): string {
  return [
    r.label,
    `rtt_p50_us=${r.rttP50Us.toFixed(1)}`,
    `rtt_p99_us=${r.rttP99Us.toFixed(1)}`,
    `pipelined_calls_per_s=${Math.round(r.pipelinedPerS)}`,
    `calls=${r.calls}`,
    `in_flight=${r.inFlight}`,
  ].join("  ");
}

/** One greppable line for the throughput row. */
export function formatThroughputRow(r: RemoteThroughputResult): string {
  return [r.label, `mib_per_s=${r.mibPerS.toFixed(0)}`, `reads=${r.reads}`, `bytes=${r.bytes}`]
    .join("  ");
}
