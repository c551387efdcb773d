/**
 * File-transfer rows of `deno task bench`, end to end: a real
 * `opendesk serve` in its own process and `opendesk connect -c "get …"` /
 * `-c "put …"` (the REPL commands a user types, real authentication and
 * encryption), each timed as a whole command beside `ssh … cat` and `scp`
 * against a private sshd on loopback (ChaCha20-Poly1305, the same cipher) in
 * the same run, in alternating order. Every copy is checked byte for byte.
 *
 * Figures: the median wall time of each command (connection set-up
 * included, for every tool), MiB/s from it, the controller's peak RSS
 * (`/usr/bin/time`), its growth over the peak of the same client doing one
 * small call (the set-up row), and the server's RSS growth during the command.
 *
 * Run alone with `deno run -A scripts/bench_transfer.ts [MiB ...]`.
 *
 * @module
 */

import { findSshd, type SshdPeer, startSshd } from "./_sshd_peer.ts";
import { opendeskArgs, processMemory, type ServeChild, startServe } from "./_serve_child.ts";

/** One timed tool in one row. */
export interface ToolFigure {
  tool: string;
  seconds: number;
  mibPerS: number;
  /** Controller (client) peak RSS in bytes, when measured. */
  clientPeakRss?: number;
  /**
   * Controller peak RSS over that of the same client doing one small call (`fs.stat /`, the
   * set-up row), in bytes: what the transfer itself costs, when measured.
   */
  clientRssGrowth?: number;
  /** Server RSS growth during the command in bytes, when measured. */
  serverRssGrowth?: number;
}

/** One row: a direction and a size, every tool. */
export interface TransferRow {
  label: string;
  bytes: number;
  load: number;
  figures: ToolFigure[];
}

interface Timed {
  seconds: number;
  clientPeakRss?: number;
  serverRssGrowth?: number;
}

const TIME_BIN = "/usr/bin/time";

async function _run(
  cmd: string,
  args: string[],
  options: { stdin?: string; stdout?: string; serverPid?: number } = {},
): Promise<Timed> {
  const measureRss = await Deno.stat(TIME_BIN).then(() => true, () => false);
  const script = [
    measureRss ? `${TIME_BIN} -f '%M' -o "$OD_RSS"` : "",
    '"$@"',
    options.stdin ? '< "$OD_IN"' : "",
    options.stdout ? '> "$OD_OUT"' : "> /dev/null",
  ].join(" ");
  const rssFile = await Deno.makeTempFile();
  if (options.serverPid !== undefined) {
    // Resets the server's peak RSS so the growth below belongs to this command.
    await Deno.writeTextFile(`/proc/${options.serverPid}/clear_refs`, "5").catch(() => {});
  }
  const before = options.serverPid === undefined ? null : processMemory(options.serverPid);
  const start = performance.now();
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", script, "sh", cmd, ...args],
    env: { OD_RSS: rssFile, OD_IN: options.stdin ?? "", OD_OUT: options.stdout ?? "" },
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  const after = options.serverPid === undefined ? null : processMemory(options.serverPid);
  const rssText = await Deno.readTextFile(rssFile).catch(() => "");
  await Deno.remove(rssFile);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  const kib = Number(rssText.trim().split("\n").pop());
  return {
    seconds,
    ...(measureRss && kib > 0 ? { clientPeakRss: kib * 1024 } : {}),
    ...(before && after ? { serverRssGrowth: Math.max(0, after.peak - before.now) } : {}),
  };
}

async function _sameBytes(a: string, b: string): Promise<void> {
  const out = await new Deno.Command("cmp", { args: ["-s", a, b] }).output();
  if (!out.success) throw new Error(`${b} differs from ${a}`);
  await Deno.remove(b);
}

function _median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

type Job = { tool: string; run(out: string): Promise<Timed> };

function _jobs(
  direction: "get" | "put",
  source: string,
  serve: ServeChild,
  ssh: SshdPeer | null,
): Job[] {
  const [od, odArgs] = opendeskArgs([]);
  const connect = (line: string): string[] => [
    ...odArgs,
    "connect",
    serve.target,
    "--home",
    serve.clientHome,
    "-c",
    line,
  ];
  const jobs: Job[] = [{
    tool: "opendesk",
    run: (out) =>
      _run(od, connect(direction === "get" ? `get ${source} ${out}` : `put ${source} ${out}`), {
        serverPid: serve.pid,
      }),
  }];
  if (ssh) {
    jobs.push(
      direction === "get"
        ? {
          tool: "ssh cat",
          run: (out) => _run("ssh", [...ssh.sshArgs, `cat ${source}`], { stdout: out }),
        }
        : {
          tool: "ssh cat",
          run: (out) => _run("ssh", [...ssh.sshArgs, `cat > ${out}`], { stdin: source }),
        },
      {
        tool: "scp",
        run: (out) =>
          _run("scp", [
            ...ssh.scpArgs,
            direction === "get" ? `${ssh.login}:${source}` : source,
            direction === "get" ? out : `${ssh.login}:${out}`,
          ]),
      },
    );
  }
  return jobs;
}

/**
 * Measures `get` and `put` of a random file of each size (MiB), `reps` times per tool.
 * Without sshd (openssh-server) the peer columns are left out and a note is printed.
 */
