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
 * Also prints the screenshot payload sizes at the model size (PNG and JPEG)
 * and the load average.
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
const scene = await startClient(xvfb.display, ["desktop"]);
const home = await Deno.makeTempDir({ prefix: "od-bench-mcp-" });
const direct = await NativeComputer.open({ display: xvfb.display });
const client = new Client({ name: "bench", version: "0" });
let sceneStopped = false;

function imageBytes(result: { content: Array<{ type: string; data?: string }> }): number {
  return Buffer.from(result.content.find((c) => c.type === "image")!.data!, "base64").byteLength;
}

/** Three xterms showing text on a grey background; resolves once they are mapped. */
async function textScene(display: string): Promise<Deno.ChildProcess[]> {
  const env = { DISPLAY: display, PATH: Deno.env.get("PATH") ?? "" };
  await new Deno.Command("xsetroot", { args: ["-solid", "#3c4650"], env }).output();
  const file = "/usr/share/common-licenses/GPL-3";
  const terms = [["+0+0", "100x60"], ["+640+120", "110x50"], ["+1200+300", "90x45"]].map((
    [at, size],
  ) =>
    new Deno.Command("xterm", {
      args: [
        "-geometry",
        `${size}${at}`,
        "-fa",
        "Monospace",
        "-fs",
        "9",
        "-hold",
        "-e",
        "cat",
        file,
      ],
      env,
      stdout: "null",
      stderr: "null",
    }).spawn()
  );
  for (let i = 0; i < 100; i++) {
    const out = await new Deno.Command("xwininfo", {
      args: ["-root", "-children"],
      env,
      stdout: "piped",
      stderr: "null",
    })
      .output();
    if ((new TextDecoder().decode(out.stdout).match(/"xterm"/gi) ?? []).length >= 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500)); // let them draw the text
  return terms;
}
try {
  console.log(`opendesk mcp benchmark — Xvfb 1920x1080 desktop scene, ${RUNS} runs per row`);
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
  const size = modelImageSize(1920, 1080);

  const mcpShot = await time(RUNS, () => call("screenshot", {}));
  const directShot = await time(
    RUNS,
    () =>
      direct.capture({
        downscale: true,
        max_width: size.width,
        max_height: size.height,
        format: "png",
      }),
  );
  row(
    `screenshot tool, stdio, Deno SDK client (PNG ${size.width}x${size.height}) p50`,
    ms(p50(mcpShot)),
  );
  row("  micro: direct NativeComputer.capture, same size PNG, p50", ms(p50(directShot)));
  row(
    "  MCP overhead over the direct capture (p50 difference)",
    ms(p50(mcpShot) - p50(directShot)),
  );
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

  const shot = await call("screenshot", {}) as { content: Array<{ type: string; data?: string }> };
  const png = Buffer.from(shot.content.find((c) => c.type === "image")!.data!, "base64").byteLength;
  const jshot = await call("screenshot", { format: "jpeg" }) as {
    content: Array<{ type: string; data?: string }>;
  };
  const jpeg = Buffer.from(
    jshot.content.find((c) => c.type === "image")!.data!,
    "base64",
  ).byteLength;
  row("screenshot payload, PNG at the model size", `${(png / 1024).toFixed(0)} KB`);
  row("screenshot payload, JPEG (quality 75) at the model size", `${(jpeg / 1024).toFixed(0)} KB`);
  const mcpJpeg = await time(RUNS, () => call("screenshot", { format: "jpeg" }));
  row("screenshot tool, JPEG, p50", ms(p50(mcpJpeg)));

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
    ["screenshot PNG", "screenshot", {}],
    ["screenshot JPEG", "screenshot", { format: "jpeg" }],
    ["left_click", "computer", { action: "left_click", coordinate: [700, 400] }],
    ["type", "computer", { action: "type", text: "hello" }],
    ["key", "computer", { action: "key", text: "ctrl+a" }],
  ], RUNS);
  if (node === null) {
    row("Node SDK client (what agent hosts run)", "node not installed");
  } else {
    row("Node SDK client: screenshot PNG tool p50", ms(node["screenshot PNG"]!));
    row(
      "  overhead over the direct capture (p50 difference)",
      ms(node["screenshot PNG"]! - p50(directShot)),
    );
    row("Node SDK client: screenshot JPEG tool p50", ms(node["screenshot JPEG"]!));
    row("Node SDK client: computer left_click p50", ms(node["left_click"]!));
    row("Node SDK client: computer type 'hello' p50", ms(node["type"]!));
    row("Node SDK client: computer key 'ctrl+a' p50", ms(node["key"]!));
  }
  // A second scene: a plain background and three terminals full of text (an office desktop).
  await scene.stop();
  sceneStopped = true;
  const terms = await textScene(xvfb.display);
  try {
    const textShot = await time(RUNS, () => call("screenshot", {}));
    const textDirect = await time(
      RUNS,
      () =>
        direct.capture({
          downscale: true,
          max_width: size.width,
          max_height: size.height,
          format: "png",
        }),
    );
    row("text scene (3 terminals): screenshot tool, Deno SDK client, PNG p50", ms(p50(textShot)));
    row("  micro: direct NativeComputer.capture, same size PNG, p50", ms(p50(textDirect)));
    const tp = await call("screenshot", {}) as { content: Array<{ type: string; data?: string }> };
    const tj = await call("screenshot", { format: "jpeg" }) as {
      content: Array<{ type: string; data?: string }>;
    };
    row("text scene: payload PNG at the model size", `${(imageBytes(tp) / 1024).toFixed(0)} KB`);
    row(
      "text scene: payload JPEG (quality 75) at the model size",
      `${(imageBytes(tj) / 1024).toFixed(0)} KB`,
    );
    const textNode = await nodeClientP50(server, [["screenshot PNG", "screenshot", {}]], RUNS);
    if (textNode) {
      row("text scene: Node SDK client, screenshot PNG tool p50", ms(textNode["screenshot PNG"]!));
      row(
        "  overhead over the direct capture (p50 difference)",
        ms(textNode["screenshot PNG"]! - p50(textDirect)),
      );
    }
  } finally {
    for (const t of terms) {
      t.kill("SIGTERM");
      await t.status;
    }
  }
  console.log(`load average after: ${Deno.loadavg().map((v) => v.toFixed(2)).join(" ")}`);
} finally {
  await client.close().catch(() => {});
  await direct.close();
  if (!sceneStopped) await scene.stop();
  await xvfb.stop();
  await Deno.remove(home, { recursive: true });
}
