/**
 * `deno task bench`: the headline rows, end to end, each beside its peer
 * tool from the same run and with the machine's load, then a few labelled
 * micro-benchmarks; writes the table to `docs/benchmarks.md`.
 *
 * End to end means: the server is `opendesk serve` (or `OpendeskServer`) in
 * its own process, the controller is opendesk's own client (the CLI for file
 * transfers, the client library otherwise), with real authentication and
 * encryption over a loopback WebSocket.
 *
 * `--quick` runs fewer repetitions and only 64 MiB files; `--no-write` prints
 * without touching `docs/benchmarks.md`.
 *
 * @module
 */

import { nobleAead, nodeAead } from "../src/auth/aead.ts";
import { fullStackRow } from "./bench_remote.ts";
import { rttRatioRow } from "./bench_rtt_ratio.ts";
import { type DesktopRow, desktopRows } from "./bench_desktop_e2e.ts";
import { type TransferRow, transferRows } from "./bench_transfer.ts";

const quick = Deno.args.includes("--quick");
const MIB = 1024 * 1024;

function load(): string {
  return Deno.loadavg().map((n) => n.toFixed(1)).join(" / ");
}

function fmtMib(bytes: number | undefined): string {
  return bytes === undefined ? "—" : `${(bytes / MIB).toFixed(0)} MiB`;
}

function transferTable(rows: TransferRow[]): string[] {
  const lines = [
    "| what | opendesk | ssh cat | scp | opendesk / ssh cat | opendesk client peak RSS (growth) | server RSS growth | load (1 min) |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    const by = new Map(row.figures.map((f) => [f.tool, f]));
    if (row.bytes === 0) {
      const time = (f: typeof row.figures[number] | undefined): string =>
        f ? `${(f.seconds * 1000).toFixed(0)} ms` : "—";
      lines.push(
        `| ${row.label} | ${time(by.get("opendesk"))} | ${time(by.get("ssh cat"))} | — | — | ${
          fmtMib(by.get("opendesk")?.clientPeakRss)
        } | — | ${row.load.toFixed(1)} |`,
      );
      continue;
    }
    const od = by.get("opendesk")!;
    const ssh = by.get("ssh cat");
    const scp = by.get("scp");
    const cell = (f: typeof od | undefined): string =>
      f ? `${f.mibPerS.toFixed(0)} MiB/s (${f.seconds.toFixed(2)} s)` : "not installed";
    lines.push(
      `| ${row.label} | ${cell(od)} | ${cell(ssh)} | ${cell(scp)} | ${
        ssh ? (od.mibPerS / ssh.mibPerS).toFixed(2) + "×" : "—"
      } | ${fmtMib(od.clientPeakRss)}${
        od.clientRssGrowth === undefined ? "" : ` (+${fmtMib(od.clientRssGrowth)})`
      } | ${fmtMib(od.serverRssGrowth)} | ${row.load.toFixed(1)} |`,
    );
  }
  return lines;
}

function desktopTable(rows: DesktopRow[] | null): string[] {
  if (rows === null) return ["Desktop rows skipped: Xvfb is not installed."];
  const lines = [
    "| what | opendesk p50 | peer | peer p50 | opendesk / peer | load (1 min) | note |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const peer = r.peer === "—"
      ? "—"
      : r.peerMs === null
      ? "not installed"
      : `${r.peerMs.toFixed(1)} ms`;
    lines.push(
      `| ${r.label} | ${r.opendeskMs.toFixed(1)} ms | ${r.peer} | ${peer} | ${
        r.peerMs === null ? "—" : (r.opendeskMs / r.peerMs).toFixed(2) + "×"
      } | ${r.load.toFixed(1)} | ${r.note ?? ""} |`,
    );
  }
  return lines;
}

function aeadMicro(): string[] {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const nonce = new Uint8Array(12);
  const big = new Uint8Array(8 * MIB);
  const small = new Uint8Array(64);
  const time = (n: number, fn: () => void): number => {
    for (let i = 0; i < Math.min(n, 5000); i++) fn(); // a warm JIT for the pure-JS cipher too
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - start) / n;
  };
  const sealed = nodeAead.seal(key, nonce, big);
  const sealedSmall = nodeAead.seal(key, nonce, small);
  const sealMs = time(quick ? 5 : 20, () => nodeAead.seal(key, nonce, big));
  const openMs = time(quick ? 5 : 20, () => nodeAead.open(key, nonce, sealed));
  const smallSeal = time(20_000, () => nodeAead.seal(key, nonce, small)) * 1000;
  const smallOpen = time(20_000, () => nodeAead.open(key, nonce, sealedSmall)) * 1000;
  // The cipher choice for small frames: the pure-JS back end has no native-call overhead, but
  // node:crypto is still faster at 64 B, so every size uses it.
  const nobleSeal = time(20_000, () => nobleAead.seal(key, nonce, small)) * 1000;
  const nobleOpen = time(20_000, () => nobleAead.open(key, nonce, sealedSmall)) * 1000;
  return [
    `| node:crypto seal 8 MiB (64 KiB pieces) | ${
      (8 / (sealMs / 1000)).toFixed(0)
    } MiB/s | ${load()} |`,
    `| node:crypto open 8 MiB (64 KiB pieces) | ${
      (8 / (openMs / 1000)).toFixed(0)
    } MiB/s | ${load()} |`,
    `| node:crypto seal 64 B | ${smallSeal.toFixed(1)} µs | ${load()} |`,
    `| node:crypto open 64 B | ${smallOpen.toFixed(1)} µs | ${load()} |`,
    `| @noble/ciphers seal 64 B (cipher choice) | ${nobleSeal.toFixed(1)} µs | ${load()} |`,
    `| @noble/ciphers open 64 B (cipher choice) | ${nobleOpen.toFixed(1)} µs | ${load()} |`,
  ];
}