export async function transferRows(sizesMiB = [64, 256], reps = 3): Promise<TransferRow[]> {
  const sshd = findSshd();
  if (!sshd) console.error("note: sshd not found (install openssh-server): no ssh/scp columns");
  const dir = await Deno.makeTempDir({ prefix: "opendesk-bench-files-" });
  const serve = await startServe();
  const ssh = sshd ? await startSshd(sshd) : null;
  const rows: TransferRow[] = [];
  try {
    rows.push(await _setupRow(serve, ssh, reps));
    console.log(formatTransferRow(rows[0]!));
    const baseline = rows[0]!.figures.find((f) => f.tool === "opendesk")?.clientPeakRss;
    for (const mib of sizesMiB) {
      const source = `${dir}/payload-${mib}.bin`;
      const file = await Deno.open(source, { write: true, create: true });
      const block = new Uint8Array(1024 * 1024);
      for (let i = 0; i < mib; i++) {
        for (let at = 0; at < block.length; at += 65536) {
          crypto.getRandomValues(block.subarray(at, at + 65536));
        }
        await file.write(block);
      }
      file.close();
      for (const direction of ["get", "put"] as const) {
        const jobs = _jobs(direction, source, serve, ssh);
        const times = new Map<string, Timed[]>(jobs.map((j) => [j.tool, []]));
        const loads: number[] = [];
        for (let rep = 0; rep < reps; rep++) {
          for (const job of rep % 2 === 0 ? jobs : [...jobs].reverse()) {
            const out = `${dir}/out-${job.tool.replace(/\W/g, "")}-${rep}.bin`;
            loads.push(Deno.loadavg()[0]!);
            times.get(job.tool)!.push(await job.run(out));
            await _sameBytes(source, out);
          }
        }
        const figures = jobs.map(({ tool }): ToolFigure => {
          const runs = times.get(tool)!;
          const seconds = _median(runs.map((r) => r.seconds));
          const peaks = runs.flatMap((r) => r.clientPeakRss ?? []);
          const growths = runs.flatMap((r) => r.serverRssGrowth ?? []);
          const peak = peaks.length ? Math.max(...peaks) : undefined;
          return {
            tool,
            seconds,
            mibPerS: mib / seconds,
            ...(peak === undefined ? {} : { clientPeakRss: peak }),
            ...(peak !== undefined && baseline !== undefined && tool === "opendesk"
              ? { clientRssGrowth: Math.max(0, peak - baseline) }
              : {}),
            ...(growths.length ? { serverRssGrowth: Math.max(...growths) } : {}),
          };
        });
        const row = {
          label: `${direction} ${mib} MiB`,
          bytes: mib * 1024 * 1024,
          load: _median(loads),
          figures,
        };
        console.log(formatTransferRow(row));
        rows.push(row);
      }
      await Deno.remove(source);
    }
  } finally {
    await ssh?.stop();
    await serve.stop();
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

const MIB = 1024 * 1024;

/** The fixed cost every command above pays: start, connect, authenticate, one call, exit. */
async function _setupRow(
  serve: ServeChild,
  ssh: SshdPeer | null,
  reps: number,
): Promise<TransferRow> {
  const [od, odArgs] = opendeskArgs([]);
  const jobs: Job[] = [{
    tool: "opendesk",
    run: () =>
      _run(od, [...odArgs, "connect", serve.target, "--home", serve.clientHome, "-c", "fs.stat /"]),
  }];
  if (ssh) jobs.push({ tool: "ssh cat", run: () => _run("ssh", [...ssh.sshArgs, "true"]) });
  const times = new Map<string, Timed[]>(jobs.map((j) => [j.tool, []]));
  const loads: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const job of jobs) {
      loads.push(Deno.loadavg()[0]!);
      times.get(job.tool)!.push(await job.run(""));
    }
  }
  return {
    label: "session set-up (connect -c 'fs.stat /' vs ssh true)",
    bytes: 0,
    load: _median(loads),
    figures: jobs.map(({ tool }) => {
      const runs = times.get(tool)!;
      const seconds = _median(runs.map((r) => r.seconds));
      const peaks = runs.flatMap((r) => r.clientPeakRss ?? []);
      // The median, not the peak: the baseline of the growth figures above.
      return {
        tool,
        seconds,
        mibPerS: 0,
        ...(peaks.length ? { clientPeakRss: _median(peaks) } : {}),
      };
    }),
  };
}

/** One greppable line per row. */
export function formatTransferRow(row: TransferRow): string {
  if (row.bytes === 0) {
    return [
      "session-set-up",
      ...row.figures.map((f) =>
        `${f.tool.replace(/ /g, "_")}_ms=${(f.seconds * 1000).toFixed(0)}` +
        (f.clientPeakRss === undefined
          ? ""
          : ` client_rss_mib=${(f.clientPeakRss / MIB).toFixed(0)}`)
      ),
      `load=${row.load.toFixed(1)}`,
    ].join("  ");
  }
  return [
    row.label.replace(/ /g, "-"),
    ...row.figures.map((f) =>
      [
        `${f.tool.replace(/ /g, "_")}_mib_per_s=${f.mibPerS.toFixed(0)}`,
        f.clientPeakRss === undefined
          ? ""
          : `client_peak_rss_mib=${(f.clientPeakRss / MIB).toFixed(0)}`,
        f.clientRssGrowth === undefined
          ? ""
          : `client_rss_growth_mib=${(f.clientRssGrowth / MIB).toFixed(0)}`,
        f.serverRssGrowth === undefined
          ? ""
          : `server_rss_growth_mib=${(f.serverRssGrowth / MIB).toFixed(0)}`,
      ].filter(Boolean).join(" ")
    ),
    `load=${row.load.toFixed(1)}`,
  ].join("  ");
}

if (import.meta.main) {
  const sizes = Deno.args.map(Number).filter((n) => n > 0);
  await transferRows(sizes.length ? sizes : undefined);
}
