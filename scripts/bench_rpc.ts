/**
 * RPC benchmark: small-call round trips and pipelined throughput between two
 * `Peer`s over any connection pair.
 *
 * Run with `deno task bench:rpc`. Each row prints in one stable, greppable line:
 *
 * ```text
 * loopback  rtt_p50_us=…  rtt_p99_us=…  pipelined_calls_per_s=…  calls=…  in_flight=…
 * ```
 *
 * Rows: `loopback` (in-memory pair), `websocket` (a real WebSocket on
 * 127.0.0.1) and `websocket+encryption` (the same, wrapped in
 * `EncryptedConnection` with random session keys); then the remote layer's
 * `raw-echo`, `full-stack`, `full-stack-fs-read` and `full-stack-fs-read-64MiB` (see
 * `bench_remote.ts`),
 * and `rtt-ratio`, the raw-echo and full-stack round trips compared in alternating
 * rounds (see `bench_rtt_ratio.ts`). Other transports add a row by calling
 * {@linkcode benchRpc} with their own pair factory. Pass row names as
 * arguments to run only those (`deno task bench:rpc loopback`).
 *
 * @module
 */

import { EncryptedConnection } from "../src/auth/encrypted_connection.ts";
import {
  type Connection,
  createLoopbackPair,
  Peer,
  type RequestHandler,
} from "../src/protocol/mod.ts";
import { WebSocketConnection } from "../src/remote/websocket_connection.ts";
import {
  formatRttRow,
  formatThroughputRow,
  fullStackFsReadRow,
  fullStackRow,
  rawEchoRow,
} from "./bench_remote.ts";
import { formatRttRatioRow, rttRatioRow } from "./bench_rtt_ratio.ts";

/** Creates one connected pair: `[client end, server end]`. */
export type MakePair = () => [Connection, Connection] | Promise<[Connection, Connection]>;

/** Options of {@linkcode benchRpc}. */
export interface BenchRpcOptions {
  /**
   * Sequential calls timed for the round-trip percentiles.
   * @default {20000}
   */
  calls?: number;
  /**
   * Untimed calls before each measurement.
   * @default {2000}
   */
  warmup?: number;
  /**
   * Calls kept in flight for the pipelined measurement.
   * @default {256}
   */
  inFlight?: number;
  /**
   * Total calls of the pipelined measurement.
   * @default {100000}
   */
  pipelinedCalls?: number;
  /**
   * Called after the pair is closed (stop servers, remove temp files).
   * @default {undefined}
   */
  cleanup?: () => void | Promise<void>;
}

/** One benchmark row. */
export interface BenchRpcResult {
  label: string;
  rttP50Us: number;
  rttP99Us: number;
  pipelinedCallsPerS: number;
  calls: number;
  inFlight: number;
}

/** The server side answers `bench.echo` with its params (a small map). */
const echoHandler: RequestHandler = {
  call: (_method, params) => Promise.resolve(params),
  stream: async function* () {},
};

function percentile(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/**
 * Measures one transport: the pair is set up with a HELLO exchange, then
 * `calls` sequential round trips are timed one by one, then `pipelinedCalls`
 * calls run with `inFlight` outstanding at once.
 *
 * @param label The row's name.
 * @param makePair Creates the connection pair to measure.
 * @param options Sizes of the runs.
 * @returns The figures (also printed by {@linkcode formatBenchRow}).
 */
export async function benchRpc(
  label: string,
  makePair: MakePair,
  options: BenchRpcOptions = {},
): Promise<BenchRpcResult> {
  const calls = options.calls ?? 20_000;
  const warmup = options.warmup ?? 2_000;
  const inFlight = options.inFlight ?? 256;
  const pipelinedCalls = options.pipelinedCalls ?? 100_000;
  const [clientConn, serverConn] = await makePair();
  const client = new Peer(clientConn, { role: "client" });
  const server = new Peer(serverConn, {
    role: "server",
    handler: echoHandler,
    maxInFlight: Math.max(inFlight, 64),
  });
  try {
    await Promise.all([client.hello(), server.hello()]);
    client.start();
    server.start();
    const params = { n: 0, tag: "bench" };

    for (let i = 0; i < warmup; i++) await client.call("bench.echo", params);
    const rtts = new Float64Array(calls);
    for (let i = 0; i < calls; i++) {
      params.n = i;
      const start = performance.now();
      await client.call("bench.echo", params);
      rtts[i] = (performance.now() - start) * 1000;
    }
    rtts.sort();

    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < pipelinedCalls) {
        next++;
        await client.call("bench.echo", params);
      }
    };
    for (let i = 0; i < warmup; i++) await client.call("bench.echo", params);
    const start = performance.now();
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = (performance.now() - start) / 1000;

    return {
      label,
      rttP50Us: percentile(rtts, 50),
      rttP99Us: percentile(rtts, 99),
      pipelinedCallsPerS: next / seconds,
      calls,
      inFlight,
    };
  } finally {
    client.close();
    server.close();
    await Promise.all([client.closed, server.closed]);
    await options.cleanup?.();
  }
}

