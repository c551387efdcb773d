/**
 * End to end on Wayland: the real `opendesk serve` process on a private
 * headless sway (no X display at all), paired with the opendesk client, and
 * every answer checked against the compositor's own tools: pixels against
 * `grim`, windows against `swaymsg -t get_tree`, the clipboard against
 * `wl-paste`/`wl-copy`, and a click and typed Unicode arriving in a GTK app.
 */

import { assert, assertEquals, assertMatch } from "../../../remote/_assert.ts";
import { PointerEventSchema } from "../../../../src/computer/types/input.ts";
import { clipboardTextOf, textClipboard } from "../../../../src/computer/types/clipboard.ts";
import { skipSway, type Sway, withHeadlessSway } from "../../../native/wayland/_sway_fixture.ts";
import { serveOnSway, spawnLines } from "./_serve_on_sway.ts";

const PROBE = new URL("../../../native/wayland/gtk_probe.py", import.meta.url).pathname;

async function run(sway: Sway, argv: string[], stdin?: string): Promise<Uint8Array> {
  const child = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env: sway.env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  if (!out.success) {
    throw new Error(`${argv.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}

/** The pixel bytes of a binary PPM (P6, maxval 255). */
function ppmPixels(ppm: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const head = new TextDecoder("latin1").decode(ppm.subarray(0, 64));
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(head);
  if (!m) throw new Error("grim did not write a binary PPM");
  return { width: Number(m[1]), height: Number(m[2]), data: ppm.subarray(m[0].length) };
}

interface SwayNode {
  name: string | null;
  app_id?: string | null;
  type: string;
  rect: { x: number; y: number; width: number; height: number };
  nodes?: SwayNode[];
  floating_nodes?: SwayNode[];
}

function swayViews(node: SwayNode, out: SwayNode[] = []): SwayNode[] {
  const children = [...node.nodes ?? [], ...node.floating_nodes ?? []];
  if ((node.type === "con" || node.type === "floating_con") && children.length === 0) {
    out.push(node);
  }
  for (const c of children) swayViews(c, out);
  return out;
}

Deno.test({
  name: "opendesk serve on headless sway: capture, windows, input and clipboard end to end",
  ignore: skipSway,
  sanitizeResources: false,
  fn: () =>
    withHeadlessSway(async (sway) => {
      const serve = await serveOnSway(sway);
      const probe = spawnLines(["/usr/bin/python3", PROBE], sway.env);
      try {
        assertMatch(
          serve.stdout(),
          /Using desktop driver 'wayland' \(the first available: the compositor at WAYLAND_DISPLAY=\S+ offers zwlr_screencopy_manager_v1, /,
        );
        const computer = serve.session.computer;
        await probe.line(/^ready$/, "the GTK probe to be mapped and focused");

        // Windows: the same set as sway's tree, with sway's geometry.
        const windows = await computer.windows();
        const views = swayViews(
          JSON.parse(new TextDecoder().decode(await run(sway, ["swaymsg", "-t", "get_tree"]))),
        );
        assertEquals(
          windows.map((w) => [w.title, w.app_name]).sort(),
          views.map((v) => [v.name ?? "", v.app_id ?? ""]).sort(),
        );
        const probeWindow = windows.find((w) => w.title === "opendesk wayland probe");
        assert(probeWindow, JSON.stringify(windows));
        assertEquals(probeWindow.bounds, views.find((v) => v.name === probeWindow.title)!.rect);
        assertEquals((await computer.focusedWindow())?.id, probeWindow.id);

        // Capture: the same pixels as grim, once the screen is seen static around the capture.
        let compared = false;
        for (let attempt = 0; attempt < 5 && !compared; attempt++) {
          const before = ppmPixels(await run(sway, ["grim", "-t", "ppm", "-"]));
          const shot = await computer.capture({ format: "raw_rgb", downscale: false });
          const after = ppmPixels(await run(sway, ["grim", "-t", "ppm", "-"]));
          if (!before.data.every((b, i) => b === after.data[i])) continue;
          assertEquals([shot.width, shot.height], [before.width, before.height]);
          assert(
            shot.data.length === before.data.length &&
              shot.data.every((b, i) => b === before.data[i]),
            "the capture differs from grim's image of the same static screen",
          );
          compared = true;
        }
        assert(compared, "the screen never stayed still around a capture");

        // A click on the probe's target (below the entry, in the window's middle).
        const b = probeWindow.bounds!;
        const point = { x: b.x + Math.round(b.width / 2), y: b.y + Math.round(b.height * 0.75) };
        await computer.pointer(PointerEventSchema.parse({ action: "down", point, button: "left" }));
        await computer.pointer(PointerEventSchema.parse({ action: "up", point, button: "left" }));
        await probe.line(/^press 1$/, "the GTK probe to see the click");
        assertEquals(await computer.cursorPosition(), point);

        // Typed Unicode (Shift and AltGr levels, characters outside the layout) in the entry.
        const text = "Hello Wörld – ½ ✓ Ωμέγα 東京 €!";
        await computer.text({ text, interval_ms: 0 });
        // The keys are sent when text() resolves; GTK reads them from the compositor after.
        let typed = "";
        for (const deadline = Date.now() + 10_000; typed !== text && Date.now() < deadline;) {
          await probe.send("dump");
          typed = JSON.parse(await probe.line(/^"/, "the entry's text"));
        }
        assertEquals(typed, text);

        // No session bus here: ui.tree is absent, and the gated call says why.
        const manifest = await computer.capabilities();
        assert(!manifest.capabilities.includes("ui.tree"), manifest.capabilities.join());
        const absent = await computer.uiTree().then(() => null, (e: Error) => e);
        assertMatch(
          absent?.message ?? "",
          /Capability 'ui\.tree' is not supported .*unavailable on this machine: AT-SPI is not available/,
        );

        // Clipboard both ways, against wl-clipboard.
        await computer.clipboardWrite(textClipboard("from opendesk ✓"));
        assertEquals(
          new TextDecoder().decode(await run(sway, ["wl-paste", "--no-newline"])),
          "from opendesk ✓",
        );
        // wl-copy forks a server that keeps serving the selection: no pipes for it to hold.
        const copied = await new Deno.Command("wl-copy", {
          args: ["from wl-copy ✓"],
          env: sway.env,
          clearEnv: true,
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).spawn().status;
        assert(copied.success, "wl-copy failed");
        assertEquals(clipboardTextOf(await computer.clipboardRead()), "from wl-copy ✓");
      } finally {
        await probe.stop();
        assertEquals(await serve.stop(), 0, serve.stderr());
      }
    }),
});
