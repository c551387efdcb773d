/**
 * Benchmark of `opendesk mcp` on a private 1920×1080 Xvfb showing a
 * realistic desktop (text windows and a photo-like image, drawn by the test
 * X client). The MCP server runs in its own process (`opendesk mcp --target
 * local`) and is driven by the MCP SDK's own Client over stdio, as an agent
 * host would. Compared with:
 *
 * - the direct backend call of the same operation in this process
 *   (`NativeComputer.capture` at the same model size, `click`, `input.text`,
 *   key press), labelled micro-benchmarks;
 * - the tools a script would use instead (ImageMagick `import` resizing to
 *   the same size, `xdotool click/type/key`), spawned per call.
 *
 * Screenshots are measured on three desktops (see `_bench_mcp_scenes.ts`):
 * the X test client's photo-heavy scene, three terminals full of text, and a
 * typical desktop (wallpaper, a GTK editor and file list, a terminal). For
 * each: the tool's round trip with its default (compact) encoding, the
 * direct capture with the same parameters, the payloads (compact PNG,
 * lossless PNG, JPEG at the tool's default quality and at 75), and the mean
 * error of the lossy ones against the lossless image. Also the load average.
 *
 * Usage: `deno task bench:mcp [--quick]`
 *
 * @module
 */

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Buffer } from "node:buffer";
import { click, KeyEventSchema } from "../src/computer/mod.ts";
import { NativeComputer } from "../src/computer/drivers/x11/mod.ts";
import { startVirtualDisplay } from "../src/computer/drivers/x11/virtual_display.ts";
import { modelImageSize } from "../src/mcp/mod.ts";
import { prepareNative, startClient } from "../tests/computer/drivers/x11/_x11_fixture.ts";
import { DENO_DIR } from "../tests/cli/_util/deno_dir.ts";
import { nodeClientP50 } from "./_bench_mcp_node.ts";
import {
  jpegMeanError,
  pngMeanError,
  type Scene,
  textScene,
  typicalScene,
  typicalSceneMissing,
} from "./_bench_mcp_scenes.ts";

const quick = Deno.args.includes("--quick");
const RUNS = quick ? 15 : 60;
const TOOL_RUNS = quick ? 3 : 10;
const MAIN = new URL("../src/cli/main.ts", import.meta.url).pathname;

function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Times `a` and `b` alternately (after a few calls of each to warm up), so
 * that both see the same load: their p50 difference is the overhead of `a`.
 */
async function timePair(
  runs: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number[], number[]]> {
  for (let i = 0; i < 5; i++) {
    await a();
    await b();
  }
  const ta: number[] = [], tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, out] of [[a, ta], [b, tb]] as const) {
      const t = performance.now();
      await fn();
      out.push(performance.now() - t);
    }
  }
  return [ta, tb];
}