const startLoad = load();
const started = new Date();
const transfers = await transferRows(quick ? [64] : [64, 256], quick ? 1 : 3);
const ratio = await rttRatioRow(quick ? { rounds: 4, callsPerRound: 1000 } : {});
const ratioLoad = load();
const calls = await fullStackRow(
  quick ? { calls: 2000, warmup: 500, pipelinedCalls: 20_000 } : {},
);
const callsLoad = load();
const desktop = await desktopRows(quick ? 4 : 10);
const micro = aeadMicro();

const cpu = (await Deno.readTextFile("/proc/cpuinfo").catch(() => ""))
  .match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
const doc = [
  "# Benchmarks",
  "",
  `Measured ${
    started.toISOString().slice(0, 16).replace("T", " ")
  } UTC by \`deno task bench\` on ` +
  `${navigator.hardwareConcurrency} cores (${cpu}), Deno ${Deno.version.deno}; load average ` +
  `(1/5/15 min) at the start ${startLoad}, at the end ${load()}. The machine is shared: every ` +
  "row carries the load it ran under, and figures move with it.",
  "",
  "Every headline row is end to end: the server runs in its own process with real pairing keys " +
  "and ChaCha20-Poly1305 on every frame over a loopback WebSocket, and the controller is " +
  "opendesk's own client. The peer tool runs on the same machine in the same run.",
  "",
  "## File transfer",
  "",
  '`opendesk connect … -c "get SRC DST"` / `-c "put SRC DST"` against `opendesk serve`, ' +
  "beside `ssh … cat` and `scp` through a private sshd on loopback using " +
  "chacha20-poly1305@openssh.com. Whole commands are timed, connection set-up included, " +
  "median of the runs; every copy is compared byte for byte. Peak RSS is the whole client " +
  "process (a Deno process idles at ~100 MiB); its growth (in brackets) is over the peak of the " +
  "same client doing one small call (the set-up row); server growth is its peak during the " +
  "command over its size before.",
  "",
  ...transferTable(transfers),
  "",
  "## Small calls",
  "",
  "`display.cursor_position` through `OpendeskServer` (fake desktop) in its own process and " +
  "`connect()`, against a bare WebSocket echo server in its own process, in alternating rounds.",
  "",
  "| what | figure | load (1 min / 5 / 15) |",
  "|---|---|---|",
  `| round trip p50, full stack | ${ratio.fullP50Us.toFixed(1)} µs | ${ratioLoad} |`,
  `| round trip p50, raw WebSocket echo | ${ratio.echoP50Us.toFixed(1)} µs | ${ratioLoad} |`,
  `| full stack / raw echo (median of rounds) | ${ratio.ratio.toFixed(2)}× | ${ratioLoad} |`,
  `| pipelined calls/s (${calls.inFlight} in flight) | ${
    Math.round(calls.pipelinedPerS)
  } | ${callsLoad} |`,
  "",
  "## Desktop",
  "",
  "`opendesk serve --virtual-display 1920x1080` (its own Xvfb, session bus and AT-SPI) and the " +
  "client library; the peer tools run on the same display in the same run. `ui.tree` reads a " +
  "real GTK 3 window started in the server's session; input rows stop when an X client on the " +
  "display has received the last event (click: press and release; chord: 6 key events; type: " +
  "every key release); the screenshot shows text windows and a photo-like image.",
  "",
  ...desktopTable(desktop),
  "",
  "## Micro-benchmarks (in process, not end to end)",
  "",
  "| what | figure | load (1 / 5 / 15 min) |",
  "|---|---|---|",
  ...micro,
  "",
].join("\n");

console.log(doc);
if (!Deno.args.includes("--no-write")) {
  const target = new URL("../docs/benchmarks.md", import.meta.url).pathname;
  await Deno.writeTextFile(target, doc);
  // Keeps the file as `deno fmt --check` wants it (aligned tables, wrapped lines).
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", target] }).output();
}
