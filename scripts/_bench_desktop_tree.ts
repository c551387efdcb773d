/**
 * The `ui.tree` row of the desktop benchmark: a real GTK 3 window with
 * about 609 accessible nodes (the desktop tests' `gtk_app.py` with 300
 * buttons and an entry), started in the session of `opendesk serve
 * --virtual-display`, and `ui.tree` of it through opendesk's client over the
 * encrypted connection. The node count is counted in the answer and printed.
 *
 * There is no peer tool for this row: nothing else reads a GTK window's
 * accessibility tree from the command line in the same terms.
 *
 * @module
 */

import type { Computer } from "../src/computer/computer.ts";
import { AtspiTree } from "../src/computer/drivers/x11/atspi_tree.ts";
import type { UIElement } from "../src/computer/types/ui_element.ts";
import { GTK_APP, PYTHON } from "../tests/computer/drivers/x11/_desktop_fixture.ts";
import type { DesktopRow } from "./bench_desktop_e2e.ts";

/** Elements of a tree, the root included. */
export function countElements(e: UIElement): number {
  let n = 1;
  for (const c of e.children) n += countElements(c);
  return n;
}

/** The session variables of the server (its virtual display, bus and runtime directory). */
async function _sessionEnv(computer: Computer): Promise<Record<string, string>> {
  const out = await computer.shell("env");
  const env: Record<string, string> = {};
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const m = /^(DISPLAY|DBUS_SESSION_BUS_ADDRESS|XDG_RUNTIME_DIR)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

function _p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** p50 of the same walk by the shim in this process, on the server's session bus. */
async function _walkAlone(busAddress: string, runs: number): Promise<number> {
  const atspi = await AtspiTree.open(busAddress);
  try {
    const query = { app: "benchtree", maxDepth: 20 };
    await atspi.walk(query);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await atspi.walk(query);
      times.push(performance.now() - start);
    }
    return _p50(times);
  } finally {
    await atspi.close();
  }
}

/** The ui.tree row; null (with a printed reason) without python3-gi or a session bus. */
export async function treeRow(computer: Computer, runs: number): Promise<DesktopRow | null> {
  const env = await _sessionEnv(computer);
  if (!env.DBUS_SESSION_BUS_ADDRESS) {
    console.error("note: the virtual session has no D-Bus session bus: no ui.tree row");
    return null;
  }
  let app: Deno.ChildProcess;
  try {
    app = new Deno.Command(PYTHON, {
      args: [
        GTK_APP,
        "--title",
        "Bench tree",
        "--wm-class",
        "benchtree",
        "--buttons",
        "300",
        "--entry",
      ],
      env: { ...env, PATH: "/usr/bin:/bin", HOME: env.XDG_RUNTIME_DIR ?? "/tmp", LANG: "C.UTF-8" },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
  } catch (error) {
    console.error(
      `note: cannot start the GTK window (${(error as Error).message}): no ui.tree row`,
    );
    return null;
  }
  try {
    const reader = app.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("ready\n")) {
      const { value, done } = await reader.read();
      if (done) {
        console.error("note: the GTK window did not start (python3-gi?): no ui.tree row");
        return null;
      }
      seen += value;
    }
    reader.releaseLock();
    app.stdout.cancel().catch(() => {});
    const query = { app: "benchtree", max_depth: 20 };
    // The window registers with AT-SPI after it is shown: wait until its whole tree is there.
    let nodes = 0;
    for (let tries = 0; nodes < 600; tries++) {
      if (tries > 200) throw new Error(`the GTK window shows only ${nodes} accessible nodes`);
      nodes = await computer.uiTree(query).then(countElements, () => 0);
      if (nodes < 600) await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`ui.tree: the GTK window has ${nodes} accessible nodes`);
    const times: number[] = [];
    const loads: number[] = [];
    for (let i = 0; i < runs; i++) {
      loads.push(Deno.loadavg()[0]!);
      const start = performance.now();
      const tree = await computer.uiTree(query);
      times.push(performance.now() - start);
      if (countElements(tree) !== nodes) {
        throw new Error(`ui.tree gave ${countElements(tree)} nodes, first ${nodes}`);
      }
    }
    const walkMs = await _walkAlone(env.DBUS_SESSION_BUS_ADDRESS, runs);
    return {
      label: `ui.tree of a GTK window (${nodes} nodes)`,
      opendeskMs: _p50(times),
      peer: "—",
      peerMs: null,
      load: _p50(loads),
      note: `the shim's walk alone (in process, micro): ${walkMs.toFixed(1)} ms`,
    };
  } finally {
    app.kill("SIGKILL");
    await app.status;
  }
}
