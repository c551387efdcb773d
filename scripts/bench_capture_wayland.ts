/**
 * `deno task bench:capture --driver wayland`: the Wayland driver end to end
 * on a private headless sway (1920×1080, pixman), beside the compositor's own
 * tools in the same run.
 *
 * The server is the real `opendesk serve` in its own process, found the
 * Wayland session itself; this process pairs with it through the real
 * handshake and calls it over the encrypted WebSocket on 127.0.0.1 with
 * opendesk's client. Rows: full-screen PNG capture against `grim` (PNG, and
 * PPM as the no-encoding floor), `input.text` into a GTK entry against
 * `wtype` (time until the app holds the whole text, and whether it is
 * exact), and the `display.subscribe` delta stream on a static screen and on
 * a 200×200 animation drawn at 30 fps by a Wayland client, whose frame
 * numbers are read back from the delivered pixels
 * (`_bench_wayland_stream.ts`). The load average is printed with the rows.
 *
 * @module
 */

import { PointerEventSchema } from "../src/computer/types/input.ts";
import { withHeadlessSway } from "../tests/native/wayland/_sway_fixture.ts";
import {
  type LineProcess,
  serveOnSway,
  spawnLines,
} from "../tests/computer/drivers/wayland/_serve_on_sway.ts";
import { drain, percentile, timeRuns } from "./_bench_util.ts";
import { benchAnimation } from "./_bench_wayland_stream.ts";

const PROBE = new URL("../tests/native/wayland/gtk_probe.py", import.meta.url).pathname;
const TEXT = "Hello, Wörld! Ça va? ½ ✓ Ωμέγα 東京 € — the quick brown fox jumps 0123456789 ";

function load(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

function row(name: string, text: string): void {
  console.log(`${name.padEnd(52)} ${text}`);
}

function ms(samples: number[]): string {
  return `p50 ${percentile(samples, 0.5).toFixed(2)} ms, p90 ${
    percentile(samples, 0.9).toFixed(2)
  } ms`;
}

async function tool(argv: string[], env: Record<string, string>): Promise<void> {
  const out = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`${argv[0]} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/** Time until the probe's entry holds `text` exactly (or 20 s), and whether it did. */
async function typedWithin(
  probe: LineProcess,
  text: string,
  type: () => Promise<unknown>,
): Promise<{ ms: number; exact: boolean }> {
  await probe.send("clear");
  const start = performance.now();
  await type();
  let got = "";
  for (const deadline = Date.now() + 20_000; got !== text && Date.now() < deadline;) {
    await probe.send("dump");
    got = JSON.parse(await probe.line(/^"/, "the entry's text"));
  }
  return { ms: performance.now() - start, exact: got === text };
}

/** Runs the Wayland rows. */
export async function benchWayland(quick: boolean): Promise<void> {
  const runs = quick ? 7 : 25;
  const toolRuns = quick ? 3 : 7;
  await withHeadlessSway(async (sway) => {
    const serve = await serveOnSway(sway);
    const probe = spawnLines(["/usr/bin/python3", PROBE], sway.env);
    try {
      await probe.line(/^ready$/, "the GTK probe");
      const computer = serve.session.computer;
      console.log(
        `opendesk Wayland benchmark on headless sway 1920x1080 (pixman), ${runs} runs; ` +
          `${/Using desktop driver '[^']+'/.exec(serve.stdout())?.[0] ?? "driver unknown"}`,
      );
      row("load average (1, 5, 15 min) at start", load());

      const png = await timeRuns(runs, () => computer.capture({ downscale: false }));
      row("e2e display.capture 1920x1080 PNG (serve process)", ms(png));
      const grimPng = await timeRuns(toolRuns, () => tool(["grim", "-t", "png", "-"], sway.env));
      row("grim -t png (same screen)", ms(grimPng));
      const grimPpm = await timeRuns(toolRuns, () => tool(["grim", "-t", "ppm", "-"], sway.env));
      row("grim -t ppm (no encoding)", ms(grimPpm));
      row(
        "ratio grim PNG / opendesk PNG (p50)",
        `${(percentile(grimPng, 0.5) / percentile(png, 0.5)).toFixed(2)}x`,
      );
      const small = await timeRuns(runs, () => computer.capture({}));
      row("e2e display.capture downscaled default (PNG)", ms(small));

      // Focus the entry (its top strip), then type the same mixed text both ways.
      const at = { x: 960, y: 10 };
      await computer.pointer(PointerEventSchema.parse({ action: "down", point: at }));
      await computer.pointer(PointerEventSchema.parse({ action: "up", point: at }));
      const chars = [...TEXT].length;
      const ours = await typedWithin(
        probe,
        TEXT,
        () => computer.text({ text: TEXT, interval_ms: 0 }),
      );
      const theirs = await typedWithin(probe, TEXT, () => tool(["wtype", TEXT], sway.env));
      row(
        `e2e input.text ${chars} mixed chars into GTK`,
        `${(chars / (ours.ms / 1000)).toFixed(0)} chars/s, ${ours.exact ? 0 : 1} wrong texts`,
      );
      row(
        "wtype, same text into GTK",
        `${(chars / (theirs.ms / 1000)).toFixed(0)} chars/s, ${theirs.exact ? 0 : 1} wrong texts`,
      );

      const secs = quick ? 2 : 4;
      const still = await drain(
        (signal) =>
          computer.subscribeDisplay({ fps: 30, delta: true, downscale: false }, { signal }),
        secs,
        true,
      );
      row(
        "e2e delta stream, static screen after the keyframe",
        `${(still.bytes / still.elapsed / 1024).toFixed(2)} KB/s (${still.frames} frames)`,
      );
      const anim = await benchAnimation(sway, computer, quick ? 4 : 10);
      row(
        `e2e delta stream, 200x200 animation at ${anim.appFps.toFixed(1)} fps`,
        `${anim.deliveredFps.toFixed(1)} fps delivered (${anim.delivered} of ${anim.drawn} ` +
          `frames, longest gap ${anim.longestGap}), ${anim.kbPerSecond.toFixed(0)} KB/s`,
      );
      row("load average (1, 5, 15 min) at end", load());
    } finally {
      await probe.stop();
      await serve.stop();
    }
  });
}
