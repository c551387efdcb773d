/**
 * The `rtt-ratio` row of `deno task bench:rpc`: small-call round trips of the
 * full stack against the bare WebSocket echo, measured in alternating short
 * rounds with both servers (child processes) up at the same time.
 *
 * On a shared 2-core VM the echo floor itself moves a lot between moments
 * (an idle machine wakes halted vCPUs for every message: ~85 µs; a busy one
 * does not: ~30 µs), so `raw-echo` and `full-stack` measured one after the
 * other can land in different regimes. Alternating rounds compares like with
 * like; the row prints the median of the per-round ratios:
 *
 * ```text
 * rtt-ratio  full_over_echo_p50=1.40  echo_p50_us=85.5  full_p50_us=119.6  rounds=12  calls_per_round=3000
 * ```
 *
 * @module
 */

import { openEcho, startFullStack } from "./bench_remote.ts";

/** Figures of the ratio row. */
export interface RttRatioResult {
  /** Median over rounds of (full-stack p50 / echo p50). */
  ratio: number;
  /** Median of the rounds' echo p50s, µs. */
  echoP50Us: number;
  /** Median of the rounds' full-stack p50s, µs. */
  fullP50Us: number;
  rounds: number;
  callsPerRound: number;
}

/** Options of {@linkcode rttRatioRow}. */
export interface RttRatioOptions {
  /** Alternating rounds (one echo and one full-stack run each). @default {12} */
  rounds?: number;
  /** Sequential round trips per run. @default {3000} */
  callsPerRound?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

async function p50(call: () => Promise<unknown>, calls: number): Promise<number> {
  const rtts = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await call();
    rtts[i] = (performance.now() - start) * 1000;
  }
  rtts.sort();
  return rtts[calls >> 1]!;
}

/** `rtt-ratio`: full-stack vs raw echo p50, interleaved (see the module doc). */
export async function rttRatioRow(options: RttRatioOptions = {}): Promise<RttRatioResult> {
  const rounds = options.rounds ?? 12;
  const callsPerRound = options.callsPerRound ?? 3000;
  const echo = await openEcho();
  const stack = await startFullStack();
  const full = () => stack.session.call("display.cursor_position", {});
  try {
    for (let i = 0; i < 2000; i++) {
      await echo.call();
      await full();
    }
    const ratios: number[] = [], echoes: number[] = [], fulls: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const e = await p50(echo.call, callsPerRound);
      const f = await p50(full, callsPerRound);
      ratios.push(f / e);
      echoes.push(e);
      fulls.push(f);
    }
    return {
      ratio: median(ratios),
      echoP50Us: median(echoes),
      fullP50Us: median(fulls),
      rounds,
      callsPerRound,
    };
  } finally {
    await stack.stop();
    await echo.stop();
  }
}

/** One greppable line for the ratio row. */
export function formatRttRatioRow(r: RttRatioResult): string {
  return [
    "rtt-ratio",
    `full_over_echo_p50=${r.ratio.toFixed(2)}`,
    `echo_p50_us=${r.echoP50Us.toFixed(1)}`,
    `full_p50_us=${r.fullP50Us.toFixed(1)}`,
    `rounds=${r.rounds}`,
    `calls_per_round=${r.callsPerRound}`,
  ].join("  ");
}
