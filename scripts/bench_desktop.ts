/**
 * Desktop micro-benchmark of the X11 backend (accessibility tree, clipboard, input), in a private session
 * (Xvfb + openbox + D-Bus + GTK test apps):
 *
 * - `ui.tree` of a GTK window with ≥ 500 accessible nodes (target ≤ 150 ms),
 * - `ui.tree` of a hung (SIGSTOPped) app: returns by its deadline, truncated,
 * - clipboard round trip of 10 MiB through the X server (target ≤ 200 ms),
 * - `windows.list` with 50 windows (target ≤ 10 ms).
 *
 * Usage: `deno task bench:desktop [--quick]`
 *
 * @module
 */

import { AtspiTree } from "../src/computer/drivers/x11/atspi_tree.ts";
import { LinuxDesktop } from "../src/computer/drivers/x11/linux_desktop.ts";
import { X11Clipboard } from "../src/computer/drivers/x11/x11_clipboard.ts";
import { X11Windows } from "../src/computer/drivers/x11/x11_windows.ts";
import { eventually, withDesktop } from "../tests/computer/drivers/x11/_desktop_fixture.ts";

const quick = Deno.args.includes("--quick");
const RUNS = quick ? 5 : 20;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const rows: string[][] = [];
function report(name: string, samples: number[], target: string, extra = ""): void {
  const p50 = percentile(samples, 0.5), p90 = percentile(samples, 0.9);
  rows.push([name, p50.toFixed(2), p90.toFixed(2), target, extra]);
}

await withDesktop(async ({ display, busAddress, spawnApp }) => {
  // 1. ui.tree of a big GTK window.
  const big = await spawnApp(["--title", "Bench tree", "--buttons", "300", "--entry"]);
  const atspi = await AtspiTree.open(busAddress);
  await eventually(() => atspi.walk({ pid: big.pid, maxDepth: 1 }).then(() => 1, () => undefined));
  let nodes = 0;
  const tree = await timeRuns(RUNS, async () => {
    const walk = await atspi.walk({ pid: big.pid, maxDepth: 20, maxNodes: 5000 });
    if (walk.truncated !== null) throw new Error(`walk truncated: ${walk.truncated}`);
    nodes = walk.nodes;
  });
  report(`ui.tree, GTK window (${nodes} nodes)`, tree, "≤ 150 ms");

  // The same through the whole backend (window lookup + conversion to UIElement).
  const desktop = await LinuxDesktop.open({ display, sessionBusAddress: busAddress });
  const win = (await desktop.windows()).find((w) => w.pid === big.pid)!;
  const viaBackend = await timeRuns(
    RUNS,
    () => desktop.uiTree({ window_id: win.id, max_depth: 20 }),
  );
  report(`  via LinuxDesktop.uiTree(window_id)`, viaBackend, "≤ 150 ms");

  // 2. A hung app: the walk returns by its deadline with `truncated`.
  const hung = await spawnApp(["--title", "Bench hung", "--wm-class", "hung", "--buttons", "50"]);
  await eventually(() => atspi.walk({ pid: hung.pid, maxDepth: 1 }).then(() => 1, () => undefined));
  Deno.kill(hung.pid, "SIGSTOP");
  let truncated: string | null = null;
  const hungRuns = await timeRuns(quick ? 2 : 4, async () => {
    truncated = (await atspi.walk({ pid: hung.pid, deadlineMs: 500 })).truncated;
  });
  Deno.kill(hung.pid, "SIGCONT");
  report(
    "ui.tree, SIGSTOPped app, deadline 500 ms",
    hungRuns,
    "≈ 500 ms",
    `truncated=${truncated}`,
  );
  await atspi.close();

  // 3. Clipboard round trip of 10 MiB (write on one connection, read on another).
  const writer = await X11Clipboard.open(display);
  const reader = await X11Clipboard.open(display);
  const data = new Uint8Array(10 * 1024 * 1024).map((_, i) => 97 + (i % 26));
  const clip = await timeRuns(quick ? 3 : 10, async () => {
    await writer.write({ entries: [{ mime_type: "text/plain;charset=utf-8", data }] });
    const got = await reader.read({ timeoutMs: 5000, allTypes: false });
    if (got.entries[0]?.data.length !== data.length) throw new Error("clipboard lost data");
  });
  report("clipboard round trip, 10 MiB (INCR)", clip, "≤ 200 ms");
  await writer.close();
  await reader.close();

  // 4. windows.list with 50 windows.
  const many = await spawnApp(["--title", "Bench", "--wm-class", "many", "--windows", "50"]);
  const windows = await X11Windows.open(display);
  await eventually(async () =>
    (await windows.list()).filter((w) => w.pid === many.pid).length === 50 ? 1 : undefined
  );
  const total = (await windows.list()).length;
  const list = await timeRuns(RUNS * 5, () => windows.list());
  report(`windows.list, ${total} windows (X11Windows)`, list, "≤ 10 ms");
  const listBackend = await timeRuns(RUNS * 5, () => desktop.windows());
  report(`  via LinuxDesktop.windows()`, listBackend, "≤ 10 ms");
  await windows.close();
  await desktop.close();
}, { dbus: true });

const header = ["measurement", "p50 ms", "p90 ms", "target", "note"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(line(header));
for (const r of rows) console.log(line(r));
