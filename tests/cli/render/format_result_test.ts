import { formatManifest, formatRaw, formatResult } from "../../../src/cli/render/format_result.ts";
import { formatBytes } from "../../../src/cli/render/text_layout.ts";
import { renderUiTree } from "../../../src/cli/render/ui_tree_view.ts";
import { encodeTestPng, gradient } from "../_util/png.ts";
import { assert, assertEquals, assertMatch, assertNotMatch } from "../_util/assert.ts";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

Deno.test("formatResult() shows a null result as ok", () => {
  assertEquals(formatResult("input.pointer", null), "ok\n");
});

Deno.test("formatResult() renders fs.list as a table, directories first", () => {
  const text = formatResult("fs.list", {
    items: [
      { path: "/t/b.txt", name: "b.txt", is_dir: false, size: 2048, mtime: 0, mode: 0o100644 },
      { path: "/t/a", name: "a", is_dir: true, size: 4096, mtime: 0, mode: 0o40755 },
    ],
  });
  const lines = text.split("\n");
  assertMatch(lines[0]!, /^NAME\s+SIZE\s+MODIFIED\s+MODE$/);
  assertMatch(lines[1]!, /^a\/\s+1970-01-01 \d\d:00:00\s+0755$/);
  assertMatch(lines[2]!, /^b\.txt\s+2\.0 KiB/);
  assertMatch(text, /2 entries\n$/);
});

Deno.test("formatResult() renders process.list with pid and command line", () => {
  const text = formatResult("process.list", {
    items: [{ pid: 1, name: "init", ppid: 0, cmdline: ["/sbin/init", "splash"] }],
  });
  assertMatch(text, /PID\s+PPID\s+NAME\s+COMMAND/);
  assertMatch(text, /1\s+0\s+init\s+\/sbin\/init splash/);
});

Deno.test("formatResult() renders windows.list with bounds and state", () => {
  const text = formatResult("windows.list", {
    items: [{
      id: "0x1",
      title: "Editor",
      app_name: "gedit",
      pid: 42,
      bounds: { x: 0, y: 0, width: 800, height: 600 },
      focused: true,
      minimized: false,
      workspace: null,
    }],
  });
  assertMatch(text, /0x1\s+Editor\s+gedit\s+42\s+0,0 800×600\s+focused/);
});

Deno.test("formatResult() lists strings one per line", () => {
  assertEquals(
    formatResult("apps.list", { items: ["Firefox", "Terminal"] }),
    "Firefox\nTerminal\n",
  );
  assertEquals(formatResult("apps.list", { items: [] }), "(none)\n");
});

Deno.test("formatResult() summarises a pixmap instead of dumping it", () => {
  const png = encodeTestPng(40, 30, gradient(40, 30));
  const text = formatResult("display.capture", {
    data: png,
    format: "png",
    width: 40,
    height: 30,
    logical_width: 80,
    logical_height: 60,
    display_id: "1",
    captured_at: 0,
  });
  assertEquals(text, `png 40×30 (logical 80×60, display 1), ${formatBytes(png.length)}\n`);
});

Deno.test("formatResult() prints command output and the exit code", () => {
  const text = formatResult("process.shell", {
    returncode: 3,
    stdout: utf8("out"),
    stderr: utf8("err\n"),
    duration: 0.012,
  });
  assertEquals(text, "out\n[stderr]\nerr\n[exit 3 in 12 ms]\n");
});

Deno.test("formatResult() shows fs.read text, and a size for binary data", () => {
  assertEquals(formatResult("fs.read", { data: utf8("hello") }), "hello\n");
  assertMatch(
    formatResult("fs.read", { data: new Uint8Array([0, 1, 2, 3]) }),
    /^4 B of binary data \(use get to save it\)\n$/,
  );
});

Deno.test("formatResult() renders clipboard entries", () => {
  const text = formatResult("clipboard.read", {
    entries: [{ mime_type: "text/plain;charset=utf-8", data: utf8("copied") }],
  });
  assertEquals(text, "text/plain;charset=utf-8 (6 B):\ncopied\n");
});

Deno.test("formatResult() renders nested maps as indented key: value lines", () => {
  const text = formatResult("system.environment", {
    os: "Linux",
    hostname: "box",
    displays: [{ id: "1", bounds: { x: 0, y: 0, width: 10, height: 10 } }],
  });
  assertMatch(text, /^os: Linux\nhostname: box\ndisplays: 1 item\(s\)\n {2}- /);
});

Deno.test("renderUiTree() draws the tree with roles, names, bounds and actions", () => {
  const text = renderUiTree({
    role: "frame",
    name: "Demo",
    bounds: { x: 0, y: 0, width: 200, height: 100 },
    children: [
      { role: "push button", name: "OK", actions: ["click"], children: [] },
      { role: "panel", name: "", children: [{ role: "label", name: "Hi", children: [] }] },
    ],
  });
  assertEquals(
    text,
    'frame "Demo" [0,0 200×100]\n├─ push button "OK" actions: click\n└─ panel\n   └─ label "Hi"\n',
  );
});

Deno.test("renderUiTree() stops at maxLines and says how many were left out", () => {
  const children = Array.from(
    { length: 10 },
    (_, i) => ({ role: "item", name: `n${i}`, children: [] }),
  );
  const text = renderUiTree({ role: "list", children }, { maxLines: 4 });
  assertMatch(text, /… 7 more elements/);
});

Deno.test("formatManifest() groups capabilities", () => {
  const text = formatManifest({
    capabilities: ["fs.read", "display.capture", "fs.write"],
    limits: { "display.stream": { max_fps: 30 } },
    protocol_version: "0.1",
    backend: "fake",
    description: "lab box",
  });
  assertMatch(text, /backend: fake {2}protocol 0\.1\ndescription: lab box\ncapabilities \(3\):/);
  assertMatch(text, /fs\s+fs\.read {2}fs\.write/);
});

Deno.test("formatRaw() shows binary data as base64, shortened unless full", () => {
  const data = new Uint8Array(100).fill(7);
  const short = formatRaw({ data });
  assertMatch(short, /"\$bin_bytes": 100/);
  assertNotMatch(short, /"\$base64"/);
  const full = JSON.parse(formatRaw({ data }, true));
  assertEquals(Uint8Array.from(atob(full.data.$base64), (c) => c.charCodeAt(0)), data);
  assert(formatRaw(null) === "null\n");
});
