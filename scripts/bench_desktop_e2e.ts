/**
 * Desktop rows of `deno task bench`, end to end: `opendesk serve
 * --virtual-display 1920x1080` in its own process (its own Xvfb and
 * session), opendesk's own client library (`connect()`, real authentication
 * and encryption) in this process, and the peer tool on the same X display
 * in the same run, alternating:
 *
 * - `ui.tree` of a real GTK window of ~609 accessible nodes
 *   (`_bench_desktop_tree.ts`);
 * - click, key chord and typing, timed until an X client has received the
 *   events, beside `xdotool` (`_bench_desktop_input.ts`);
 * - 1080p PNG screenshot (`display.capture`, full size) of a desktop with
 *   text windows and a photo-like image (the X11 tests' `x_client desktop`),
 *   beside `scrot` (a whole command, as a user runs it) and beside the
 *   backend's own capture in this process (a micro-benchmark figure);
 * - clipboard round trip of 10 MiB of text (`clipboard.write` then
 *   `clipboard.read`) beside `xclip -i` then `xclip -o`, and beside the
 *   backend's own round trip in this process (a micro-benchmark figure).
 *
 * Each figure is the p50 of the runs. Rows whose peer tool is missing say so.
 *
 * @module
 */

import type { Computer } from "../src/computer/computer.ts";
import { NativeComputer } from "../src/computer/drivers/x11/native_computer.ts";
import { X11Clipboard } from "../src/computer/drivers/x11/x11_clipboard.ts";
import { TEXT_MIME_TYPE } from "../src/computer/types/clipboard.ts";
import { connect } from "../src/remote/client.ts";
import { startClient } from "../tests/computer/drivers/x11/_x11_fixture.ts";
import { inputRows } from "./_bench_desktop_input.ts";
import { treeRow } from "./_bench_desktop_tree.ts";
import { startServe } from "./_serve_child.ts";

/** One desktop row: opendesk's p50 and the peer's, in milliseconds. */
export interface DesktopRow {
  label: string;
  opendeskMs: number;
  peer: string;
  /** "—" when there is no peer tool for the row. */
  peerMs: number | null;
  load: number;
  /** A further figure of the row, in words. */
  note?: string;
}

async function _has(tool: string): Promise<boolean> {
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", `command -v ${tool}`],
    stdout: "null",
  }).output();
  return out.success;
}