/**
 * Formats a result as one greppable line.
 *
 * @param result A benchmark row.
 * @returns `"<label>  rtt_p50_us=…  rtt_p99_us=…  pipelined_calls_per_s=…  calls=…  in_flight=…"`.
 */
export function formatBenchRow(result: BenchRpcResult): string {
  return [
    result.label,
    `rtt_p50_us=${result.rttP50Us.toFixed(1)}`,
    `rtt_p99_us=${result.rttP99Us.toFixed(1)}`,
    `pipelined_calls_per_s=${Math.round(result.pipelinedCallsPerS)}`,
    `calls=${result.calls}`,
    `in_flight=${result.inFlight}`,
  ].join("  ");
}

/** A connection pair over a real WebSocket on 127.0.0.1, and how to stop its server. */
export async function websocketPair(): Promise<
  { pair: [Connection, Connection]; stop: () => Promise<void> }
> {
  const { promise: accepted, resolve } = Promise.withResolvers<Connection>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    resolve(new WebSocketConnection(socket, { remoteAddr: "bench-client" }));
    return response;
  });
  const client = await WebSocketConnection.connect(`ws://127.0.0.1:${server.addr.port}`);
  return { pair: [client, await accepted], stop: () => server.shutdown() };
}

/** Wraps both ends of a pair in `EncryptedConnection` with fresh random session keys. */
export function encryptPair([client, server]: [Connection, Connection]): [Connection, Connection] {
  const c2s = crypto.getRandomValues(new Uint8Array(32));
  const s2c = crypto.getRandomValues(new Uint8Array(32));
  return [
    new EncryptedConnection(client, { sendKey: c2s, receiveKey: s2c }),
    new EncryptedConnection(server, { sendKey: s2c, receiveKey: c2s }),
  ];
}

/** Runs one row per transport over a WebSocket started for that row. */
async function websocketRow(label: string, encrypt: boolean): Promise<BenchRpcResult> {
  let stop: () => Promise<void> = () => Promise.resolve();
  return await benchRpc(label, async () => {
    const made = await websocketPair();
    stop = made.stop;
    return encrypt ? encryptPair(made.pair) : made.pair;
  }, { cleanup: () => stop() });
}

if (import.meta.main) {
  const rows: Record<string, () => Promise<BenchRpcResult>> = {
    "loopback": () => benchRpc("loopback", createLoopbackPair),
    "websocket": () => websocketRow("websocket", false),
    "websocket+encryption": () => websocketRow("websocket+encryption", true),
  };
  // Remote-layer rows (server in a child process; see bench_remote.ts), printed as they finish.
  const remoteRows: Record<string, () => Promise<string>> = {
    "raw-echo": async () => formatRttRow(await rawEchoRow()),
    "full-stack": async () => formatRttRow(await fullStackRow()),
    "full-stack-fs-read": async () => formatThroughputRow(await fullStackFsReadRow()),
    "full-stack-fs-read-64MiB": async () =>
      formatThroughputRow(await fullStackFsReadRow(6, 64 * 1024 * 1024)),
    "rtt-ratio": async () => formatRttRatioRow(await rttRatioRow()),
  };
  const names = [...Object.keys(rows), ...Object.keys(remoteRows)];
  const wanted = Deno.args.length > 0 ? Deno.args : names;
  for (const name of wanted) {
    const run = rows[name];
    const remote = remoteRows[name];
    if (run === undefined && remote === undefined) {
      console.error(`Unknown row '${name}': choose from ${names.join(", ")}`);
      Deno.exit(2);
    }
    console.log(run ? formatBenchRow(await run()) : await remote!());
  }
}
