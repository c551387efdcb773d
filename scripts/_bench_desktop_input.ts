/**
 * Input rows of the desktop benchmark: a click, a key chord and typing,
 * each timed from the call until an X client on the display has received
 * the last X event of it (the recording client of the X11 tests,
 * `_x_client.c events`, which prints every key and button event it gets),
 * beside `xdotool` doing the same to the same client in the same run.
 *
 * opendesk's side is the client library a controller uses (`click`, `hotkey`
 * and `typeText` of `src/computer/client/helpers.ts`) over the real
 * connection; xdotool's side is the whole command, as a user runs it.
 *
 * @module
 */

import type { Computer } from "../src/computer/computer.ts";
import { click, hotkey, typeText } from "../src/computer/client/helpers.ts";
import { startClient, type XClient } from "../tests/computer/drivers/x11/_x11_fixture.ts";
import type { DesktopRow } from "./bench_desktop_e2e.ts";

/** Characters typed by the `type` row. */
export const TYPED = "the quick brown fox jumps over the lazy dog again";

function _p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function _xdotool(display: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("xdotool", {
    args,
    env: { DISPLAY: display },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`xdotool ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Lines of `client` that are key or button events. */
function _events(client: XClient): string[] {
  return client.lines.filter((l) => l.startsWith("key ") || l.startsWith("button "));
}

/**
 * Times `act` until `client` has printed `count` key/button events; the client's earlier lines
 * are dropped first, so every run counts only its own events.
 */
async function _untilReceived(
  client: XClient,
  count: number,
  act: () => Promise<unknown>,
): Promise<number> {
  client.lines.length = 0;
  const start = performance.now();
  await act();
  await client.waitFor(() => _events(client).length >= count, 10_000);
  const ms = performance.now() - start;
  if (_events(client).length !== count) {
    throw new Error(`expected ${count} X events, the client got ${JSON.stringify(client.lines)}`);
  }
  return ms;
}

async function _has(tool: string): Promise<boolean> {
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", `command -v ${tool}`],
    stdout: "null",
  }).output();
  return out.success;
}

/** The three input rows, on `display`, through `computer` (opendesk's client). */
export async function inputRows(
  computer: Computer,
  display: string,
  runs: number,
): Promise<DesktopRow[]> {
  const xdotool = await _has("xdotool");
  const client = await startClient(display, ["events"]);
  const cases: Array<{
    label: string;
    peer: string;
    events: number;
    opendesk: () => Promise<unknown>;
    peerArgs: string[];
  }> = [
    {
      label: "click (button press + release received by an X client)",
      peer: "xdotool mousemove click 1",
      events: 2,
      opendesk: () => click(computer, { x: 400, y: 300 }),
      peerArgs: ["mousemove", "400", "300", "click", "1"],
    },
    {
      label: "key chord ctrl+shift+a (6 key events received)",
      peer: "xdotool key ctrl+shift+a",
      events: 6,
      opendesk: () => hotkey(computer, ["ctrl", "shift", "a"]),
      peerArgs: ["key", "ctrl+shift+a"],
    },
    {
      label: `type ${TYPED.length} characters (every key release received)`,
      peer: "xdotool type --delay 0",
      events: TYPED.length * 2,
      opendesk: () => typeText(computer, TYPED, { intervalMs: 0 }),
      peerArgs: ["type", "--delay", "0", TYPED],
    },
  ];
  const rows: DesktopRow[] = [];
  try {
    for (const c of cases) {
      const ours: number[] = [];
      const theirs: number[] = [];
      const loads: number[] = [];
      await _untilReceived(client, c.events, c.opendesk); // warm-up
      if (xdotool) await _untilReceived(client, c.events, () => _xdotool(display, c.peerArgs));
      for (let i = 0; i < runs; i++) {
        loads.push(Deno.loadavg()[0]!);
        ours.push(await _untilReceived(client, c.events, c.opendesk));
        if (xdotool) {
          theirs.push(await _untilReceived(client, c.events, () => _xdotool(display, c.peerArgs)));
        }
      }
      rows.push({
        label: c.label,
        opendeskMs: _p50(ours),
        peer: c.peer,
        peerMs: xdotool ? _p50(theirs) : null,
        load: _p50(loads),
      });
    }
  } finally {
    await client.stop();
  }
  return rows;
}