function which(command: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${command}`).isFile;
    } catch {
      return false;
    }
  });
}

async function spawnTimes(display: string, cmd: string, args: string[]): Promise<number[] | null> {
  if (!which(cmd)) return null;
  return await time(TOOL_RUNS, async () => {
    const out = await new Deno.Command(cmd, {
      args,
      env: { DISPLAY: display },
      stdout: "null",
      stderr: "null",
    })
      .output();
    if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  });
}

const rows: Array<[string, string]> = [];
function row(label: string, value: string): void {
  rows.push([label, value]);
  console.log(`${label.padEnd(72)} ${value}`);
}
const ms = (v: number) => `${v.toFixed(2)} ms`;

await prepareNative();
const xvfb = await startVirtualDisplay({ width: 1920, height: 1080 });
let scene: Scene = await startClient(xvfb.display, ["desktop"]);
const home = await Deno.makeTempDir({ prefix: "od-bench-mcp-" });
const direct = await NativeComputer.open({ display: xvfb.display });
const client = new Client({ name: "bench", version: "0" });
const size = modelImageSize(1920, 1080);
const modelSize = { downscale: true, max_width: size.width, max_height: size.height };

type ToolResult = { content: Array<{ type: string; data?: string }> };
function imageOf(result: unknown): Uint8Array {
  const block = (result as ToolResult).content.find((c) => c.type === "image");
  return new Uint8Array(Buffer.from(block!.data!, "base64"));
}
const kb = (bytes: Uint8Array) => `${(bytes.byteLength / 1024).toFixed(0)} KB`;
const level = (v: number | null) => v === null ? "ImageMagick missing" : `${v.toFixed(2)} levels`;

/** Resolves once two captures in a row are equal: the scene has finished drawing. */
async function settle(): Promise<void> {
  let last = "";
  for (let i = 0; i < 100; i++) {
    const shot = await direct.capture({ ...modelSize, format: "png" });
    const now = Buffer.from(shot.data).toString("base64");
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("Cannot measure: the scene kept changing");
}

try {
  console.log(`opendesk mcp benchmark — Xvfb 1920x1080, ${RUNS} runs per row`);
  console.log(`load average before: ${Deno.loadavg().map((v) => v.toFixed(2)).join(" ")}`);
  const server = {
    command: Deno.execPath(),
    args: [
      "run",
      "-A",
      "--unstable-net",
      MAIN,
      "mcp",
      "--target",
      "local",
      "--approve",
      "auto",
      "--no-audit",
    ],
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: home,
      OPENDESK_HOME: home,
      DISPLAY: xvfb.display,
      DENO_DIR,
    },
  };
  await client.connect(new StdioClientTransport({ ...server, stderr: "inherit" }));
  const call = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });

  /** The screenshot rows of the scene on screen now. */
  const screenshotRows = async (scene: string, peers: boolean): Promise<void> => {
    await settle();
    const [mcpShot, directShot] = await timePair(
      RUNS,
      () => call("screenshot", {}),
      () => direct.capture({ ...modelSize, format: "png", compact: true }),
    );
    row(
      `${scene}: screenshot tool (compact PNG ${size.width}x${size.height}), Deno SDK client, p50`,
      ms(p50(mcpShot)),
    );
    row(
      "  micro: direct NativeComputer.capture, same size and encoding (interleaved), p50",
      ms(p50(directShot)),
    );
    row(
      "  MCP overhead over the direct capture (p50 difference)",
      ms(p50(mcpShot) - p50(directShot)),
    );
    const mcpJpeg = await time(RUNS, () => call("screenshot", { format: "jpeg" }));
    row(`${scene}: screenshot tool, JPEG (quality 60, optimised), p50`, ms(p50(mcpJpeg)));
    if (peers) {
      const im = await spawnTimes(xvfb.display, "import", [
        "-window",
        "root",
        "-resize",
        `${size.width}x${size.height}`,
        "png:/dev/null",
      ]);
      row(
        "  peer: ImageMagick import -window root -resize (PNG), p50",
        im ? ms(p50(im)) : "not installed",
      );
    }
    const node = await nodeClientP50(server, [["png", "screenshot", {}]], RUNS);
    if (node) {
      // The Node client runs in its own process: the direct capture is timed again right after.
      const directAfter = await time(
        RUNS,
        () => direct.capture({ ...modelSize, format: "png", compact: true }),
      );
      row(`${scene}: Node SDK client, screenshot tool p50`, ms(node["png"]!));
      row("  micro: direct capture timed right after it, p50", ms(p50(directAfter)));
      row(
        "  overhead over the direct capture (p50 difference)",
        ms(node["png"]! - p50(directAfter)),
      );
    }
    const compact = imageOf(await call("screenshot", {}));
    const lossless = imageOf(await call("screenshot", { lossless: true }));
    const jpeg = imageOf(await call("screenshot", { format: "jpeg" }));
    const jpeg75 = imageOf(
      await call("screenshot", { format: "jpeg", quality: 75, lossless: true }),
    );
    row(`${scene}: payload, compact PNG (the tool's default)`, kb(compact));
    row(
      "  mean error of the compact PNG against the lossless one",
      level(pngMeanError(lossless, compact)),
    );
    row(`${scene}: payload, lossless PNG (lossless: true)`, kb(lossless));
    row(`${scene}: payload, JPEG quality 60, optimised (the tool's JPEG default)`, kb(jpeg));
    row(
      "  mean error of that JPEG against the lossless PNG",
      level(await jpegMeanError(lossless, jpeg)),
    );
    row(`${scene}: payload, JPEG quality 75, standard tables`, kb(jpeg75));
    row(
      "  mean error of that JPEG against the lossless PNG",
      level(await jpegMeanError(lossless, jpeg75)),
    );
  };

  await screenshotRows("photo scene", true);

  const mcpClick = await time(
    RUNS,
    () => call("computer", { action: "left_click", coordinate: [700, 400] }),
  );
  const directClick = await time(RUNS, () => click(direct, { x: 962, y: 549 }));
  row("computer left_click tool p50", ms(p50(mcpClick)));
  row("  micro: direct click() (move, down, up), p50", ms(p50(directClick)));
  row(
    "  MCP overhead over the direct click (p50 difference)",
    ms(p50(mcpClick) - p50(directClick)),
  );
  const xc = await spawnTimes(xvfb.display, "xdotool", ["mousemove", "962", "549", "click", "1"]);
  row("  peer: xdotool mousemove + click, p50", xc ? ms(p50(xc)) : "not installed");

  const mcpType = await time(RUNS, () => call("computer", { action: "type", text: "hello" }));
  const directType = await time(RUNS, () => direct.text({ text: "hello", interval_ms: 0 }));
  row("computer type 'hello' tool p50", ms(p50(mcpType)));
  row("  micro: direct input.text, p50", ms(p50(directType)));
  row("  MCP overhead over the direct call (p50 difference)", ms(p50(mcpType) - p50(directType)));
  const xt = await spawnTimes(xvfb.display, "xdotool", ["type", "--delay", "0", "hello"]);
  row("  peer: xdotool type --delay 0, p50", xt ? ms(p50(xt)) : "not installed");

  const mcpKey = await time(RUNS, () => call("computer", { action: "key", text: "ctrl+a" }));
  const directKey = await time(RUNS, async () => {
    for (
      const [action, keysym, modifiers] of [["down", "ctrl", []], ["down", "a", ["ctrl"]], [
        "up",
        "a",
        ["ctrl"],
      ], ["up", "ctrl", []]] as const
    ) {
      await direct.key(KeyEventSchema.parse({ action, keysym, modifiers: [...modifiers] }));
    }
  });
  row("computer key 'ctrl+a' tool p50", ms(p50(mcpKey)));
  row("  micro: direct input.key x4, p50", ms(p50(directKey)));
  row("  MCP overhead over the direct calls (p50 difference)", ms(p50(mcpKey) - p50(directKey)));
  const xk = await spawnTimes(xvfb.display, "xdotool", ["key", "ctrl+a"]);
  row("  peer: xdotool key ctrl+a, p50", xk ? ms(p50(xk)) : "not installed");
  const node = await nodeClientP50(server, [
    ["left_click", "computer", { action: "left_click", coordinate: [700, 400] }],
    ["type", "computer", { action: "type", text: "hello" }],
    ["key", "computer", { action: "key", text: "ctrl+a" }],
  ], RUNS);
  if (node === null) {
    row("Node SDK client (what agent hosts run)", "node not installed");
  } else {
    row("Node SDK client: computer left_click p50", ms(node["left_click"]!));
    row("Node SDK client: computer type 'hello' p50", ms(node["type"]!));
    row("Node SDK client: computer key 'ctrl+a' p50", ms(node["key"]!));
  }

  await scene.stop();
  scene = await textScene(xvfb.display);
  await screenshotRows("text scene (3 terminals)", false);

  await scene.stop();
  const missing = await typicalSceneMissing();
  if (missing) {
    scene = { stop: () => Promise.resolve() };
    row("typical desktop (wallpaper, editor, file list, terminal)", `not measured: ${missing}`);
  } else {
    scene = await typicalScene(xvfb.display);
    await screenshotRows("typical desktop", false);
  }
  console.log(`load average after: ${Deno.loadavg().map((v) => v.toFixed(2)).join(" ")}`);
} finally {
  await client.close().catch(() => {});
  await direct.close();
  await scene.stop().catch(() => {});
  await xvfb.stop();
  await Deno.remove(home, { recursive: true });
}
