import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { FakeComputer } from "../../../src/computer/drivers/fake/fake_computer.ts";
import { crc32 } from "../../../src/computer/png_encoder.ts";
import type { DisplayFrame } from "../../../src/computer/types/display.ts";
import type { RemoteError } from "../../../src/protocol/errors.ts";
import { rejection } from "../_session.ts";

/** Decodes an 8-bit RGBA, filter-0 PNG (what the encoder writes), checking every CRC. */
function decodePng(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8, width = 0, height = 0;
  const idat: number[] = [];
  for (;;) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    const body = png.subarray(at + 8, at + 8 + length);
    assert.equal(
      view.getUint32(at + 8 + length),
      crc32(png.subarray(at + 4, at + 8 + length)),
      type,
    );
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      assert.deepEqual([...body.subarray(8)], [8, 6, 0, 0, 0]);
    }
    if (type === "IDAT") idat.push(...body);
    at += 12 + length;
    if (type === "IEND") break;
  }
  const raw = new Uint8Array(inflateSync(new Uint8Array(idat)));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0);
    pixels.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, pixels };
}

Deno.test("FakeComputer.capture() returns a valid PNG of its screen", async () => {
  const fake = new FakeComputer();
  const shot = await fake.capture();
  const png = decodePng(shot.data);
  assert.deepEqual([png.width, png.height, shot.logical_width, shot.logical_height], [
    320,
    200,
    320,
    200,
  ]);
  const raw = await fake.capture({ format: "raw_rgba" });
  assert.deepEqual(png.pixels, raw.data);
  assert.deepEqual([...png.pixels.subarray(0, 4)], [0, 0, 128, 255]); // background gradient
  const identify = await new Deno.Command("identify", {
    args: ["-format", "%w %h %m", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  })
    .spawn();
  const writer = identify.stdin.getWriter();
  await writer.write(shot.data);
  await writer.close();
  const out = await identify.output();
  assert.equal(new TextDecoder().decode(out.stdout), "320 200 PNG");
});

Deno.test("FakeComputer.capture() honours region, display_id, downscale and size limits", async () => {
  const fake = new FakeComputer({ width: 2000, height: 100, displayCount: 2 });
  const cases = [
    { params: {}, size: [1920, 96], logical: [2000, 100], display: "1" },
    { params: { downscale: false }, size: [2000, 100], logical: [2000, 100], display: "1" },
    {
      params: { display_id: "2", downscale: false },
      size: [2000, 100],
      logical: [2000, 100],
      display: "2",
    },
    {
      params: { region: { x: 10, y: 20, width: 30, height: 40 } },
      size: [30, 40],
      logical: [30, 40],
      display: "1",
    },
    { params: { max_width: 500 }, size: [500, 25], logical: [2000, 100], display: "1" },
    {
      params: { max_pixels: 20000, downscale: false },
      size: [632, 31],
      logical: [2000, 100],
      display: "1",
    },
  ];
  for (const c of cases) {
    const shot = await fake.capture(c.params);
    assert.deepEqual([shot.width, shot.height], c.size, JSON.stringify(c.params));
    assert.deepEqual([shot.logical_width, shot.logical_height], c.logical);
    assert.equal(shot.display_id, c.display);
    assert.deepEqual([decodePng(shot.data).width, decodePng(shot.data).height], c.size);
  }
  const region = await fake.capture({
    region: { x: 2005, y: 0, width: 2, height: 1 },
    format: "raw_rgb",
  });
  assert.deepEqual([...region.data], [2005 & 0xff, 0, 128, 2006 & 0xff, 0, 128]);
  const unknown = await rejection(() => fake.capture({ display_id: "7" }));
  assert.equal((unknown as unknown as RemoteError).code, "not_found");
  const jpeg = await rejection(() => fake.capture({ format: "jpeg" }));
  assert.equal((jpeg as unknown as RemoteError).code, "invalid_argument");
});

Deno.test("FakeComputer.subscribeDisplay() yields numbered keyframes and delta patches", async () => {
  const fake = new FakeComputer({ streamFrames: 3 });
  const frames: DisplayFrame[] = [];
  for await (const f of fake.subscribeDisplay({ fps: 30 })) frames.push(f);
  assert.deepEqual(frames.map((f) => [f.frame_number, f.keyframe]), [[0, true], [1, true], [
    2,
    true,
  ]]);
  const delta = new FakeComputer({ streamFrames: 2 });
  const deltas: DisplayFrame[] = [];
  for await (const f of delta.subscribeDisplay({ fps: 30, delta: true })) {
    deltas.push(f);
    // Paint between the keyframe and the next frame (not on a timer racing the frame clock).
    if (deltas.length === 1) delta.paint({ x: 300, y: 180, width: 4, height: 3 }, [1, 2, 3, 255]);
  }
  assert.equal(deltas[0]!.keyframe, true);
  assert.equal(deltas[1]!.keyframe, false);
  assert.deepEqual(deltas[1]!.patch, { x: 300, y: 180, width: 4, height: 3 });
  const patch = decodePng(deltas[1]!.pixmap.data);
  assert.deepEqual([patch.width, patch.height], [4, 3]);
  assert.deepEqual([...patch.pixels.subarray(0, 4)], [1, 2, 3, 255]);
});

Deno.test("FakeComputer.subscribeDisplay() stops when its signal aborts", async () => {
  const fake = new FakeComputer();
  const controller = new AbortController();
  let n = 0;
  for await (const _ of fake.subscribeDisplay({ fps: 30 }, { signal: controller.signal })) {
    if (++n === 2) controller.abort();
  }
  assert.equal(n, 2);
});

Deno.test("FakeComputer windows and apps change its screen and its lists", async () => {
  const fake = new FakeComputer();
  const before = await fake.capture({ format: "raw_rgba" });
  await fake.moveWindow("2", { x: 0, y: 0, width: 10, height: 10 });
  const after = await fake.capture({ format: "raw_rgba" });
  assert.notDeepEqual(before.data, after.data);
  assert.deepEqual(fake.screen.pixel(5, 5), fake.screen.pixel(1, 1));
  assert.notDeepEqual(fake.screen.pixel(5, 5), [5, 5, 128, 255]);
  await fake.openApp("Mail");
  assert.equal((await fake.focusedWindow())!.app_name, "Mail");
  await fake.closeWindow("1");
  assert.deepEqual(await fake.listApps(), ["Terminal", "Mail"]);
  const gone = await rejection(() => fake.focusApp("Editor"));
  assert.equal((gone as unknown as RemoteError).code, "not_found");
  const bad = await rejection(() => fake.moveWindow("2", { x: 0, y: 0, width: 0, height: 5 }));
  assert.equal((bad as unknown as RemoteError).code, "invalid_argument");
});

Deno.test("FakeComputer.uiTree() honours max_depth, max_nodes, interactive_only and refs", async () => {
  const fake = new FakeComputer();
  const full = await fake.uiTree({ app: "edit" });
  assert.equal(full.name, "Editor — notes.txt");
  assert.equal(full.ref, undefined);
  assert.equal(full.children.length, 4);
  const shallow = await fake.uiTree({ window_id: "1", max_depth: 1 });
  assert.deepEqual(shallow.children[1]!.children, []);
  const cut = await fake.uiTree({ window_id: "1", max_nodes: 3 });
  assert.deepEqual(cut.children.map((c) => c.role), ["text", "…"]); // the marker counts
  assert.equal(cut.children[1]!.name, "(truncated)");
  const interactive = await fake.uiTree({ window_id: "1", interactive_only: true, refs: true });
  assert.deepEqual(interactive.children.map((c) => c.ref), ["w1.e1", "w1.e2", "w1.e4", "w1.e5"]);
  const missing = await rejection(() => fake.performUiAction({ ref: "w1.e99" }));
  assert.equal((missing as unknown as RemoteError).code, "not_found");
  const wrong = await rejection(() => fake.performUiAction({ ref: "w1.e4", action: "toggle" }));
  assert.match(wrong.message, /has no action 'toggle'; it offers: click, press/);
  await fake.performUiAction({ ref: "w1.e4", action: "press" });
  assert.deepEqual(fake.actions.at(-1), {
    method: "ui.action",
    params: { role: "push button", name: "OK", action: "press" },
  });
});

Deno.test("FakeComputer.subscribeInput() yields the scripted events, then ends", async () => {
  const fake = new FakeComputer({
    inputScript: [{
      action: "up",
      keysym: "q",
      char: "q",
      scancode: null,
      modifiers: [],
      is_repeat: false,
      timestamp: 5,
    }],
  });
  const events = [];
  for await (const e of fake.subscribeInput()) events.push(e);
  assert.deepEqual(events, [{
    action: "up",
    keysym: "q",
    char: "q",
    scancode: null,
    modifiers: [],
    is_repeat: false,
    timestamp: 5,
  }]);
});

Deno.test("FakeComputer with a reduced capability list refuses the rest honestly", async () => {
  const fake = new FakeComputer({ capabilities: ["fs.read"] });
  assert.deepEqual(fake.capabilities().capabilities, ["fs.read"]);
  const error = await rejection(() => fake.clipboardRead());
  assert.equal((error as unknown as { capability: string }).capability, "clipboard.read");
  assert.match(error.message, /backend 'fake'/);
});