function _p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function _timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function _sh(display: string, script: string, args: string[] = []): Promise<void> {
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", script, "sh", ...args],
    env: { DISPLAY: display },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`${script} failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** Runs the desktop rows; null (with a printed reason) when Xvfb is missing. */
export async function desktopRows(runs = 10): Promise<DesktopRow[] | null> {
  if (!(await _has("Xvfb"))) {
    console.error("note: Xvfb not found: no desktop rows");
    return null;
  }
  const serve = await startServe(["--virtual-display", "1920x1080"]);
  const display = serve.display;
  if (display === undefined) throw new Error("opendesk serve did not name its virtual display");
  const session = await connect(serve.target, {
    home: serve.clientHome,
    mdns: false,
    autoReconnect: false,
  });
  const dir = await Deno.makeTempDir({ prefix: "opendesk-bench-desktop-" });
  const rows: DesktopRow[] = [];
  try {
    const tree = await treeRow(session.computer, runs * 2);
    if (tree !== null) rows.push(tree);
    rows.push(...await inputRows(session.computer, display, runs));
    rows.push(await _screenshotRow(session.computer, display, dir, runs));
    // Clipboard 10 MiB round trip.
    const xclip = await _has("xclip");
    const text = new TextEncoder().encode("opendesk clipboard benchmark line\n".repeat(317_750));
    const textFile = `${dir}/clip.txt`;
    await Deno.writeFile(textFile, text);
    const clip: number[] = [];
    const peerClip: number[] = [];
    const clipLoads: number[] = [];
    const roundTrip = async (): Promise<void> => {
      await session.computer.clipboardWrite({
        entries: [{ mime_type: TEXT_MIME_TYPE, data: text }],
      });
      const back = await session.computer.clipboardRead();
      const entry = back.entries.find((e) => e.mime_type === TEXT_MIME_TYPE) ?? back.entries[0];
      if (entry?.data.length !== text.length) {
        throw new Error(`clipboard read ${entry?.data.length} bytes, wrote ${text.length}`);
      }
    };
    await roundTrip();
    for (let i = 0; i < Math.max(3, Math.floor(runs / 2)); i++) {
      clipLoads.push(Deno.loadavg()[0]!);
      clip.push(await _timed(roundTrip));
      if (xclip) {
        peerClip.push(
          await _timed(() =>
            _sh(
              display,
              // xclip -i stays behind to serve the selection: it must not hold our pipes open.
              'xclip -selection clipboard -i < "$1" > /dev/null 2>&1 && ' +
                'xclip -selection clipboard -o > "$2" && ' +
                'cmp -s "$1" "$2"',
              [textFile, `${dir}/clip.out`],
            )
          ),
        );
      }
    }
    const alone = await _clipboardAlone(display, text, runs);
    rows.push({
      label: "clipboard 10 MiB write + read",
      opendeskMs: _p50(clip),
      peer: "xclip -i, xclip -o",
      peerMs: xclip ? _p50(peerClip) : null,
      load: _p50(clipLoads),
      note: `the backend alone (in process, micro): write ${alone.write.toFixed(1)} ms + read ${
        alone.read.toFixed(1)
      } ms`,
    });
  } finally {
    await session.close();
    await serve.stop();
    await Deno.remove(dir, { recursive: true });
  }
  for (const row of rows) console.log(formatDesktopRow(row));
  return rows;
}

/** p50 of the same round trip through X11Clipboard in this process, on the same display. */
async function _clipboardAlone(
  display: string,
  text: Uint8Array,
  runs: number,
): Promise<{ write: number; read: number }> {
  const clipboard = await X11Clipboard.open(display);
  try {
    const writes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i <= Math.max(3, Math.floor(runs / 2)); i++) {
      const w = await _timed(() =>
        clipboard.write({ entries: [{ mime_type: TEXT_MIME_TYPE, data: text }] })
      );
      const r = await _timed(() => clipboard.read());
      if (i > 0) writes.push(w), reads.push(r); // the first round warms up
    }
    return { write: _p50(writes), read: _p50(reads) };
  } finally {
    await clipboard.close();
  }
}

/**
 * The screenshot row on a desktop with text windows and an image, beside scrot and beside the
 * backend's own capture (NativeComputer in this process, on the same display).
 */
async function _screenshotRow(
  computer: Computer,
  display: string,
  dir: string,
  runs: number,
): Promise<DesktopRow> {
  const scene = await startClient(display, ["desktop"]);
  const backend = await NativeComputer.open({ display });
  try {
    const scrot = await _has("scrot");
    const shot: number[] = [];
    const own: number[] = [];
    const peerShot: number[] = [];
    const loads: number[] = [];
    let bytes = 0;
    await computer.capture({ downscale: false });
    await backend.capture({ downscale: false });
    for (let i = 0; i < runs; i++) {
      loads.push(Deno.loadavg()[0]!);
      shot.push(
        await _timed(async () => {
          bytes = (await computer.capture({ downscale: false })).data.length;
        }),
      );
      own.push(await _timed(() => backend.capture({ downscale: false })));
      if (scrot) {
        peerShot.push(await _timed(() => _sh(display, 'scrot -o "$1"', [`${dir}/shot.png`])));
      }
    }
    return {
      label: "1080p PNG screenshot, desktop with text and an image",
      opendeskMs: _p50(shot),
      peer: "scrot",
      peerMs: scrot ? _p50(peerShot) : null,
      load: _p50(loads),
      note: `backend alone (in process, micro): ${_p50(own).toFixed(1)} ms; PNG ${
        (bytes / 1024).toFixed(0)
      } KiB`,
    };
  } finally {
    await backend.close();
    await scene.stop();
  }
}

/** One greppable line per row. */
export function formatDesktopRow(row: DesktopRow): string {
  return [
    row.label.replace(/ /g, "-"),
    `opendesk_p50_ms=${row.opendeskMs.toFixed(1)}`,
    row.peer === "—"
      ? "no_peer_tool"
      : row.peerMs === null
      ? `${row.peer.replace(/\W+/g, "_")}=missing`
      : `${row.peer.split(" ")[0]}_p50_ms=${row.peerMs.toFixed(1)}`,
    `load=${row.load.toFixed(1)}`,
    ...(row.note ? [`(${row.note})`] : []),
  ].join("  ");
}

if (import.meta.main) await desktopRows();
